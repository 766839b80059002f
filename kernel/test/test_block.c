/*
 * test_block.c - ktests of the block layer's queue and names (drivers/block/
 * blkqueue.c, blockdev.c) on RAM disks made in the heap (ramdisk.h): never
 * registered, so they do not join the device list the disk tests
 * (test_block_disks.c) read.
 *
 *   block_names            Linux's names: sda..sdz, sdaa; ram0; nvme0n1; a "p"
 *                          before a partition number after a digit
 *   block_queue_merge      four contiguous writes behind a held disk reach it
 *                          as two requests (the first, then one carrying three)
 *   block_queue_split      a read of 10 blocks on a disk taking 4 at a time
 *                          reaches it as 4 + 4 + 2; an error in one piece is
 *                          the whole request's status
 *   block_queue_depth      never more than queue_depth requests in flight
 *   block_request_checks   out of range, empty, read-only, unknown op refused
 *   block_partition_shift  a partition's block N is its disk's first_block + N
 * The disk's thread is held (ramdisk_hold) where the test needs requests to
 * wait in the queue, so what the disk is given does not depend on timing.
 */
#include <stdint.h>
#include <string.h>

#include "block/blockdev.h"
#include "block/ramdisk.h"
#include "mm/heap.h"
#include "sync/semaphore.h"
#include "test/ktest.h"

#define BS          512
#define DISK_BLOCKS 64

struct tdisk {
    struct ramdisk rd;
    uint8_t *data;
};

/* A disk of DISK_BLOCKS blocks, block b filled with the byte b. 1 when made. */
static int tdisk_make(struct ktest *t, struct tdisk *d, uint32_t max_blocks, uint32_t depth)
{
    d->data = kmalloc(DISK_BLOCKS * BS);
    if (!KTEST_ASSERT(t, d->data != NULL))
        return 0;
    for (unsigned b = 0; b < DISK_BLOCKS; b++)
        memset(d->data + b * BS, b, BS);
    if (!KTEST_ASSERT_EQ(t, ramdisk_init(&d->rd, d->data, DISK_BLOCKS, BS, "ktest", max_blocks, depth), 0)) {
        kfree(d->data);
        return 0;
    }
    return 1;
}

static void tdisk_free(struct tdisk *d)
{
    ramdisk_stop(&d->rd);
    kfree(d->data);
}

/* Asynchronous requests whose done counts into a semaphore. */
static void count_done(struct block_request *req)
{
    sem_up(req->ctx);
}

static void submit(struct block_device *dev, struct block_request *r, unsigned op, uint64_t block,
                   uint32_t count, void *buf, struct semaphore *done)
{
    memset(r, 0, sizeof *r);
    r->op = op;
    r->block = block;
    r->count = count;
    r->buf = buf;
    r->done = count_done;
    r->ctx = done;
    block_submit(dev, r);
}

void ktest_block_names(struct ktest *t)
{
    static const struct { const char *prefix; int style; unsigned n; const char *name; } disks[] = {
        { "sd", BLOCK_NAME_LETTER, 0, "sda" }, { "sd", BLOCK_NAME_LETTER, 25, "sdz" },
        { "sd", BLOCK_NAME_LETTER, 26, "sdaa" }, { "sd", BLOCK_NAME_LETTER, 701, "sdzz" },
        { "vd", BLOCK_NAME_LETTER, 1, "vdb" }, { "ram", BLOCK_NAME_NUMBER0, 0, "ram0" },
        { "nvme0n", BLOCK_NAME_NUMBER1, 0, "nvme0n1" }, { "nvme1n", BLOCK_NAME_NUMBER1, 2, "nvme1n3" },
    };
    char name[BLOCK_NAME_LEN];

    for (unsigned i = 0; i < sizeof disks / sizeof disks[0]; i++) {
        KTEST_ASSERT_EQ(t, block_disk_name(name, disks[i].prefix, disks[i].style, disks[i].n), 0);
        KTEST_ASSERT_STR_EQ(t, name, disks[i].name);
    }
    KTEST_ASSERT_EQ(t, block_disk_name(name, "sd", BLOCK_NAME_LETTER, 702), -1);
    KTEST_ASSERT_EQ(t, block_part_name(name, "sda", 1), 0);
    KTEST_ASSERT_STR_EQ(t, name, "sda1");
    KTEST_ASSERT_EQ(t, block_part_name(name, "nvme0n1", 12), 0);
    KTEST_ASSERT_STR_EQ(t, name, "nvme0n1p12");
    KTEST_ASSERT_EQ(t, block_part_name(name, "ram0", 5), 0);
    KTEST_ASSERT_STR_EQ(t, name, "ram0p5");
}

