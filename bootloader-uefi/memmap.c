/*
 * memmap.c - the firmware's memory map turned into the boot info's.
 *
 * EFI memory types (UEFI 2.10, 7.2 "Memory Allocation Services", table
 * "Memory Type Usage after ExitBootServices()") become boot-info types:
 *   boot services code/data, conventional     usable (free after exit)
 *   loader code/data                          usable, except what the
 *                                             loader allocated (below)
 *   runtime services code/data, MMIO, MMIO
 *   port space, PAL code, reserved, persistent,
 *   unaccepted, anything unknown              reserved
 *   unusable                                  bad
 *   ACPI reclaim / ACPI NVS                   as such
 * Then one entry per loader allocation with its recorded type (alloc.c:
 * boot info, page tables, this map -> LOADER_RECLAIM; the kernel block ->
 * KERNEL; module files -> MODULE), and the GOP framebuffer -> FRAMEBUFFER
 * when it lies in the map; common/memmap.c memmap_normalize sorts, resolves
 * the overlaps by type priority (these carve-outs win over usable), merges
 * and trims. Nothing here allocates or calls the firmware after
 * memmap_prepare: exit.c runs memmap_convert after ExitBootServices.
 *
 * memmap_prepare allocates, before the final GetMemoryMap, one block with
 * the map buffer (the size the firmware asks for plus MAP_SLACK
 * descriptors: later allocations and ExitBootServices retries may grow the
 * map), the converted array and the normalised array (bootinfo.mmap).
 */
#include <efi.h>

#include "loader.h"
#include "memmap.h"

#define MAP_SLACK       64          /* descriptors of room for a growing map */

static uint32_t bootinfo_type(UINT32 efi_type)
{
    switch (efi_type) {
    case EfiLoaderCode:
    case EfiLoaderData:
    case EfiBootServicesCode:
    case EfiBootServicesData:
    case EfiConventionalMemory:
        return BOOTINFO_MEM_USABLE;
    case EfiUnusableMemory:
        return BOOTINFO_MEM_BAD;
    case EfiACPIReclaimMemory:
        return BOOTINFO_MEM_ACPI_RECLAIM;
    case EfiACPIMemoryNVS:
        return BOOTINFO_MEM_ACPI_NVS;
    default:
        return BOOTINFO_MEM_RESERVED;
    }
}

/* RAM of any kind (what the direct map must cover), not device space. */
static int is_ram(UINT32 efi_type)
{
    return efi_type != EfiReservedMemoryType && efi_type != EfiMemoryMappedIO &&
           efi_type != EfiMemoryMappedIOPortSpace && efi_type != EfiPalCode &&
           efi_type < EfiMaxMemoryType;
}

static EFI_MEMORY_DESCRIPTOR *desc_at(const struct mmap_buffers *m, UINTN i)
{
    return (EFI_MEMORY_DESCRIPTOR *)((uint8_t *)m->efi + i * m->desc_size);
}

static UINTN desc_count(const struct mmap_buffers *m)
{
    return m->desc_size ? m->efi_size / m->desc_size : 0;
}

/* GetMemoryMap into the prepared buffer (no allocation). */
EFI_STATUS memmap_fetch(struct loader *ld)
{
    ld->map.efi_size = ld->map.efi_cap;
    return ld->bs->GetMemoryMap(&ld->map.efi_size, ld->map.efi, &ld->map.key,
                                &ld->map.desc_size, &ld->map.desc_version);
}

/* The end of the highest RAM descriptor: how far paging.c maps. */
uint64_t memmap_ram_top(struct loader *ld)
{
    struct mmap_buffers m = { 0 };
    uint64_t top = 0;

    ld->bs->GetMemoryMap(&m.efi_size, NULL, &m.key, &m.desc_size, &m.desc_version);
    m.efi_size += MAP_SLACK * m.desc_size;
    if (EFI_ERROR(ld->bs->AllocatePool(EfiLoaderData, m.efi_size, (void **)&m.efi)))
        return 0;
    if (!EFI_ERROR(ld->bs->GetMemoryMap(&m.efi_size, m.efi, &m.key, &m.desc_size,
                                        &m.desc_version)))
        for (UINTN i = 0; i < desc_count(&m); i++) {
            EFI_MEMORY_DESCRIPTOR *d = desc_at(&m, i);
            uint64_t end = d->PhysicalStart + d->NumberOfPages * PAGE_SIZE;

            if (is_ram(d->Type) && end > top)
                top = end;
        }
    ld->bs->FreePool(m.efi);
    return top;
}

