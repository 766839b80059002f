/*
 * test_nvme_prp.c - host unit tests for drivers/nvme/nvme_prp.c: which
 * scatter-gather lists PRPs can name (NVMe 1.4, 4.3: the first piece may
 * start mid-page, the others start pages, all but the last end pages, PRP1
 * dword aligned) and the PRP1/PRP2/list each transfer shape gives.
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <string.h>

#include "nvme/nvme_prp.h"

#define LIST_BUS 0xABC000ULL

static uint64_t list[NVME_PRP_LIST_ENTRIES];
static uint64_t prp1, prp2;

static int build(const struct dma_seg *seg, unsigned n)
{
    memset(list, 0, sizeof(list));
    prp1 = prp2 = 0xDEAD;
    return nvme_prp_build(seg, n, &prp1, &prp2, list, LIST_BUS);
}

static void test_one_page(void **state)
{
    struct dma_seg s[] = { { 0x10000, 512 } };

    (void)state;
    assert_int_equal(nvme_prp_fits(s, 1), 0);
    assert_int_equal(build(s, 1), 1);
    assert_int_equal(prp1, 0x10000);
    assert_int_equal(prp2, 0);              /* one page: PRP2 unused */
}

static void test_mid_page_start_crossing_one_boundary(void **state)
{
    struct dma_seg s[] = { { 0x10E00, 1024 } };     /* 512 bytes in each of two pages */

    (void)state;
    assert_int_equal(nvme_prp_fits(s, 1), 0);
    assert_int_equal(build(s, 1), 2);
    assert_int_equal(prp1, 0x10E00);
    assert_int_equal(prp2, 0x11000);        /* two pages: PRP2 is the second page itself */
}

static void test_list_for_three_pages_and_more(void **state)
{
    /* 16 KiB from mid-page over three pieces: pages 0x10000 (from 0x800), 0x11000, 0x30000..0x32000, 0x50000 */
    struct dma_seg s[] = { { 0x10800, 0x1800 }, { 0x30000, 0x3000 }, { 0x50000, 0x800 } };

    (void)state;
    assert_int_equal(nvme_prp_fits(s, 3), 0);
    assert_int_equal(build(s, 3), 6);
    assert_int_equal(prp1, 0x10800);
    assert_int_equal(prp2, LIST_BUS);       /* more than two: PRP2 points at the list */
    assert_int_equal(list[0], 0x11000);
    assert_int_equal(list[1], 0x30000);
    assert_int_equal(list[2], 0x31000);
    assert_int_equal(list[3], 0x32000);
    assert_int_equal(list[4], 0x50000);
}

static void test_rules_broken(void **state)
{
    struct dma_seg odd[] = { { 0x10001, 512 } };                       /* PRP1 not dword aligned */
    struct dma_seg first_short[] = { { 0x10000, 512 }, { 0x20000, 512 } };  /* a hole after 512 bytes */
    struct dma_seg later_mid[] = { { 0x10000, 0x1000 }, { 0x20200, 512 } }; /* second starts mid-page */
    struct dma_seg middle_short[] = { { 0x10000, 0x1000 }, { 0x20000, 0x800 }, { 0x30000, 0x1000 } };

    (void)state;
    assert_int_equal(nvme_prp_fits(odd, 1), -1);
    assert_int_equal(nvme_prp_fits(first_short, 2), -1);
    assert_int_equal(nvme_prp_fits(later_mid, 2), -1);
    assert_int_equal(nvme_prp_fits(middle_short, 3), -1);
    assert_int_equal(nvme_prp_fits(odd, 0), -1);
}

static void test_too_many_pages_for_one_list(void **state)
{
    struct dma_seg fits[] = { { 0x100800, (NVME_PRP_LIST_ENTRIES + 1) * 4096 - 0x800 } };
    struct dma_seg over[] = { { 0x100000, (NVME_PRP_LIST_ENTRIES + 2) * 4096 } };

    (void)state;
    assert_int_equal(build(fits, 1), NVME_PRP_LIST_ENTRIES + 1);
    assert_int_equal(list[NVME_PRP_LIST_ENTRIES - 1], 0x100000 + NVME_PRP_LIST_ENTRIES * 4096);
    assert_int_equal(build(over, 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_page),
        cmocka_unit_test(test_mid_page_start_crossing_one_boundary),
        cmocka_unit_test(test_list_for_three_pages_and_more),
        cmocka_unit_test(test_rules_broken),
        cmocka_unit_test(test_too_many_pages_for_one_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
