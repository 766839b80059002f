/*
 * kernel.c - /boot/kernel.elf: read its headers, check them with
 * common/elf64.c (elf64_check_kernel: the same code the host tests and the
 * fuzzer run), and load its PT_LOAD segments.
 *
 * Reading only what the kernel needs: the file's symbols, debug info and
 * section headers (most of a kernel built with -g) are never read.
 *  - "kernel" step: open the file, read its first HEAD_BYTES (the ELF
 *    header and, in any linker's output, the program headers); a table
 *    that ends further in is read again from offset 0 to its end. The
 *    check runs on these bytes with the size from the directory entry, so
 *    "PT_LOAD outside the file" still means the file.
 *  - "elf" step: checked and placed. ONE block of pages for the whole
 *    span vaddr_lo..vaddr_hi, anywhere in memory (AllocateAnyPages), typed
 *    KERNEL and zeroed (bss and gaps), as the BIOS loader does
 *    (bootloader-bios/elf.asm); then each PT_LOAD's file bytes are read
 *    straight to kernel_phys + (p_vaddr - vaddr_lo): one SetPosition and
 *    Read per segment, or per run of segments that follow each other with
 *    no byte between them both in the file and in memory. p_paddr is
 *    ignored. The kernel learns where it sits from bootinfo.kernel_phys
 *    and never assumes 1 MiB; paging.c keeps what it needs (struct
 *    kernel_seg).
 *
 * Two steps, two lines; every failure names its step and the file's fault.
 */
#include <efi.h>

#include "loader.h"
#include <string.h>

#define KERNEL_PATH "/boot/kernel.elf"
#define HEAD_BYTES  4096        /* first read: the ELF header and program headers */

static uint8_t head_buf[HEAD_BYTES];

/* The read failed: the line for the step. */
static void say_read_error(const char *step, EFI_STATUS status)
{
    if (status == EFI_END_OF_FILE)
        say("%s: error, " KERNEL_PATH " is shorter than its directory entry says", step);
    else
        say("%s: error, cannot read " KERNEL_PATH " (%s)", step, status_text(status));
}

/* End of the program header table when the ELF header puts it inside the file, else 0. */
static uint64_t headers_end(const uint8_t *head, uint64_t got, uint64_t size)
{
    struct elf64_ehdr eh;
    uint64_t table;

    if (got < sizeof eh)
        return 0;
    memcpy(&eh, head, sizeof eh);
    table = (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr);
    if (eh.e_phoff > size || table > size - eh.e_phoff)
        return 0;
    return eh.e_phoff + table;
}

/*
 * The file's first bytes, up to the end of its program headers, in *head:
 * head_buf, or new scratch pages (*scratch, else 0) for a table beyond it.
 */
static EFI_STATUS read_headers(struct loader *ld, EFI_FILE_PROTOCOL *file, uint64_t size,
                               const uint8_t **head, uint64_t *scratch)
{
    uint64_t got = size < HEAD_BYTES ? size : HEAD_BYTES, end;
    EFI_STATUS status = file_read_at(ld, file, 0, head_buf, got);

    *head = head_buf;
    *scratch = 0;
    end = headers_end(head_buf, got, size);
    if (EFI_ERROR(status) || end <= got)
        return status;
    status = alloc_pages(ld, end, BOOTINFO_MEM_LOADER_RECLAIM, scratch);
    if (EFI_ERROR(status)) {
        *scratch = 0;
        return status;
    }
    *head = (const uint8_t *)(uintptr_t)*scratch;
    return file_read_at(ld, file, 0, (void *)(uintptr_t)*scratch, end);
}

static EFI_STATUS open_kernel(struct loader *ld, EFI_FILE_PROTOCOL **file, uint64_t *size)
{
    EFI_STATUS status = file_open(ld, KERNEL_PATH, file, size);

    if (status == EFI_NOT_FOUND)
        say("kernel: error, " KERNEL_PATH " not found");
    else if (EFI_ERROR(status))
        say("kernel: error, cannot open " KERNEL_PATH " (%s)", status_text(status));
    return status;
}

/* Program header i of a checked file. */
static struct elf64_phdr phdr(const uint8_t *head, unsigned i)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)head;
    struct elf64_phdr ph;

    memcpy(&ph, head + eh->e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
    return ph;
}

