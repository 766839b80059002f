/*
 * kernel.c - /boot/kernel.elf: read the file, check it with
 * common/elf64.c (elf64_check_kernel: the same code the host tests and the
 * fuzzer run), and load it.
 *
 * Loading, as the BIOS loader does (bootloader-bios/elf.asm): ONE block of
 * pages for the whole span vaddr_lo..vaddr_hi, anywhere in memory
 * (AllocateAnyPages), typed KERNEL; zeroed (bss and gaps), then each
 * PT_LOAD's file bytes copied to kernel_phys + (p_vaddr - vaddr_lo).
 * p_paddr is ignored. The kernel learns where it sits from
 * bootinfo.kernel_phys and never assumes 1 MiB. The file itself is scratch
 * and freed once copied; paging.c keeps what it needs (struct kernel_seg).
 *
 * Two steps, two lines: "kernel" (the file is read) and "elf" (checked
 * and placed). Every failure names its step and the file's fault.
 */
#include <efi.h>

#include "loader.h"
#include <string.h>

#define KERNEL_PATH "/boot/kernel.elf"

static EFI_STATUS read_kernel_file(struct loader *ld, uint64_t *phys, uint64_t *size)
{
    uint32_t reads = ld->bi->disk_reads;
    EFI_STATUS status = file_read(ld, KERNEL_PATH, BOOTINFO_MEM_LOADER_RECLAIM, phys, size);

    if (status == EFI_NOT_FOUND)
        say("kernel: error, " KERNEL_PATH " not found");
    else if (status == EFI_END_OF_FILE)
        say("kernel: error, " KERNEL_PATH " is shorter than its directory entry says");
    else if (status == EFI_OUT_OF_RESOURCES)
        say("kernel: error, no memory to read " KERNEL_PATH " (%llu bytes)",
            (unsigned long long)*size);
    else if (EFI_ERROR(status))
        say("kernel: error, cannot read " KERNEL_PATH " (%s)", status_text(status));
    else
        say("kernel: " KERNEL_PATH ", %llu bytes in %u reads", (unsigned long long)*size,
            ld->bi->disk_reads - reads);
    return status;
}

/* Remember the PT_LOAD segments for paging.c. */
static EFI_STATUS keep_segments(struct loader *ld, const uint8_t *file)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;

    ld->seg_count = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        struct elf64_phdr ph;

        memcpy(&ph, file + eh->e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ld->seg_count == KERNEL_SEGS_MAX) {
            say("elf: error, more than %u PT_LOAD segments", KERNEL_SEGS_MAX);
            return EFI_UNSUPPORTED;
        }
        ld->segs[ld->seg_count++] = (struct kernel_seg){ ph.p_vaddr, ph.p_memsz, ph.p_flags };
    }
    return EFI_SUCCESS;
}

/* Copy each PT_LOAD's file bytes into the (zeroed) kernel block. */
static void copy_segments(struct loader *ld, const uint8_t *file, uint8_t *image)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;

    for (unsigned i = 0; i < eh->e_phnum; i++) {
        struct elf64_phdr ph;

        memcpy(&ph, file + eh->e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_LOAD && ph.p_filesz)
            memcpy(image + (ph.p_vaddr - ld->kernel.vaddr_lo), file + ph.p_offset,
                   ph.p_filesz);
    }
}

static EFI_STATUS place_kernel(struct loader *ld, const uint8_t *file, uint64_t size)
{
    int bad = -1;
    int rule = elf64_check_kernel(file, (size_t)size, &ld->kernel, &bad);
    uint64_t span, phys;
    EFI_STATUS status;

    if (rule != BOOTRULE_OK) {          /* in the words elf.asm prints too */
        if (bad >= 0)
            say("elf: error, " KERNEL_PATH ": program header %d: %s (rule %s)", bad,
                bootrule_text(rule), bootrule_name(rule));
        else
            say("elf: error, " KERNEL_PATH ": %s (rule %s)", bootrule_text(rule),
                bootrule_name(rule));
        return EFI_LOAD_ERROR;
    }
    status = keep_segments(ld, file);
    if (EFI_ERROR(status))
        return status;
    span = ld->kernel.vaddr_hi - ld->kernel.vaddr_lo;
    status = alloc_pages(ld, span, BOOTINFO_MEM_KERNEL, &phys);
    if (EFI_ERROR(status)) {
        say("elf: error, no memory for the kernel image (%llu KiB, %s)",
            (unsigned long long)(span >> 10), status_text(status));
        return status;
    }
    copy_segments(ld, file, (uint8_t *)(uintptr_t)phys);
    ld->bi->kernel_phys = phys;
    ld->bi->kernel_size = span;
    ld->bi->kernel_virt = ld->kernel.vaddr_lo;
    say("elf: %u PT_LOAD, %llu KiB at phys 0x%llx, entry 0x%llx", ld->kernel.load_count,
        (unsigned long long)(span >> 10), (unsigned long long)phys,
        (unsigned long long)ld->kernel.entry);
    return EFI_SUCCESS;
}

EFI_STATUS kernel_load(struct loader *ld)
{
    uint64_t file, size = 0;
    EFI_STATUS status = read_kernel_file(ld, &file, &size);

    if (EFI_ERROR(status))
        return status;
    step_done("kernel");
    status = place_kernel(ld, (const uint8_t *)(uintptr_t)file, size);
    alloc_free(ld, file);
    if (!EFI_ERROR(status))
        step_done("elf");
    return status;
}
