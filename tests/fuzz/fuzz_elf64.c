/*
 * fuzz_elf64.c - libFuzzer target for the kernel ELF check: no input may read
 * outside the buffer, and an accepted file really has its segments inside it
 * and its entry inside a segment.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf64_kernel_info info;
    const char *why;
    int bad;
    /* The loaders hand the check an 8-byte aligned buffer of exactly the file. */
    uint64_t *copy = malloc(size ? size : 1);

    memcpy(copy, data, size);
    if (elf64_check_kernel(copy, size, &info, &why, &bad) == 0) {
        const struct elf64_ehdr *eh = (const void *)copy;
        const struct elf64_phdr *ph = (const void *)((const uint8_t *)copy + eh->e_phoff);
        for (int i = 0; i < eh->e_phnum; i++)
            if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > size)
                __builtin_trap();
        if (info.entry < info.vaddr_lo || info.entry >= info.vaddr_hi || info.load_count == 0)
            __builtin_trap();
    } else if (!why || !*why) {
        __builtin_trap();
    }
    free(copy);
    return 0;
}
