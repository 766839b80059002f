/*
 * test_ahci.c - ktests for the AHCI driver (drivers/ata/ahci*.c). Each
 * skips on a machine without what it needs (tests/qemu/ktest.sh derives
 * from a cell's options which cells must skip them):
 *
 *   ahci_ncq_in_flight       the first AHCI disk: eight reads submitted at
 *                            once (interrupts off meanwhile), of blocks far
 *                            apart (the block layer cannot merge them), each
 *                            equal to the same block read alone; on an NCQ
 *                            port all eight were on the hardware at once
 *                            (stat_max_out)
 *   ahci_timeout_retry       the first AHCI disk, its last block: one
 *                            command "lost" (ahci_test_drop, a 100 ms
 *                            timeout): the port is reset, the read retried
 *                            and it succeeds; two lost: BLOCK_ETIMEDOUT;
 *                            then the port reads again
 *   ahci_read_error_reported ahci_bad_sector=N on the command line: the
 *                            cell's blkdebug fails every read of sector N
 *                            of the AHCI disk with TESSERA-BADDISK in its
 *                            block 0 (not a scratch disk: the block layer's
 *                            scratch test would write it; N lies beyond
 *                            the 1 MiB blk_readback reads); four reads in flight at once,
 *                            one of them covering N: that one returns
 *                            BLOCK_EIO (the cell checks the log line names
 *                            N), the other three succeed, and so does a
 *                            read after it
 * The readback and scratch-write checks are the block layer's (their
 * cells in tests/cases.sh, "AHCI (drivers/ata/)").
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "ata/ahci.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/heap.h"
#include "sync/semaphore.h"
#include "test/ktest.h"

#define BADDISK_MAGIC   "TESSERA-BADDISK"  /* block 0 of the blkdebug disk (ahci-disks.sh) */
#define DROP_TIMEOUT_MS 100
#define NREADS          8
#define SPREAD          64              /* blocks between the reads: never contiguous */

/* An AHCI whole disk: the first, or the first whose block 0 holds BADDISK_MAGIC. */
static struct block_device *find_disk(int baddisk)
{
    for (struct block_device *d = block_first(); d; d = d->next) {
        if (d->disk || !d->ops || strcmp(d->ops->driver, "ahci") != 0)
            continue;
        if (!baddisk)
            return d;
        uint8_t *b0 = kmalloc(d->block_size);
        int is = b0 && block_read(d, 0, 1, b0) == 0 &&
                 memcmp(b0, BADDISK_MAGIC, sizeof BADDISK_MAGIC - 1) == 0;
        kfree(b0);
        if (is)
            return d;
    }
    return 0;
}

struct batch {
    struct semaphore done;
    struct block_request req[NREADS];
};

static void one_done(struct block_request *req)
{
    sem_up(req->ctx);
}

/*
 * n reads submitted together (blocks[i], one block each, into bufs[i]);
 * waits for all. Interrupts are off while they are submitted, so no
 * completion runs in between (on one CPU the completion thread would take
 * each read before the next is issued): a queuing port gets them all at once.
 */
static void read_batch(struct block_device *d, struct batch *b, const uint64_t *blocks,
                       uint8_t **bufs, unsigned n)
{
    uint64_t flags;

    sem_init(&b->done, 0, "ahci ktest");
    for (unsigned i = 0; i < n; i++) {
        b->req[i] = (struct block_request){ .op = BLOCK_READ, .block = blocks[i], .count = 1,
                                            .buf = bufs[i], .done = one_done, .ctx = &b->done };
    }
    flags = arch_irq_save();
    for (unsigned i = 0; i < n; i++)
        block_submit(d, &b->req[i]);
    arch_irq_restore(flags);
    for (unsigned i = 0; i < n; i++)
        sem_down(&b->done);
}

static uint8_t **alloc_bufs(unsigned n, uint32_t size)
{
    uint8_t **bufs = kcalloc(n + 1, sizeof *bufs);

    for (unsigned i = 0; bufs && i <= n; i++)
        if (!(bufs[i] = kmalloc(size)))
            return 0;
    return bufs;
}

static void free_bufs(uint8_t **bufs, unsigned n)
{
    for (unsigned i = 0; bufs && i <= n; i++)
        kfree(bufs[i]);
    kfree(bufs);
}

