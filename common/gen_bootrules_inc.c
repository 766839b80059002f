/*
 * gen_bootrules_inc.c - writes build/gen/bootrules.inc for the NASM loader.
 *
 * Built and run on the host at build time, like gen_bootinfo_inc.c: one
 * `%define` per limit of common/bootrules.h, one per rule with the exact
 * words the UEFI loader prints ("TEXT (rule NAME)"), and the memory types'
 * overlap priorities of common/memmap.h as a byte list. config.asm, elf.asm
 * and mmap.asm use nothing else, so the two loaders cannot drift apart.
 */
#include <stdio.h>

#include "bootrules.h"
#include "memmap.h"

#define CONST(name) \
    printf("%%define %-28s 0x%llx\n", #name, (unsigned long long)(name))
#define RULE(id, name, text) \
    printf("%%define RULE_%-23s \"%s (rule %s)\"\n", #id, text, name);

static const unsigned char priority[BOOTINFO_MEM_TYPE_MAX + 1] = MEMMAP_PRIORITY_INIT;

int main(void)
{
    printf("; bootrules.inc - generated from common/bootrules.h and common/memmap.h by "
           "common/gen_bootrules_inc.c; do not edit.\n");
    CONST(BOOTCFG_FILE_MAX);
    CONST(BOOTCFG_CMDLINE_MAX);
    CONST(BOOTCFG_MODULES_MAX);
    CONST(BOOTCFG_PATH_MAX);
    CONST(BOOTCFG_VIDEO_DIM_MAX);
    CONST(BOOTCFG_VIDEO_BPP_MAX);
    CONST(ELF_PHNUM_MAX);
    printf("%%define %-28s 0x%llx\n", "ELF_KERNEL_VBASE_HI", ELF_KERNEL_VBASE >> 32);
    printf("%%define %-28s 0x%llx\n", "ELF_KERNEL_VBASE_LO", ELF_KERNEL_VBASE & 0xFFFFFFFFULL);
    printf("%%define %-28s 0x%llx\n", "ELF_KERNEL_VTOP_LO",
           (ELF_KERNEL_VBASE + ELF_KERNEL_MAX_SPAN) & 0xFFFFFFFFULL);
    BOOTRULES_CFG(RULE)
    BOOTRULES_ELF(RULE)
    printf("%%define %-28s \"%s\"\n", "RULE_UNKNOWN_KEY", BOOTRULE_UNKNOWN_KEY_TEXT);
    printf("%%define %-28s ", "MEMMAP_PRIORITIES");
    for (int t = 0; t <= BOOTINFO_MEM_TYPE_MAX; t++)
        printf("%u%s", priority[t], t < BOOTINFO_MEM_TYPE_MAX ? ", " : "\n");
    CONST(BOOTINFO_MEM_TYPE_MAX);
    return 0;
}