void ktest_block_queue_merge(struct ktest *t)
{
    struct tdisk d;
    struct block_request r[4];
    struct semaphore done;
    uint8_t *buf = kmalloc(8 * BS);
    int ok;

    if (!KTEST_ASSERT(t, buf != NULL) || !tdisk_make(t, &d, 0, 1)) {
        kfree(buf);
        return;
    }
    for (unsigned i = 0; i < 8 * BS; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    sem_init(&done, 0, "ktest_done");
    ramdisk_hold(&d.rd);
    for (unsigned i = 0; i < 4; i++)
        submit(&d.rd.dev, &r[i], BLOCK_WRITE, 8 + 2 * i, 2, buf + 2 * i * BS, &done);
    ramdisk_release(&d.rd);
    for (unsigned i = 0; i < 4; i++)
        sem_down(&done);
    for (unsigned i = 0; i < 4; i++)
        KTEST_ASSERT_EQ(t, r[i].status, 0);
    KTEST_ASSERT_EQ(t, d.rd.starts, 2);
    KTEST_ASSERT_EQ(t, d.rd.start_count[0], 2);
    KTEST_ASSERT_EQ(t, d.rd.start_count[1], 6);
    KTEST_ASSERT_EQ(t, d.rd.dev.stat_merges, 2);
    ok = memcmp(d.data + 8 * BS, buf, 8 * BS) == 0;
    KTEST_ASSERT(t, ok);
    KTEST_ASSERT_EQ(t, d.data[16 * BS], 16);            /* the block after untouched */
    tdisk_free(&d);
    kfree(buf);
}

/* How many of the disk's first three starts were of `count` blocks. */
static unsigned pieces_of(const struct ramdisk *rd, uint32_t count)
{
    unsigned n = 0;

    for (unsigned i = 0; i < 3; i++)
        n += rd->start_count[i] == count;
    return n;
}

void ktest_block_queue_split(struct ktest *t)
{
    struct tdisk d;
    uint8_t *buf = kmalloc(10 * BS);
    int ok = 1;

    if (!KTEST_ASSERT(t, buf != NULL) || !tdisk_make(t, &d, 4, 4)) {
        kfree(buf);
        return;
    }
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, 3, 10, buf), 0);
    KTEST_ASSERT_EQ(t, d.rd.starts, 3);
    /* Pieces of 4, 4 and 2 blocks, started in any order: a piece may be
     * dispatched by the submitter and the next by the completing thread on
     * another CPU, each calling start after letting go of the queue's lock. */
    KTEST_ASSERT_EQ(t, pieces_of(&d.rd, 4), 2);
    KTEST_ASSERT_EQ(t, pieces_of(&d.rd, 2), 1);
    KTEST_ASSERT_EQ(t, d.rd.dev.stat_splits, 1);
    for (unsigned b = 0; b < 10; b++)
        ok &= buf[b * BS] == 3 + b && buf[b * BS + BS - 1] == 3 + b;
    KTEST_ASSERT(t, ok);
    d.rd.fail_block = 8;                                /* in the second piece */
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, 3, 10, buf), BLOCK_EIO);
    KTEST_ASSERT_EQ(t, d.rd.starts, 6);                 /* every piece went, and came back */
    KTEST_ASSERT_EQ(t, d.rd.dev.in_flight, 0);
    tdisk_free(&d);
    kfree(buf);
}