void ktest_ahci_ncq_in_flight(struct ktest *t)
{
    struct block_device *d = find_disk(0);
    struct ahci_port *p;
    uint64_t blocks[NREADS];
    struct batch *b = kmalloc(sizeof *b);
    uint8_t **bufs = alloc_bufs(NREADS, 4096);  /* bufs[NREADS]: the lone reads */

    if (!d) {
        KTEST_SKIP(t, "no AHCI disk");
        goto out;
    }
    p = d->driver_data;
    if (!KTEST_ASSERT(t, b && bufs) || !KTEST_ASSERT(t, d->blocks > NREADS * SPREAD))
        goto out;
    for (unsigned i = 0; i < NREADS; i++)
        blocks[i] = i * SPREAD;
    p->stat_max_out = 0;
    read_batch(d, b, blocks, bufs, NREADS);
    for (unsigned i = 0; i < NREADS; i++) {
        if (!KTEST_ASSERT_EQ(t, b->req[i].status, 0) ||
            !KTEST_ASSERT_EQ(t, block_read(d, blocks[i], 1, bufs[NREADS]), 0))
            goto out;
        KTEST_ASSERT(t, memcmp(bufs[i], bufs[NREADS], d->block_size) == 0);
    }
    if (p->ncq)
        KTEST_ASSERT_EQ(t, p->stat_max_out, NREADS);
out:
    kfree(b);
    free_bufs(bufs, NREADS);
}

void ktest_ahci_timeout_retry(struct ktest *t)
{
    struct block_device *d = find_disk(0);
    struct ahci_port *p;
    uint8_t *buf;
    uint64_t last, resets;

    if (!d) {
        KTEST_SKIP(t, "no AHCI disk");
        return;
    }
    p = d->driver_data;
    last = d->blocks - 1;
    if (!KTEST_ASSERT(t, (buf = kmalloc(d->block_size)) != 0))
        return;
    resets = p->stat_resets;
    ahci_test_drop(d, last, 1, DROP_TIMEOUT_MS);
    KTEST_ASSERT_EQ(t, block_read(d, last, 1, buf), 0);
    KTEST_ASSERT_EQ(t, p->stat_resets, resets + 1);
    ahci_test_drop(d, last, 2, DROP_TIMEOUT_MS);
    KTEST_ASSERT_EQ(t, block_read(d, last, 1, buf), (uint64_t)(int64_t)BLOCK_ETIMEDOUT);
    KTEST_ASSERT_EQ(t, p->stat_resets, resets + 3);
    ahci_test_drop(d, 0, 0, AHCI_CMD_TIMEOUT_MS);
    KTEST_ASSERT_EQ(t, block_read(d, last, 1, buf), 0);
    kfree(buf);
}

void ktest_ahci_read_error_reported(struct ktest *t)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t bad, blocks[4];
    struct block_device *d;
    struct batch *b = 0;
    uint8_t **bufs = 0;

    if (cmdline_number(cmdline, len, "ahci_bad_sector", &bad) != 1) {
        KTEST_SKIP(t, "no ahci_bad_sector= on the command line (no blkdebug disk)");
        return;
    }
    if (!KTEST_ASSERT(t, (d = find_disk(1)) != 0) || !KTEST_ASSERT(t, bad >= 2 * SPREAD) ||
        !KTEST_ASSERT(t, (b = kmalloc(sizeof *b)) && (bufs = alloc_bufs(4, d->block_size))))
        goto out;
    blocks[0] = bad - 2 * SPREAD;
    blocks[1] = bad - SPREAD;
    blocks[2] = bad;
    blocks[3] = bad + SPREAD;
    read_batch(d, b, blocks, bufs, 4);
    KTEST_ASSERT_EQ(t, b->req[0].status, 0);
    KTEST_ASSERT_EQ(t, b->req[1].status, 0);
    KTEST_ASSERT_EQ(t, b->req[2].status, (uint64_t)(int64_t)BLOCK_EIO);
    KTEST_ASSERT_EQ(t, b->req[3].status, 0);
    KTEST_ASSERT_EQ(t, block_read(d, bad + 1, 1, bufs[4]), 0);
out:
    kfree(b);
    free_bufs(bufs, 4);
}
