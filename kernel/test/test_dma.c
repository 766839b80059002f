/*
 * test_dma.c - ktests of the DMA API (kernel/mm/dma.c).
 *
 *   dma_alloc_coherent    aligned, below the limit, zeroed, the bus address
 *                         the page tables give for va; an impossible limit refused
 *   dma_map_segments      contiguous memory is one segment, cut at max_seg;
 *                         too many segments refused
 *   dma_bounce_low_limit  a buffer above a limit goes through a bounce buffer
 *                         below it: copied in for a write, out for a read
 *                         (the limit made just below the buffer, so every
 *                         machine runs it)
 *   dma_bounce_above_4g   the same with a buffer above 4 GiB and a 32-bit
 *                         device; skipped when the machine has no memory there
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "mm/dma.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "test/ktest.h"
#include "test/test_high.h"

#define PAGE        4096
#define FOUR_GIB    0x100000000ULL
#define HIGH_TRIES  8192                /* 2 MiB blocks taken looking for one above 4 GiB: 16 GiB */

void ktest_dma_alloc_coherent(struct ktest *t)
{
    struct dma_buf b;
    int zero = 1;

    if (!KTEST_ASSERT_EQ(t, dma_alloc(&b, 3 * PAGE + 1, 4 * PAGE, DMA_LIMIT_32BIT, "ktest"), 0))
        return;
    KTEST_ASSERT_EQ(t, b.size, 4 * PAGE);
    KTEST_ASSERT_EQ(t, b.bus % (4 * PAGE), 0);
    KTEST_ASSERT(t, b.bus + b.size - 1 <= DMA_LIMIT_32BIT);
    KTEST_ASSERT_EQ(t, vmm_translate(vmm_kernel_space(), (uint64_t)(uintptr_t)b.va + PAGE), b.bus + PAGE);
    for (size_t i = 0; i < b.size; i++)
        zero &= ((uint8_t *)b.va)[i] == 0;
    KTEST_ASSERT(t, zero);
    dma_free(&b);
    KTEST_ASSERT_EQ(t, b.size, 0);
    KTEST_ASSERT_EQ(t, dma_alloc(&b, PAGE, PAGE, 0xFFF, "ktest"), -1);    /* nothing below 4 KiB */
}

void ktest_dma_map_segments(struct ktest *t)
{
    struct dma_buf b;
    struct dma_map m;

    if (!KTEST_ASSERT_EQ(t, dma_alloc(&b, 4 * PAGE, PAGE, DMA_LIMIT_64BIT, "ktest"), 0))
        return;
    KTEST_ASSERT_EQ(t, dma_map(&m, (char *)b.va + 100, 3 * PAGE, DMA_TO_DEVICE, DMA_LIMIT_64BIT, 0), 0);
    KTEST_ASSERT_EQ(t, m.nseg, 1);
    KTEST_ASSERT_EQ(t, m.seg[0].bus, b.bus + 100);
    KTEST_ASSERT_EQ(t, m.seg[0].len, 3 * PAGE);
    KTEST_ASSERT_EQ(t, m.bounce.size, 0);
    dma_unmap(&m);
    KTEST_ASSERT_EQ(t, dma_map(&m, b.va, 3 * PAGE + 8, DMA_FROM_DEVICE, DMA_LIMIT_64BIT, PAGE), 0);
    KTEST_ASSERT_EQ(t, m.nseg, 4);
    KTEST_ASSERT(t, m.seg[1].bus == b.bus + PAGE && m.seg[1].len == PAGE);
    KTEST_ASSERT_EQ(t, m.seg[3].len, 8);
    dma_unmap(&m);
    KTEST_ASSERT_EQ(t, dma_map(&m, b.va, 4 * PAGE, DMA_TO_DEVICE, DMA_LIMIT_64BIT, 256), -1);   /* 64 */
    dma_free(&b);
}

/* Through a bounce buffer below `limit`: a write copies in, a read copies out at unmap. */
static void bounce_round_trip(struct ktest *t, uint8_t *buf, size_t len, uint64_t limit)
{
    struct dma_map m;
    int same = 1;

    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 13 + 5);
    if (!KTEST_ASSERT_EQ(t, dma_map(&m, buf, len, DMA_TO_DEVICE, limit, 0), 0))
        return;
    KTEST_ASSERT_EQ(t, m.nseg, 1);
    KTEST_ASSERT(t, m.bounce.size >= len);
    KTEST_ASSERT(t, m.seg[0].bus + m.seg[0].len - 1 <= limit);
    same = memcmp(arch_phys_to_virt(m.seg[0].bus), buf, len) == 0;
    KTEST_ASSERT(t, same);                              /* what the device will read */
    dma_unmap(&m);
    if (!KTEST_ASSERT_EQ(t, dma_map(&m, buf, len, DMA_FROM_DEVICE, limit, 0), 0))
        return;
    memset(arch_phys_to_virt(m.seg[0].bus), 0xA5, len); /* the device writes */
    KTEST_ASSERT(t, buf[0] != 0xA5);
    dma_unmap(&m);
    for (size_t i = 0; i < len; i++)
        same &= buf[i] == 0xA5;
    KTEST_ASSERT(t, same);
}

void ktest_dma_bounce_low_limit(struct ktest *t)
{
    struct dma_buf low, high;

    /* Two pages, lowest first; the lower given back: the bounce buffer's room below the higher. */
    if (!KTEST_ASSERT_EQ(t, dma_alloc(&low, PAGE, PAGE, DMA_LIMIT_64BIT, "ktest"), 0))
        return;
    if (!KTEST_ASSERT_EQ(t, dma_alloc(&high, PAGE, PAGE, DMA_LIMIT_64BIT, "ktest"), 0)) {
        dma_free(&low);
        return;
    }
    if (!KTEST_ASSERT(t, low.bus < high.bus)) {
        dma_free(&low);
        dma_free(&high);
        return;
    }
    dma_free(&low);
    bounce_round_trip(t, high.va, PAGE, high.bus - 1);
    dma_free(&high);
}

/*
 * Blocks are taken until one lies above 4 GiB, then the ones below are given
 * back (test_high.h says why they are listed, not chained through themselves).
 */
uint64_t ktest_block_above_4g(void)
{
    uint64_t *taken = kmalloc(HIGH_TRIES * sizeof *taken), high = 0;
    unsigned n = 0;

    if (!taken)
        return 0;
    while (n < HIGH_TRIES && (taken[n] = mm_frame_alloc_2m()) != PMM_NONE) {
        if (taken[n] >= FOUR_GIB) {
            high = taken[n];
            break;
        }
        n++;
    }
    for (unsigned i = 0; i < n; i++)
        mm_frame_free_2m(taken[i]);
    kfree(taken);
    return high;
}

void ktest_dma_bounce_above_4g(struct ktest *t)
{
    uint64_t high = ktest_block_above_4g();

    if (!high) {
        KTEST_SKIP(t, "no free memory above 4 GiB");
        return;
    }
    bounce_round_trip(t, (uint8_t *)arch_phys_to_virt(high) + 64, 2 * PAGE, DMA_LIMIT_32BIT);
    mm_frame_free_2m(high);
}
