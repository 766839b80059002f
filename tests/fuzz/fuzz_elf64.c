/*
 * fuzz_elf64.c - libFuzzer target for the kernel ELF check: no input may read
 * outside the buffer, a refusal names a rule of BOOTRULES_ELF, and an
 * accepted file really has its segments inside it and its entry inside the
 * file bytes of an executable PT_LOAD.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int entry_ok(const struct elf64_phdr *ph, unsigned n, uint64_t entry)
{
    for (unsigned i = 0; i < n; i++)
        if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && entry >= ph[i].p_vaddr &&
            entry < ph[i].p_vaddr + ph[i].p_filesz)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf64_kernel_info info;
    int bad;
    /* The loaders hand the check an 8-byte aligned buffer of exactly the file. */
    uint64_t *copy = malloc(size ? size : 1);
    int rule;

    memcpy(copy, data, size);
    rule = elf64_check_kernel(copy, size, &info, &bad);
    if (rule == BOOTRULE_OK) {
        const struct elf64_ehdr *eh = (const void *)copy;
        const struct elf64_phdr *ph = (const void *)((const uint8_t *)copy + eh->e_phoff);
        for (int i = 0; i < eh->e_phnum; i++)
            if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > size)
                __builtin_trap();
        if (info.load_count == 0 || !entry_ok(ph, eh->e_phnum, info.entry) ||
            info.vaddr_hi - info.vaddr_lo > ELF_KERNEL_MAX_SPAN)
            __builtin_trap();
    } else if (rule < BOOTRULE_ELF_SIZE || rule > BOOTRULE_ELF_ENTRY) {
        __builtin_trap();
    }
    free(copy);
    return 0;
}
