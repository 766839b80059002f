/*
 * test_virtio.c - ktests for the virtio-blk driver (drivers/virtio/):
 *   virtio_blk_many_segments  a read into a buffer of scattered pages goes
 *                             out as one request of many segments (through
 *                             an indirect table when the device offers
 *                             them, a direct chain otherwise) and brings
 *                             the same bytes as block-by-block reads; a
 *                             flush completes (a FLUSH request, or at once
 *                             on a disk without VIRTIO_BLK_F_FLUSH)
 *   virtio_blk_timeout_reset  a request the device never saw (held off the
 *                             ring) times out, the device is reset and the
 *                             request retried: it succeeds; held twice, it
 *                             fails with BLOCK_ETIMEDOUT; the disk works after
 *   virtio_blk_read_error     on a disk whose serial is "ioerr-SECTOR" (the
 *                             cell's blkdebug fails reads of SECTOR), a
 *                             read of that sector's block fails with
 *                             BLOCK_EIO and its neighbour reads
 * Each skips, with the reason, on a machine without such a disk
 * (tests/qemu/ktest.sh knows which cells have one).
 */
#include <stdint.h>
#include <string.h>

#include "block/blockdev.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "test/ktest.h"
#include "timer/clock.h"
#include "virtio/virtio_blk.h"

#define MANY_PAGES      16
#define HOLD_TIMEOUT_MS 200

/* Physically contiguous runs in [va, va + pages pages). */
static unsigned pieces_of(uint64_t va, unsigned pages)
{
    unsigned n = 1;

    for (unsigned i = 1; i < pages; i++)
        if (vmm_translate(vmm_kernel_space(), va + i * 4096ull) !=
            vmm_translate(vmm_kernel_space(), va + (i - 1) * 4096ull) + 4096)
            n++;
    return n;
}

/* Lazy pages touched evens first, then odds: neighbours get frames apart. */
static uint64_t scattered_pages(unsigned pages)
{
    uint64_t va = kva_alloc(pages * 4096ull, KVA_LAZY, "ktest-virtio");

    for (unsigned odd = 0; va && odd < 2; odd++)
        for (unsigned i = odd; i < pages; i += 2)
            ((volatile uint8_t *)va)[i * 4096ull] = 0;
    return va;
}

void ktest_virtio_blk_many_segments(struct ktest *t)
{
    struct virtio_blk *vb = virtio_blk_first();

    if (!vb) {
        KTEST_SKIP(t, "no virtio-blk disk");
        return;
    }
    struct block_device *d = &vb->bdev;
    unsigned pages = vb->max_segs - 1 < MANY_PAGES ? vb->max_segs - 1 : MANY_PAGES;
    uint32_t count = pages * 4096 / d->block_size;
    uint64_t va = scattered_pages(pages);
    uint8_t *one = kmalloc(d->block_size);

    if (!KTEST_ASSERT(t, va && one && pages >= 2 && count <= d->max_blocks && count <= d->blocks))
        goto out;
    if (!KTEST_ASSERT(t, pieces_of(va, pages) >= pages / 2))   /* the setup scattered them */
        goto out;
    vb->stat_longest_chain = 0;
    if (!KTEST_ASSERT_EQ(t, block_read(d, 0, count, (void *)va), 0))
        goto out;
    KTEST_ASSERT(t, vb->stat_longest_chain >= pieces_of(va, pages) + 2);
    for (uint32_t b = 0; b < count; b++) {
        if (!KTEST_ASSERT_EQ(t, block_read(d, b, 1, one), 0) ||
            !KTEST_ASSERT(t, memcmp(one, (uint8_t *)va + (size_t)b * d->block_size, d->block_size) == 0))
            break;
    }
    KTEST_ASSERT_EQ(t, block_flush(d), 0);
out:
    kfree(one);
    kva_free(va);
}

/* Read block 1 with the next `held` requests kept off the ring: the status, the resets it took. */
static int read_held(struct virtio_blk *vb, unsigned held, void *buf, uint64_t *resets)
{
    uint64_t before = vb->stat_resets;
    int rc;

    virtio_blk_test_hold(vb, held, HOLD_TIMEOUT_MS * NS_PER_MS);
    rc = block_read(&vb->bdev, 1, 1, buf);
    virtio_blk_test_hold(vb, 0, VIRTIO_BLK_TIMEOUT_MS * NS_PER_MS);
    *resets = vb->stat_resets - before;
    return rc;
}

void ktest_virtio_blk_timeout_reset(struct ktest *t)
{
    struct virtio_blk *vb = virtio_blk_first();
    uint64_t resets = 0;

    if (!vb) {
        KTEST_SKIP(t, "no virtio-blk disk");
        return;
    }
    uint32_t bs = vb->bdev.block_size;
    uint8_t *ref = kmalloc(bs), *buf = kmalloc(bs);

    if (!KTEST_ASSERT(t, ref && buf) || !KTEST_ASSERT_EQ(t, block_read(&vb->bdev, 1, 1, ref), 0))
        goto out;
    memset(buf, 0xA5, bs);
    uint64_t t0 = clock_ns();

    KTEST_ASSERT_EQ(t, read_held(vb, 1, buf, &resets), 0);              /* retried after one reset */
    KTEST_ASSERT(t, clock_ns() - t0 >= HOLD_TIMEOUT_MS * NS_PER_MS);
    KTEST_ASSERT_EQ(t, resets, 1);
    KTEST_ASSERT(t, memcmp(ref, buf, bs) == 0);
    KTEST_ASSERT_EQ(t, read_held(vb, 2, buf, &resets), BLOCK_ETIMEDOUT);  /* timed out twice: given up */
    KTEST_ASSERT_EQ(t, resets, 2);
    memset(buf, 0, bs);
    KTEST_ASSERT_EQ(t, block_read(&vb->bdev, 1, 1, buf), 0);             /* and the disk still works */
    KTEST_ASSERT(t, memcmp(ref, buf, bs) == 0);
out:
    kfree(ref);
    kfree(buf);
}

/* The disk whose serial says "ioerr-SECTOR", and SECTOR; NULL if none. */
static struct virtio_blk *error_disk(uint64_t *sector)
{
    for (struct virtio_blk *vb = virtio_blk_first(); vb; vb = vb->next) {
        if (strncmp(vb->bdev.model, "ioerr-", 6) != 0)
            continue;
        *sector = 0;
        for (const char *p = vb->bdev.model + 6; *p >= '0' && *p <= '9'; p++)
            *sector = *sector * 10 + (uint64_t)(*p - '0');
        return vb;
    }
    return 0;
}

void ktest_virtio_blk_read_error(struct ktest *t)
{
    uint64_t sector = 0;
    struct virtio_blk *vb = error_disk(&sector);

    if (!vb) {
        KTEST_SKIP(t, "no virtio-blk disk with serial ioerr-SECTOR (an injected read error)");
        return;
    }
    struct block_device *d = &vb->bdev;
    uint64_t block = sector / (d->block_size / VIRTIO_BLK_SECTOR);
    uint8_t *buf = kmalloc(d->block_size);

    if (!KTEST_ASSERT(t, buf && block + 1 < d->blocks))
        goto out;
    KTEST_ASSERT_EQ(t, block_read(d, block, 1, buf), BLOCK_EIO);
    KTEST_ASSERT_EQ(t, block_read(d, block + 1, 1, buf), 0);
out:
    kfree(buf);
}
