/*
 * alloc.c - the loader's page allocations, each remembered with the type
 * the kernel's memory map must give it.
 *
 * Every page that matters after the loader (boot info, page tables, the
 * kernel image, module files, the memory-map arrays) comes from
 * alloc_pages: AllocatePages(AllocateAnyPages, EfiLoaderData), zeroed (by
 * the firmware's SetMem: its rep stos runs many times faster than a byte
 * loop, which matters for a kernel block of megabytes), and
 * a record (base, pages, BOOTINFO_MEM_* type). The records serve twice:
 *  - memmap.c turns them into carve-out entries of the final map (the
 *    firmware only says "loader data"; the records say what it holds);
 *  - on an error, alloc_free_all gives every page back before efi_main
 *    returns to the firmware.
 * The records are a fixed array in the loader's image: reading them after
 * ExitBootServices allocates nothing.
 */
#include <efi.h>

#include "loader.h"

#define ALLOC_MAX 32

struct alloc_record {
    uint64_t base;
    uint64_t pages;
    uint32_t type;          /* BOOTINFO_MEM_* */
};

static struct alloc_record records[ALLOC_MAX];
static unsigned record_count;

EFI_STATUS alloc_pages(struct loader *ld, uint64_t bytes, uint32_t type, uint64_t *phys)
{
    EFI_PHYSICAL_ADDRESS addr = 0;
    uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    EFI_STATUS status;

    if (pages == 0)
        pages = 1;
    if (record_count == ALLOC_MAX)
        return EFI_OUT_OF_RESOURCES;
    status = ld->bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &addr);
    if (EFI_ERROR(status))
        return status;
    ld->bs->SetMem((void *)(uintptr_t)addr, pages * PAGE_SIZE, 0);
    records[record_count++] = (struct alloc_record){ addr, pages, type };
    *phys = addr;
    return EFI_SUCCESS;
}

/* Give back the allocation that starts at phys (a scratch buffer). */
void alloc_free(struct loader *ld, uint64_t phys)
{
    for (unsigned i = 0; i < record_count; i++) {
        if (records[i].base != phys)
            continue;
        ld->bs->FreePages(records[i].base, records[i].pages);
        records[i] = records[--record_count];
        return;
    }
}

void alloc_free_all(struct loader *ld)
{
    while (record_count > 0) {
        record_count--;
        ld->bs->FreePages(records[record_count].base, records[record_count].pages);
    }
}

/* One memory-map entry per allocation, of its recorded type. */
unsigned alloc_carve_outs(struct bootinfo_mmap_entry *out, unsigned cap)
{
    unsigned n = 0;

    for (unsigned i = 0; i < record_count && n < cap; i++)
        out[n++] = (struct bootinfo_mmap_entry){ records[i].base,
                                                 records[i].pages * PAGE_SIZE,
                                                 records[i].type, 0 };
    return n;
}

unsigned alloc_max_records(void)
{
    return ALLOC_MAX;
}
