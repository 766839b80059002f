/*
 * test_block_disks.c - the checks every disk driver's cells share
 * (docs/storage.md, "Testing a driver"): what the registered disks hold,
 * compared by the host after the boot.
 *
 *   blk_readback       for every registered device (whole disks and
 *                      partitions), the CRC-32 of its first 1 MiB (all of it
 *                      when smaller), read through the queue, printed as
 *                          blk: readback NAME blocks A..B crc32 0xXXXXXXXX
 *                      tests/qemu/blk-readback.sh IMAGE LOG DISK computes the
 *                      same over the image file (each partition's start from
 *                      sfdisk) and compares; skipped when no disk is registered.
 *   blk_scratch_write  only on a whole disk whose block 0 begins with
 *                      TESSERA-SCRATCH (never any other disk): blocks 1..end
 *                      written by several threads pinned to different CPUs,
 *                      each block holding its number, the seed and words made
 *                      from both (SCRATCH_PATTERN); then a FLUSH; then read
 *                      back here. tests/qemu/blk-scratch-check.sh checks every
 *                      block of the file after QEMU exits. Skipped when there
 *                      is no scratch disk.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "block/blockdev.h"
#include "block/crc32.h"
#include "mm/heap.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "test/test_scratch.h"

#define READBACK_BYTES      (1024 * 1024)
#define CHUNK_BYTES         (64 * 1024)
#define SCRATCH_MAX_BLOCKS  16384       /* 8 MiB of 512-byte blocks: a cheap test */
#define SCRATCH_THREADS_MAX 8
#define SCRATCH_RUN         16          /* blocks a thread writes (and the check reads) at a time */
#define SCRATCH_MULT        0x9E3779B97F4A7C15ULL

/* The CRC of blocks [0, n) of dev: 0, or the read's error. */
static int crc_blocks(struct block_device *dev, uint64_t n, uint8_t *buf, uint32_t *crc)
{
    uint32_t per = CHUNK_BYTES / dev->block_size;

    *crc = 0;
    for (uint64_t b = 0; b < n; b += per) {
        uint32_t count = n - b < per ? (uint32_t)(n - b) : per;
        int err = block_read(dev, b, count, buf);
        if (err)
            return err;
        *crc = crc32_update(*crc, buf, (size_t)count * dev->block_size);
    }
    return 0;
}

void ktest_blk_readback(struct ktest *t)
{
    uint8_t *buf;
    unsigned devices = 0;

    if (!block_first()) {
        KTEST_SKIP(t, "no block device registered");
        return;
    }
    buf = kmalloc(CHUNK_BYTES);
    if (!KTEST_ASSERT(t, buf != NULL))
        return;
    for (struct block_device *d = block_first(); d; d = d->next) {
        uint64_t n = READBACK_BYTES / d->block_size < d->blocks ? READBACK_BYTES / d->block_size : d->blocks;
        uint32_t crc;
        int err = crc_blocks(d, n, buf, &crc);

        if (!KTEST_ASSERT_EQ(t, err, 0))
            continue;
        printk(LOG_INFO, "blk: readback %s blocks 0..%llu crc32 0x%08x\n", d->name,
               (unsigned long long)(n - 1), crc);
        devices++;
    }
    KTEST_ASSERT(t, devices > 0);
    kfree(buf);
}

/* ---- scratch writes ---- */

/* Block `block` of the pattern: word 0 its number, word 1 the seed, the rest from both. */
static void scratch_pattern(uint64_t *w, uint32_t bs, uint64_t block, uint64_t seed)
{
    w[0] = block;
    w[1] = seed;
    for (uint32_t k = 2; k < bs / 8; k++)
        w[k] = (block * SCRATCH_MULT) ^ (seed + k);
}

struct scratch_job {
    struct block_device *dev;
    uint64_t seed;
    unsigned index, threads;
    int status;
};

/* Thread `index` writes runs index, index + threads, ... of SCRATCH_RUN blocks from block 1. */
static void scratch_writer(void *arg)
{
    struct scratch_job *j = arg;
    uint32_t bs = j->dev->block_size;
    uint64_t *buf = kmalloc((size_t)SCRATCH_RUN * bs);

    j->status = buf ? 0 : BLOCK_ENOMEM;
    for (uint64_t b = 1 + (uint64_t)j->index * SCRATCH_RUN; buf && !j->status && b < j->dev->blocks;
         b += (uint64_t)j->threads * SCRATCH_RUN) {
        uint32_t n = j->dev->blocks - b < SCRATCH_RUN ? (uint32_t)(j->dev->blocks - b) : SCRATCH_RUN;
        for (uint32_t i = 0; i < n; i++)
            scratch_pattern(buf + (size_t)i * bs / 8, bs, b + i, j->seed);
        j->status = block_write(j->dev, b, n, buf);
    }
    kfree(buf);
}