void ktest_block_queue_depth(struct ktest *t)
{
    struct tdisk d;
    struct block_request r[5];
    struct semaphore done;
    uint8_t *buf = kmalloc(5 * BS);

    if (!KTEST_ASSERT(t, buf != NULL) || !tdisk_make(t, &d, 0, 2)) {
        kfree(buf);
        return;
    }
    sem_init(&done, 0, "ktest_done");
    ramdisk_hold(&d.rd);
    for (unsigned i = 0; i < 5; i++)
        submit(&d.rd.dev, &r[i], BLOCK_READ, 10 * i, 1, buf + i * BS, &done);
    KTEST_ASSERT_EQ(t, d.rd.starts, 2);                 /* two in flight, three pending */
    KTEST_ASSERT_EQ(t, d.rd.dev.in_flight, 2);
    ramdisk_release(&d.rd);
    for (unsigned i = 0; i < 5; i++)
        sem_down(&done);
    KTEST_ASSERT_EQ(t, d.rd.starts, 5);
    KTEST_ASSERT_EQ(t, d.rd.max_in_flight, 2);
    for (unsigned i = 0; i < 5; i++)
        KTEST_ASSERT(t, r[i].status == 0 && buf[i * BS] == 10 * i);
    tdisk_free(&d);
    kfree(buf);
}

void ktest_block_request_checks(struct ktest *t)
{
    struct tdisk d;
    struct block_request r;
    struct semaphore done;
    uint8_t buf[2 * BS];

    if (!tdisk_make(t, &d, 0, 1))
        return;
    sem_init(&done, 0, "ktest_done");
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, DISK_BLOCKS, 1, buf), BLOCK_EINVAL);
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, DISK_BLOCKS - 1, 2, buf), BLOCK_EINVAL);
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, ~0ULL, 2, buf), BLOCK_EINVAL);
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, 0, 0, buf), BLOCK_EINVAL);
    submit(&d.rd.dev, &r, 7, 0, 1, buf, &done);
    sem_down(&done);
    KTEST_ASSERT_EQ(t, r.status, BLOCK_EINVAL);
    KTEST_ASSERT_EQ(t, block_read(&d.rd.dev, DISK_BLOCKS - 2, 2, buf), 0);
    KTEST_ASSERT_EQ(t, buf[BS], DISK_BLOCKS - 1);
    KTEST_ASSERT_EQ(t, block_flush(&d.rd.dev), 0);
    d.rd.dev.read_only = 1;
    KTEST_ASSERT_EQ(t, block_write(&d.rd.dev, 0, 1, buf), BLOCK_EROFS);
    KTEST_ASSERT_EQ(t, d.rd.starts, 2);                 /* only the good read and the flush went */
    tdisk_free(&d);
}

void ktest_block_partition_shift(struct ktest *t)
{
    struct tdisk d;
    struct block_device part;
    uint8_t buf[BS];

    if (!tdisk_make(t, &d, 0, 1))
        return;
    memset(&part, 0, sizeof part);
    part.disk = &d.rd.dev;
    part.first_block = 16;
    part.blocks = 8;
    part.block_size = BS;
    KTEST_ASSERT_EQ(t, block_read(&part, 0, 1, buf), 0);
    KTEST_ASSERT_EQ(t, buf[0], 16);
    KTEST_ASSERT_EQ(t, block_read(&part, 8, 1, buf), BLOCK_EINVAL);   /* past the partition */
    memset(buf, 0xEE, BS);
    KTEST_ASSERT_EQ(t, block_write(&part, 7, 1, buf), 0);
    KTEST_ASSERT_EQ(t, d.data[23 * BS], 0xEE);
    KTEST_ASSERT_EQ(t, d.data[24 * BS], 24);
    tdisk_free(&d);
}
