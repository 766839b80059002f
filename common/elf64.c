/*
 * elf64.c - validation of an ELF64 kernel image (see elf64.h).
 *
 * Order of checks: identification bytes, header fields, the program header
 * table's own bounds, then every PT_LOAD: sizes, file range, alignment and
 * address window, and overlap with the others. All arithmetic on file
 * values is overflow-checked.
 */
#include "elf64.h"
#include <string.h>

#define PAGE_SIZE 4096ULL

static int fail(const char **why, const char *msg)
{
    *why = msg;
    return -1;
}

static const char *check_header(const struct elf64_ehdr *eh, size_t size)
{
    uint32_t magic;

    memcpy(&magic, eh->e_ident, 4);
    if (magic != ELF_MAGIC)
        return "not an ELF file";
    if (eh->e_ident[4] != ELFCLASS64)
        return "not ELF64 (class)";
    if (eh->e_ident[5] != ELFDATA2LSB)
        return "not little-endian";
    if (eh->e_type != ET_EXEC)
        return "not an executable (e_type)";
    if (eh->e_machine != EM_X86_64)
        return "not x86_64 (e_machine)";
    if (eh->e_version != EV_CURRENT)
        return "bad e_version";
    if (eh->e_phentsize != sizeof(struct elf64_phdr))
        return "bad e_phentsize";
    if (eh->e_phnum == 0)
        return "no program headers";
    if (eh->e_phoff > size ||
        (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff)
        return "program headers outside the file";
    if (eh->e_phoff % 8 != 0)
        return "program headers misaligned";
    return NULL;
}

static const char *check_load(const struct elf64_phdr *ph, size_t size)
{
    if (ph->p_filesz > ph->p_memsz)
        return "PT_LOAD file size above memory size";
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return "PT_LOAD outside the file";
    if (ph->p_vaddr < ELF_KERNEL_VBASE ||
        ph->p_memsz > ELF_KERNEL_MAX_SPAN ||
        ph->p_vaddr - ELF_KERNEL_VBASE > ELF_KERNEL_MAX_SPAN - ph->p_memsz)
        return "PT_LOAD outside the kernel's address window";
    if ((ph->p_vaddr - ph->p_offset) % PAGE_SIZE != 0)
        return "PT_LOAD offset and address not congruent modulo 4 KiB";
    return NULL;
}

/* Do the page ranges of two segments overlap? */
static int pages_overlap(const struct elf64_phdr *a, const struct elf64_phdr *b)
{
    uint64_t a_lo = a->p_vaddr & ~(PAGE_SIZE - 1), a_hi = a->p_vaddr + a->p_memsz;
    uint64_t b_lo = b->p_vaddr & ~(PAGE_SIZE - 1), b_hi = b->p_vaddr + b->p_memsz;

    return a_lo < b_hi && b_lo < a_hi;
}

int elf64_check_kernel(const void *file, size_t size, struct elf64_kernel_info *info,
                       const char **why, int *bad_index)
{
    const struct elf64_ehdr *eh = file;
    const struct elf64_phdr *ph;
    const char *msg;

    memset(info, 0, sizeof *info);
    *bad_index = -1;
    if (size < sizeof *eh)
        return fail(why, "file too small for an ELF header");
    if ((msg = check_header(eh, size)))
        return fail(why, msg);
    ph = (const struct elf64_phdr *)((const uint8_t *)file + eh->e_phoff);
    info->vaddr_lo = UINT64_MAX;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        *bad_index = i;
        if ((msg = check_load(&ph[i], size)))
            return fail(why, msg);
        if (ph[i].p_memsz == 0)
            continue;   /* checked, but nothing to load */
        for (int j = 0; j < i; j++)
            if (ph[j].p_type == PT_LOAD && ph[j].p_memsz && pages_overlap(&ph[i], &ph[j]))
                return fail(why, "PT_LOAD segments share a page");
        if (ph[i].p_vaddr < info->vaddr_lo)
            info->vaddr_lo = ph[i].p_vaddr & ~(PAGE_SIZE - 1);
        if (ph[i].p_vaddr + ph[i].p_memsz > info->vaddr_hi)
            info->vaddr_hi = (ph[i].p_vaddr + ph[i].p_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        info->load_count++;
    }
    *bad_index = -1;
    if (info->load_count == 0)
        return fail(why, "no PT_LOAD segment");
    if (info->vaddr_hi - info->vaddr_lo > ELF_KERNEL_MAX_SPAN)
        return fail(why, "segments span more than 1 GiB");
    if (eh->e_entry < info->vaddr_lo || eh->e_entry >= info->vaddr_hi)
        return fail(why, "entry point outside the loaded segments");
    info->entry = eh->e_entry;
    return 0;
}
