/*
 * elf64.c - validation of an ELF64 kernel image (see elf64.h).
 *
 * Order of checks, the order of BOOTRULES_ELF (bootrules.h), which
 * bootloader-bios/elf.asm follows too: identification bytes, header
 * fields, the program header table's own bounds, then every PT_LOAD: sizes,
 * file range, address window, alignment, and overlap with the earlier ones;
 * last, at least one PT_LOAD and an entry point inside the file bytes of an
 * executable one (a jump anywhere else faults before the kernel can say a
 * word). All arithmetic on file values is overflow-checked.
 */
#include "elf64.h"
#include <string.h>

#define PAGE_SIZE 4096ULL

static int check_header(const struct elf64_ehdr *eh, size_t size)
{
    uint32_t magic;

    memcpy(&magic, eh->e_ident, 4);
    if (magic != ELF_MAGIC)
        return BOOTRULE_ELF_MAGIC;
    if (eh->e_ident[4] != ELFCLASS64)
        return BOOTRULE_ELF_CLASS;
    if (eh->e_ident[5] != ELFDATA2LSB)
        return BOOTRULE_ELF_DATA;
    if (eh->e_type != ET_EXEC)
        return BOOTRULE_ELF_TYPE;
    if (eh->e_machine != EM_X86_64)
        return BOOTRULE_ELF_MACHINE;
    if (eh->e_version != EV_CURRENT)
        return BOOTRULE_ELF_VERSION;
    if (eh->e_phentsize != sizeof(struct elf64_phdr))
        return BOOTRULE_ELF_PHENTSIZE;
    if (eh->e_phnum == 0 || eh->e_phnum > ELF_PHNUM_MAX)
        return BOOTRULE_ELF_PHNUM;
    if (eh->e_phoff > size ||
        (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff ||
        eh->e_phoff % 8 != 0)
        return BOOTRULE_ELF_PHDRS;
    return BOOTRULE_OK;
}

static int check_load(const struct elf64_phdr *ph, size_t size)
{
    if (ph->p_filesz > ph->p_memsz)
        return BOOTRULE_ELF_LOAD_FILESZ;
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return BOOTRULE_ELF_LOAD_FILE;
    if (ph->p_vaddr < ELF_KERNEL_VBASE ||
        ph->p_memsz > ELF_KERNEL_MAX_SPAN ||
        ph->p_vaddr - ELF_KERNEL_VBASE > ELF_KERNEL_MAX_SPAN - ph->p_memsz)
        return BOOTRULE_ELF_LOAD_WINDOW;
    if ((ph->p_vaddr - ph->p_offset) % PAGE_SIZE != 0)
        return BOOTRULE_ELF_LOAD_ALIGN;
    return BOOTRULE_OK;
}

/* Do the page ranges of two segments overlap? */
static int pages_overlap(const struct elf64_phdr *a, const struct elf64_phdr *b)
{
    uint64_t a_lo = a->p_vaddr & ~(PAGE_SIZE - 1), a_hi = a->p_vaddr + a->p_memsz;
    uint64_t b_lo = b->p_vaddr & ~(PAGE_SIZE - 1), b_hi = b->p_vaddr + b->p_memsz;

    return a_lo < b_hi && b_lo < a_hi;
}

/* Is the entry point inside the file bytes of an executable PT_LOAD? */
static int entry_in_text(const struct elf64_phdr *ph, unsigned n, uint64_t entry)
{
    for (unsigned i = 0; i < n; i++)
        if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
            entry >= ph[i].p_vaddr && entry - ph[i].p_vaddr < ph[i].p_filesz)
            return 1;
    return 0;
}

/* Check PT_LOAD i against the rules and the earlier ones; note its range. */
static int take_load(const struct elf64_phdr *ph, int i, size_t size,
                     struct elf64_kernel_info *info)
{
    int rule = check_load(&ph[i], size);

    if (rule != BOOTRULE_OK || ph[i].p_memsz == 0)
        return rule;    /* an empty one is checked, but there is nothing to load */
    for (int j = 0; j < i; j++)
        if (ph[j].p_type == PT_LOAD && ph[j].p_memsz && pages_overlap(&ph[i], &ph[j]))
            return BOOTRULE_ELF_LOAD_OVERLAP;
    if (ph[i].p_vaddr < info->vaddr_lo)
        info->vaddr_lo = ph[i].p_vaddr & ~(PAGE_SIZE - 1);
    if (ph[i].p_vaddr + ph[i].p_memsz > info->vaddr_hi)
        info->vaddr_hi = (ph[i].p_vaddr + ph[i].p_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    info->load_count++;
    return BOOTRULE_OK;
}

int elf64_check_kernel(const void *file, size_t size, struct elf64_kernel_info *info,
                       int *bad_index)
{
    const struct elf64_ehdr *eh = file;
    const struct elf64_phdr *ph;
    int rule;

    memset(info, 0, sizeof *info);
    *bad_index = -1;
    if (size < sizeof *eh)
        return BOOTRULE_ELF_SIZE;
    if ((rule = check_header(eh, size)) != BOOTRULE_OK)
        return rule;
    ph = (const struct elf64_phdr *)((const uint8_t *)file + eh->e_phoff);
    info->vaddr_lo = UINT64_MAX;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        *bad_index = i;
        if ((rule = take_load(ph, i, size, info)) != BOOTRULE_OK)
            return rule;
    }
    *bad_index = -1;
    if (info->load_count == 0)
        return BOOTRULE_ELF_NO_LOAD;
    if (!entry_in_text(ph, eh->e_phnum, eh->e_entry))
        return BOOTRULE_ELF_ENTRY;
    info->entry = eh->e_entry;
    return BOOTRULE_OK;
}
