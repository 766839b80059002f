/*
 * fuzz_memmap.c - libFuzzer target for memory-map normalisation: any list of
 * entries (the bytes read as struct bootinfo_mmap_entry) normalises into a
 * map that memmap_check() accepts, and normalising it again changes nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "memmap.h"

#define MAX_IN 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootinfo_mmap_entry in[MAX_IN], out[2 * MAX_IN + 1], again[2 * MAX_IN + 1];
    unsigned n = (unsigned)(size / sizeof in[0]);
    const char *why;
    unsigned bad;
    int count, count2;

    if (n > MAX_IN)
        n = MAX_IN;
    memcpy(in, data, n * sizeof in[0]);
    count = memmap_normalize(in, n, out, 2 * MAX_IN + 1);
    if (count < 0 || memmap_check(out, (unsigned)count, &why, &bad) != 0)
        __builtin_trap();
    count2 = memmap_normalize(out, (unsigned)count, again, 2 * MAX_IN + 1);
    if (count2 != count || memcmp(out, again, (size_t)count * sizeof out[0]) != 0)
        __builtin_trap();
    return 0;
}