/* Remember the PT_LOAD segments for paging.c. */
static EFI_STATUS keep_segments(struct loader *ld, const uint8_t *head)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)head;

    ld->seg_count = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        struct elf64_phdr ph = phdr(head, i);

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

/*
 * Read each PT_LOAD's file bytes into the (zeroed) kernel block: a run of
 * segments back to back in the file and in memory is one read.
 */
static EFI_STATUS read_segments(struct loader *ld, EFI_FILE_PROTOCOL *file,
                                const uint8_t *head, uint8_t *image)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)head;
    uint64_t off = 0, len = 0;
    uint8_t *dst = NULL;
    EFI_STATUS status = EFI_SUCCESS;

    for (unsigned i = 0; i < eh->e_phnum && !EFI_ERROR(status); i++) {
        struct elf64_phdr ph = phdr(head, i);
        uint8_t *at = image + (ph.p_vaddr - ld->kernel.vaddr_lo);

        if (ph.p_type != PT_LOAD || ph.p_filesz == 0)
            continue;
        if (len && ph.p_offset == off + len && at == dst + len) {
            len += ph.p_filesz;
            continue;
        }
        if (len)
            status = file_read_at(ld, file, off, dst, len);
        off = ph.p_offset, len = ph.p_filesz, dst = at;
    }
    if (len && !EFI_ERROR(status))
        status = file_read_at(ld, file, off, dst, len);
    return status;
}

static EFI_STATUS place_kernel(struct loader *ld, EFI_FILE_PROTOCOL *file, const uint8_t *head,
                               uint64_t size)
{
    int bad = -1;
    int rule = elf64_check_kernel(head, (size_t)size, &ld->kernel, &bad);
    uint32_t reads = ld->bi->disk_reads;
    uint64_t span, phys, bytes = ld->bi->disk_bytes;
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
    status = keep_segments(ld, head);
    if (EFI_ERROR(status))
        return status;
    span = ld->kernel.vaddr_hi - ld->kernel.vaddr_lo;
    status = alloc_pages(ld, span, BOOTINFO_MEM_KERNEL, &phys);
    if (EFI_ERROR(status)) {
        say("elf: error, no memory for the kernel image (%llu KiB, %s)",
            (unsigned long long)(span >> 10), status_text(status));
        return status;
    }
    status = read_segments(ld, file, head, (uint8_t *)(uintptr_t)phys);
    if (EFI_ERROR(status)) {
        say_read_error("elf", status);
        return status;
    }
    ld->bi->kernel_phys = phys;
    ld->bi->kernel_size = span;
    ld->bi->kernel_virt = ld->kernel.vaddr_lo;
    say("elf: %u PT_LOAD, %llu bytes read in %u reads, %llu KiB at phys 0x%llx, entry 0x%llx",
        ld->kernel.load_count, (unsigned long long)(ld->bi->disk_bytes - bytes),
        ld->bi->disk_reads - reads, (unsigned long long)(span >> 10),
        (unsigned long long)phys, (unsigned long long)ld->kernel.entry);
    return EFI_SUCCESS;
}

EFI_STATUS kernel_load(struct loader *ld)
{
    EFI_FILE_PROTOCOL *file;
    const uint8_t *head;
    uint64_t size = 0, scratch = 0, bytes = ld->bi->disk_bytes;
    EFI_STATUS status = open_kernel(ld, &file, &size);

    if (EFI_ERROR(status))
        return status;
    status = read_headers(ld, file, size, &head, &scratch);
    if (EFI_ERROR(status)) {
        if (status == EFI_OUT_OF_RESOURCES)
            say("kernel: error, no memory for the program headers of " KERNEL_PATH);
        else
            say_read_error("kernel", status);
    } else {
        say("kernel: " KERNEL_PATH ", %llu bytes, headers: %llu bytes read", (unsigned long long)size,
            (unsigned long long)(ld->bi->disk_bytes - bytes));
        step_done("kernel");
        status = place_kernel(ld, file, head, size);
    }
    if (scratch)
        alloc_free(ld, scratch);
    file->Close(file);
    if (!EFI_ERROR(status))
        step_done("elf");
    return status;
}