/* Does some descriptor overlap [base, base + len)? */
static int in_map(const struct mmap_buffers *m, uint64_t base, uint64_t len)
{
    for (UINTN i = 0; i < desc_count(m); i++) {
        EFI_MEMORY_DESCRIPTOR *d = desc_at(m, i);

        if (d->PhysicalStart < base + len &&
            base < d->PhysicalStart + d->NumberOfPages * PAGE_SIZE)
            return 1;
    }
    return 0;
}

/*
 * The map in ld->map.efi (fetched last) into ld->map.out; returns the
 * number of entries, or -1 when the arrays are too small. Allocates
 * nothing: safe after ExitBootServices.
 */
int memmap_convert(struct loader *ld)
{
    struct mmap_buffers *m = &ld->map;
    const struct bootinfo_fb *fb = &ld->bi->fb;
    unsigned n = 0;

    for (UINTN i = 0; i < desc_count(m); i++) {
        EFI_MEMORY_DESCRIPTOR *d = desc_at(m, i);

        if (n == m->raw_cap)
            return -1;
        m->raw[n++] = (struct bootinfo_mmap_entry){ d->PhysicalStart,
                                                    d->NumberOfPages * PAGE_SIZE,
                                                    bootinfo_type(d->Type), 0 };
    }
    n += alloc_carve_outs(m->raw + n, m->raw_cap - n);
    if (fb->type == BOOTINFO_FB_RGB && ld->fb_size && n < m->raw_cap &&
        in_map(m, fb->addr, ld->fb_size))
        m->raw[n++] = (struct bootinfo_mmap_entry){ fb->addr & ~(PAGE_SIZE - 1),
                                                    (ld->fb_size + PAGE_SIZE - 1) &
                                                        ~(PAGE_SIZE - 1),
                                                    BOOTINFO_MEM_FRAMEBUFFER, 0 };
    return memmap_normalize(m->raw, n, m->out, m->out_cap);
}

/* One block: map buffer | converted array | normalised array. */
static EFI_STATUS alloc_buffers(struct loader *ld)
{
    struct mmap_buffers *m = &ld->map;
    uint64_t phys, bytes;
    EFI_STATUS status;

    m->efi_size = 0;
    ld->bs->GetMemoryMap(&m->efi_size, NULL, &m->key, &m->desc_size, &m->desc_version);
    if (m->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR))
        return EFI_UNSUPPORTED;
    m->efi_cap = (m->efi_size + MAP_SLACK * m->desc_size + 7) & ~(UINTN)7;
    m->raw_cap = (unsigned)(m->efi_cap / m->desc_size) + alloc_max_records() + 1;
    m->out_cap = 2 * m->raw_cap + 1;        /* each carve-out may split an entry */
    bytes = m->efi_cap + (uint64_t)(m->raw_cap + m->out_cap) * sizeof *m->raw;
    status = alloc_pages(ld, bytes, BOOTINFO_MEM_LOADER_RECLAIM, &phys);
    if (EFI_ERROR(status))
        return status;
    m->efi = (EFI_MEMORY_DESCRIPTOR *)(uintptr_t)phys;
    m->raw = (struct bootinfo_mmap_entry *)(uintptr_t)(phys + m->efi_cap);
    m->out = m->raw + m->raw_cap;
    return EFI_SUCCESS;
}

/* Allocate the buffers, convert the map once for the line. */
EFI_STATUS memmap_prepare(struct loader *ld)
{
    EFI_STATUS status = alloc_buffers(ld);
    int count;

    if (EFI_ERROR(status)) {
        say("mmap: error, no memory for the memory map (%s)", status_text(status));
        return status;
    }
    status = memmap_fetch(ld);
    count = EFI_ERROR(status) ? -1 : memmap_convert(ld);
    if (count < 0) {
        say("mmap: error, the memory map does not fit its buffers (%s)", status_text(status));
        return EFI_ERROR(status) ? status : EFI_BUFFER_TOO_SMALL;
    }
    say("mmap: %llu EFI descriptors -> %d entries, %llu MiB usable; kernel, modules, page "
        "tables and boot info carved out", (unsigned long long)desc_count(&ld->map), count,
        (unsigned long long)(memmap_total(ld->map.out, (unsigned)count, BOOTINFO_MEM_USABLE)
                             >> 20));
    step_done("mmap");
    return EFI_SUCCESS;
}
