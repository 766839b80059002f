/*
 * ksyms.c - look up kernel addresses in the symbol table the build embeds
 * (see ksyms.h): entries sorted by address, each an address and the offset
 * of its NUL-terminated name in one string block. A lookup is a binary
 * search for the last symbol at or below the address; addresses outside
 * the kernel's text get no name (a backtrace shows them as bare numbers).
 */
#include <stdint.h>
#include <string.h>

#include "format.h"
#include "ksyms.h"

struct ksym {
    uint64_t addr;
    uint64_t name;              /* offset into ksyms_names */
};

/* Defined by the generated build/kernel/ksyms.asm. */
extern const uint64_t ksyms_table_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];
extern const char __text_start[], __text_end[];

uint64_t ksyms_count(void)
{
    return ksyms_table_count;
}

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
    uint64_t lo = 0, hi = ksyms_table_count;

    if (addr < (uint64_t)(uintptr_t)__text_start || addr >= (uint64_t)(uintptr_t)__text_end)
        return NULL;
    while (hi - lo > 1) {                       /* invariant: table[lo].addr <= addr */
        uint64_t mid = lo + (hi - lo) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_table_count == 0 || ksyms_table[lo].addr > addr)
        return NULL;
    *offset = addr - ksyms_table[lo].addr;
    return ksyms_names + ksyms_table[lo].name;
}

void ksyms_describe(uint64_t addr, char *buf, size_t size)
{
    uint64_t off;
    const char *name = ksyms_lookup(addr, &off);

    if (name)
        format_snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
    else
        format_snprintf(buf, size, "0x%016llx", (unsigned long long)addr);
}

uint64_t ksyms_address(const char *name)
{
    for (uint64_t i = 0; i < ksyms_table_count; i++)
        if (strcmp(ksyms_names + ksyms_table[i].name, name) == 0)
            return ksyms_table[i].addr;
    return 0;
}
