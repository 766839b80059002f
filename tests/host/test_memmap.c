/*
 * test_memmap.c - host tests for memory-map normalisation (common/memmap.c):
 * crafted firmware maps, then a randomized comparison against a page-by-page
 * reference model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"

#define E(b, l, t) { .base = (b), .length = (l), .type = (t) }
#define USABLE   BOOTINFO_MEM_USABLE
#define RESERVED BOOTINFO_MEM_RESERVED

static int normalize(const struct bootinfo_mmap_entry *in, unsigned n,
                     struct bootinfo_mmap_entry *out, unsigned cap)
{
    const char *why;
    unsigned bad;
    int count = memmap_normalize(in, n, out, cap);

    if (count >= 0)
        assert_int_equal(memmap_check(out, (unsigned)count, &why, &bad), 0);
    return count;
}

/* QEMU's E820 for 128 MiB, given out of order. */
static void test_qemu_map_unsorted(void **state)
{
    const struct bootinfo_mmap_entry in[] = {
        E(0x100000, 0x7EE0000, USABLE),
        E(0xFFFC0000, 0x40000, RESERVED),
        E(0x0, 0x9FC00, USABLE),
        E(0x9FC00, 0x400, RESERVED),
        E(0xF0000, 0x10000, RESERVED),
        E(0x7FE0000, 0x20000, RESERVED),
    };
    struct bootinfo_mmap_entry out[16];
    int n;

    (void)state;
    n = normalize(in, 6, out, 16);
    assert_int_equal(n, 6);
    assert_int_equal(out[0].base, 0x1000);          /* page 0 never handed out */
    assert_int_equal(out[0].length, 0x9F000 - 0x1000);
    assert_int_equal(out[0].type, USABLE);
    assert_int_equal(out[1].base, 0x9FC00);         /* the partial page is reserved */
    assert_int_equal(out[2].base, 0xF0000);
    assert_int_equal(out[3].base, 0x100000);
    assert_int_equal(out[5].base, 0xFFFC0000);
    assert_int_equal(memmap_total(out, 6, USABLE), 0x9E000 + 0x7EE0000);
}

static void test_overlap_restrictive_type_wins(void **state)
{
    const struct bootinfo_mmap_entry in[] = {
        E(0x100000, 0x400000, USABLE),
        E(0x200000, 0x100000, BOOTINFO_MEM_ACPI_NVS),
        E(0x280000, 0x10000, BOOTINFO_MEM_BAD),
    };
    struct bootinfo_mmap_entry out[16];

    (void)state;
    assert_int_equal(normalize(in, 3, out, 16), 5);
    assert_int_equal(out[0].type, USABLE);
    assert_int_equal(out[0].length, 0x100000);
    assert_int_equal(out[1].type, BOOTINFO_MEM_ACPI_NVS);
    assert_int_equal(out[1].length, 0x80000);
    assert_int_equal(out[2].type, BOOTINFO_MEM_BAD);
    assert_int_equal(out[3].type, BOOTINFO_MEM_ACPI_NVS);
    assert_int_equal(out[3].base, 0x290000);
    assert_int_equal(out[4].base, 0x300000);
    assert_int_equal(out[4].type, USABLE);
}

/*
 * The one precedence both loaders use: the C sweep, and the byte table
 * build/gen/bootrules.inc hands mmap.asm, against the order written out
 * here (most restrictive first). Reserved beats loader-reclaimable, which
 * the BIOS loader's sweep used to get wrong (it compared type numbers).
 */
static void test_precedence_shared_with_nasm(void **state)
{
    static const uint32_t order[] = {
        BOOTINFO_MEM_BAD, BOOTINFO_MEM_RESERVED, BOOTINFO_MEM_ACPI_NVS,
        BOOTINFO_MEM_FRAMEBUFFER, BOOTINFO_MEM_KERNEL, BOOTINFO_MEM_MODULE,
        BOOTINFO_MEM_ACPI_RECLAIM, BOOTINFO_MEM_LOADER_RECLAIM, BOOTINFO_MEM_USABLE,
    };
    unsigned nasm[BOOTINFO_MEM_TYPE_MAX + 1] = { 0 };
    char line[256];
    FILE *f = fopen("build/gen/bootrules.inc", "r");
    int found = 0;

    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%%define MEMMAP_PRIORITIES %u, %u, %u, %u, %u, %u, %u, %u, %u, %u",
                   &nasm[0], &nasm[1], &nasm[2], &nasm[3], &nasm[4], &nasm[5], &nasm[6],
                   &nasm[7], &nasm[8], &nasm[9]) == BOOTINFO_MEM_TYPE_MAX + 1)
            found = 1;
    fclose(f);
    assert_true(found);
    for (unsigned i = 0; i + 1 < sizeof order / sizeof order[0]; i++) {
        struct bootinfo_mmap_entry in[] = { E(0x100000, 0x1000, order[i + 1]),
                                            E(0x100000, 0x1000, order[i]) };
        struct bootinfo_mmap_entry out[4];

        assert_true(nasm[order[i]] > nasm[order[i + 1]]);
        assert_int_equal(normalize(in, 2, out, 4), 1);
        assert_int_equal(out[0].type, order[i]);
    }
}

static void test_merge_and_unknown_types(void **state)
{
    const struct bootinfo_mmap_entry in[] = {
        E(0x1000, 0x800, USABLE),       /* touching usable halves of one page... */
        E(0x1800, 0x1800, USABLE),      /* ...count as whole pages once merged */
        E(0x10000, 0x1000, 77),         /* unknown firmware type: reserved */
        E(0x11000, 0x1000, RESERVED),
        E(0x20000, 0, USABLE),          /* empty: dropped */
    };
    struct bootinfo_mmap_entry out[16];

    (void)state;
    assert_int_equal(normalize(in, 5, out, 16), 2);
    assert_int_equal(out[0].base, 0x1000);
    assert_int_equal(out[0].length, 0x2000);
    assert_int_equal(out[1].base, 0x10000);
    assert_int_equal(out[1].length, 0x2000);
    assert_int_equal(out[1].type, RESERVED);
}