/* The whole disk whose block 0 carries the magic (never the boot disk), or NULL. */
struct block_device *blk_test_scratch_disk(uint8_t *buf)
{
    struct block_device *boot = block_boot_device();

    for (struct block_device *d = block_first(); d; d = d->next)
        if (!d->disk && (!boot || boot->disk != d) && block_read(d, 0, 1, buf) == 0 &&
            memcmp(buf, SCRATCH_MAGIC, sizeof SCRATCH_MAGIC - 1) == 0)
            return d;
    return NULL;
}

/* Read every block back, SCRATCH_RUN at a time: the number of blocks that differ from the pattern. */
static uint64_t scratch_verify(struct block_device *d, uint64_t seed, uint64_t *buf, uint64_t *want)
{
    uint32_t bs = d->block_size;
    uint64_t bad = 0;

    for (uint64_t b = 1; b < d->blocks; b += SCRATCH_RUN) {
        uint32_t n = d->blocks - b < SCRATCH_RUN ? (uint32_t)(d->blocks - b) : SCRATCH_RUN;
        if (block_read(d, b, n, buf) != 0) {
            bad += n;
            continue;
        }
        for (uint32_t i = 0; i < n; i++) {
            scratch_pattern(want, bs, b + i, seed);
            bad += memcmp(buf + (size_t)i * bs / 8, want, bs) != 0;
        }
    }
    return bad;
}

static void scratch_run(struct ktest *t, struct block_device *d, uint64_t *buf)
{
    struct scratch_job jobs[SCRATCH_THREADS_MAX];
    struct thread *th[SCRATCH_THREADS_MAX];
    unsigned cpus = sched_cpus(), n = cpus < 2 ? 2 : cpus > SCRATCH_THREADS_MAX ? SCRATCH_THREADS_MAX : cpus;
    uint64_t seed = arch_rdtsc() | 1;

    for (unsigned i = 0; i < n; i++) {
        jobs[i] = (struct scratch_job){ d, seed, i, n, 0 };
        th[i] = thread_create_on("ktest_scratch", scratch_writer, &jobs[i], SCHED_PRIO_DEFAULT, (int)(i % cpus));
        KTEST_ASSERT(t, th[i] != NULL);
    }
    for (unsigned i = 0; i < n; i++)
        if (th[i]) {
            thread_join(th[i]);
            KTEST_ASSERT_EQ(t, jobs[i].status, 0);
        }
    KTEST_ASSERT_EQ(t, block_flush(d), 0);
    printk(LOG_INFO, "blk: scratch %s blocks 1..%llu seed 0x%016llx, %u threads on %u CPUs\n", d->name,
           (unsigned long long)(d->blocks - 1), (unsigned long long)seed, n, cpus < n ? cpus : n);
    KTEST_ASSERT_EQ(t, scratch_verify(d, seed, buf, buf + (size_t)SCRATCH_RUN * d->block_size / 8), 0);
}

void ktest_blk_scratch_write(struct ktest *t)
{
    uint64_t *buf = kmalloc((SCRATCH_RUN + 1) * 4096);     /* a run read back, and one block made */
    struct block_device *d;

    if (!KTEST_ASSERT(t, buf != NULL))
        return;
    d = blk_test_scratch_disk((uint8_t *)buf);
    if (!d)
        KTEST_SKIP(t, "no scratch disk (a whole disk whose block 0 begins with " SCRATCH_MAGIC ")");
    else if (d->blocks > SCRATCH_MAX_BLOCKS)
        ktest_fail(t, __FILE__, __LINE__, "scratch disk %s has %llu blocks: more than %u is not a cheap test",
                   d->name, (unsigned long long)d->blocks, SCRATCH_MAX_BLOCKS);
    else if (d->read_only)
        ktest_fail(t, __FILE__, __LINE__, "scratch disk %s is read-only", d->name);
    else
        scratch_run(t, d, buf);
    kfree(buf);
}