static void test_carve_kernel_out_of_usable(void **state)
{
    struct bootinfo_mmap_entry in[] = {
        E(0x100000, 0x10000000, USABLE),
        E(0x200000, 0x300000, BOOTINFO_MEM_KERNEL),
        E(0x500000, 0x2000, BOOTINFO_MEM_LOADER_RECLAIM),
    };
    struct bootinfo_mmap_entry out[16];

    (void)state;
    assert_int_equal(normalize(in, 3, out, 16), 4);
    assert_int_equal(out[1].type, BOOTINFO_MEM_KERNEL);
    assert_int_equal(out[2].type, BOOTINFO_MEM_LOADER_RECLAIM);
    assert_int_equal(out[3].base, 0x502000);
    assert_int_equal(memmap_total(out, 4, USABLE), 0x10000000 - 0x302000);
}

static void test_capacity_and_extremes(void **state)
{
    const struct bootinfo_mmap_entry in[] = {
        E(0x1000, 0x1000, USABLE),
        E(0x3000, 0x1000, RESERVED),
        E(0xFFFFFFFFFFFFF000ULL, 0x10000, USABLE),  /* wraps: saturated, then trimmed away */
    };
    struct bootinfo_mmap_entry out[4];

    (void)state;
    assert_int_equal(memmap_normalize(in, 3, out, 1), -1);
    assert_int_equal(normalize(in, 3, out, 4), 2);
    assert_int_equal(normalize(in, 0, out, 4), 0);
}

static void test_check_rejects(void **state)
{
    const struct bootinfo_mmap_entry overlap[] = { E(0x1000, 0x2000, USABLE), E(0x2000, 0x1000, RESERVED) };
    const struct bootinfo_mmap_entry badtype[] = { E(0x1000, 0x1000, 0) };
    const struct bootinfo_mmap_entry page0[] = { E(0, 0x1000, USABLE) };
    const char *why = NULL;
    unsigned bad;

    (void)state;
    assert_int_equal(memmap_check(overlap, 2, &why, &bad), -1);
    assert_int_equal(bad, 1);
    assert_int_equal(memmap_check(badtype, 1, &why, &bad), -1);
    assert_int_equal(memmap_check(page0, 1, &why, &bad), -1);
    assert_non_null(why);
    assert_string_equal(memmap_type_name(BOOTINFO_MEM_ACPI_NVS), "ACPI NVS");
    assert_string_equal(memmap_type_name(99), "unknown");
}

/*
 * Random maps over a 64-page world against a reference: for every page, the
 * expected type is the winner among entries covering it whole, and the
 * normalised map must give exactly that type for usable pages.
 */
static int rank(uint32_t t)
{
    static const int r[] = { 0, 1, 8, 3, 7, 9, 2, 5, 4, 6 };
    return t >= 1 && t <= 9 ? r[t] : r[RESERVED];
}

static uint32_t type_at(const struct bootinfo_mmap_entry *e, unsigned n, uint64_t addr)
{
    for (unsigned i = 0; i < n; i++)
        if (addr >= e[i].base && addr - e[i].base < e[i].length)
            return e[i].type;
    return 0;
}

static void test_random_against_model(void **state)
{
    struct bootinfo_mmap_entry in[12], out[64];

    (void)state;
    srand(1234);
    for (int round = 0; round < 2000; round++) {
        unsigned n = 1 + (unsigned)rand() % 12;
        for (unsigned i = 0; i < n; i++) {
            in[i].base = (uint64_t)(rand() % 64) * 0x800;     /* half pages too */
            in[i].length = (uint64_t)(rand() % 16) * 0x800;
            in[i].type = 1 + (unsigned)rand() % 10;           /* 10 is unknown */
        }
        int count = normalize(in, n, out, 64);
        assert_true(count >= 0);
        for (uint64_t page = 0; page < 40; page++) {
            uint64_t lo = page * 0x1000;
            int best = 0, best_lo = 0, best_hi = 0;
            for (unsigned i = 0; i < n; i++) {
                int r = rank(in[i].type);
                if (in[i].base <= lo && in[i].base + in[i].length >= lo + 0x1000 && r > best)
                    best = r;
                if (in[i].base <= lo && in[i].base + in[i].length > lo && r > best_lo)
                    best_lo = r;
                if (in[i].base < lo + 0x1000 && in[i].base + in[i].length >= lo + 0x1000 && r > best_hi)
                    best_hi = r;
            }
            uint32_t got = type_at(out, (unsigned)count, lo);
            /* A page wholly usable (everywhere the winner is usable) is usable, except page 0. */
            if (best == 1 && best_lo == 1 && best_hi == 1 && page > 0)
                assert_int_equal(got, USABLE);
            /* A usable page in the output was covered wholly by usable-winning entries. */
            if (got == USABLE) {
                assert_int_equal(best_lo, 1);
                assert_int_equal(best_hi, 1);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_map_unsorted),
        cmocka_unit_test(test_overlap_restrictive_type_wins),
        cmocka_unit_test(test_precedence_shared_with_nasm),
        cmocka_unit_test(test_merge_and_unknown_types),
        cmocka_unit_test(test_carve_kernel_out_of_usable),
        cmocka_unit_test(test_capacity_and_extremes),
        cmocka_unit_test(test_check_rejects),
        cmocka_unit_test(test_random_against_model),
    };
    return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
