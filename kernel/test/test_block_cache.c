/*
 * test_block_cache.c - ktests of the buffer cache (drivers/block/bcache.c),
 * each on a cache of its own (a few buffers, a short flusher period) over a
 * RAM disk in the heap whose counters show what reached the "hardware".
 *
 *   bcache_hit_and_lru       a second get of a block reads nothing; with the
 *                            cache full, the least recently used block is
 *                            the one given up
 *   bcache_write_back_sync   a dirty block stays in memory until
 *                            bcache_sync, which writes it, then FLUSHes
 *   bcache_dirty_eviction    a dirty block chosen for reuse is written back
 *                            first, never lost
 *   bcache_flusher           the flusher thread writes a dirty block and
 *                            FLUSHes without anyone calling sync
 *   bcache_threads           two threads per CPU incrementing one counter in
 *                            one block, yielding between read and write while
 *                            they hold it: no increment lost
 *   fsio_bcache_blocks       a file system's fs_io over a cache of 4 KiB
 *                            blocks on 512-byte sectors (below)
 */
#include <stdint.h>
#include <string.h>

#include "block/bcache.h"
#include "block/ramdisk.h"
#include "fs/fsio.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define BS              512
#define DISK_BLOCKS     32
#define FLUSH_NS        (20 * 1000 * 1000ULL)
#define FLUSHER_WAIT_NS (2000 * 1000 * 1000ULL)   /* 100 flusher periods */
#define THREADS_MAX     8
#define INCREMENTS      40

struct cdisk {
    struct ramdisk rd;
    uint8_t *data;
    struct bcache *c;
};

/* A disk of DISK_BLOCKS blocks (block b filled with b) and a cache of `buffers`
 * whose flusher runs every flush_ns (0: none, so only the test writes back). 1 when made. */
static int cdisk_make(struct ktest *t, struct cdisk *d, unsigned buffers, uint64_t flush_ns)
{
    d->data = kmalloc(DISK_BLOCKS * BS);
    d->c = bcache_create("ktest", buffers, flush_ns);
    if (!KTEST_ASSERT(t, d->data && d->c)) {
        kfree(d->data);
        if (d->c)
            bcache_destroy(d->c);
        return 0;
    }
    for (unsigned b = 0; b < DISK_BLOCKS; b++)
        memset(d->data + b * BS, b, BS);
    if (!KTEST_ASSERT_EQ(t, ramdisk_init(&d->rd, d->data, DISK_BLOCKS, BS, "ktest", 0, 2), 0)) {
        bcache_destroy(d->c);
        kfree(d->data);
        return 0;
    }
    return 1;
}

static void cdisk_free(struct cdisk *d)
{
    bcache_destroy(d->c);
    ramdisk_stop(&d->rd);
    kfree(d->data);
}

/* Get and put a block at once; 1 when its first byte is what the disk held. */
static int touch(struct cdisk *d, uint64_t block)
{
    struct buf *b = bcache_get(d->c, &d->rd.dev, block);
    int ok = b && b->data[0] == (uint8_t)block;

    if (b)
        bcache_put(b);
    return ok;
}

void ktest_bcache_hit_and_lru(struct ktest *t)
{
    struct cdisk d;

    if (!cdisk_make(t, &d, 4, 0))
        return;
    KTEST_ASSERT(t, touch(&d, 5));
    KTEST_ASSERT(t, touch(&d, 5));
    KTEST_ASSERT_EQ(t, d.rd.starts, 1);                 /* the second get was a hit */
    KTEST_ASSERT_EQ(t, d.c->hits, 1);
    for (unsigned b = 6; b < 9; b++)
        KTEST_ASSERT(t, touch(&d, b));                  /* full: 5, 6, 7, 8 */
    KTEST_ASSERT(t, touch(&d, 5));                      /* 5 the most recent: 6 the oldest */
    KTEST_ASSERT(t, touch(&d, 9));                      /* gives up 6 */
    KTEST_ASSERT_EQ(t, d.rd.starts, 5);
    KTEST_ASSERT(t, touch(&d, 5) && touch(&d, 7) && touch(&d, 8) && touch(&d, 9));
    KTEST_ASSERT_EQ(t, d.rd.starts, 5);                 /* all still cached */
    KTEST_ASSERT(t, touch(&d, 6));
    KTEST_ASSERT_EQ(t, d.rd.starts, 6);                 /* 6 had gone */
    KTEST_ASSERT_EQ(t, d.c->evictions, 2);
    cdisk_free(&d);
}

/* Change block `block` through the cache (its first bytes to `v`) and mark it dirty. */
static int dirty(struct cdisk *d, uint64_t block, uint8_t v)
{
    struct buf *b = bcache_get(d->c, &d->rd.dev, block);

    if (!b)
        return 0;
    memset(b->data, v, 16);
    bcache_mark_dirty(b);
    bcache_put(b);
    return 1;
}

void ktest_bcache_write_back_sync(struct ktest *t)
{
    struct cdisk d;

    if (!cdisk_make(t, &d, 4, 0))
        return;
    KTEST_ASSERT(t, dirty(&d, 3, 0xAB));
    KTEST_ASSERT_EQ(t, d.data[3 * BS], 3);              /* written back, not through */
    KTEST_ASSERT_EQ(t, bcache_sync(d.c, &d.rd.dev), 0);
    KTEST_ASSERT_EQ(t, d.data[3 * BS], 0xAB);
    KTEST_ASSERT_EQ(t, d.data[3 * BS + 16], 3);
    KTEST_ASSERT_EQ(t, d.rd.starts, 3);                 /* read, write, flush */
    KTEST_ASSERT_EQ(t, d.rd.start_op[1], BLOCK_WRITE);
    KTEST_ASSERT_EQ(t, d.rd.start_op[2], BLOCK_FLUSH);
    KTEST_ASSERT_EQ(t, bcache_sync(d.c, &d.rd.dev), 0);
    KTEST_ASSERT_EQ(t, d.rd.starts, 3);                 /* clean now: nothing to do */
    cdisk_free(&d);
}

void ktest_bcache_dirty_eviction(struct ktest *t)
{
    struct cdisk d;

    if (!cdisk_make(t, &d, 2, 0))
        return;
    KTEST_ASSERT(t, dirty(&d, 1, 0x11));
    KTEST_ASSERT(t, dirty(&d, 2, 0x22));
    KTEST_ASSERT(t, touch(&d, 4));                      /* both dirty: the older (1) is written, then reused */
    KTEST_ASSERT_EQ(t, d.data[1 * BS], 0x11);
    KTEST_ASSERT_EQ(t, d.data[2 * BS], 2);              /* 2 still only in the cache */
    KTEST_ASSERT_EQ(t, d.c->writebacks, 1);
    KTEST_ASSERT_EQ(t, d.c->evictions, 1);
    KTEST_ASSERT_EQ(t, bcache_sync(d.c, NULL), 0);
    KTEST_ASSERT_EQ(t, d.data[2 * BS], 0x22);
    cdisk_free(&d);
}

void ktest_bcache_flusher(struct ktest *t)
{
    struct cdisk d;
    uint64_t until;

    if (!cdisk_make(t, &d, 4, FLUSH_NS))
        return;
    KTEST_ASSERT(t, dirty(&d, 9, 0x99));
    until = clock_ns() + FLUSHER_WAIT_NS;
    while (__atomic_load_n(&d.c->flushes, __ATOMIC_ACQUIRE) == 0 && clock_ns() < until)
        sched_sleep_ns(FLUSH_NS / 2);
    KTEST_ASSERT(t, d.c->flusher != NULL);
    KTEST_ASSERT_EQ(t, d.data[9 * BS], 0x99);
    KTEST_ASSERT_EQ(t, d.c->flushes, 1);
    KTEST_ASSERT_EQ(t, d.rd.start_op[1], BLOCK_WRITE);
    KTEST_ASSERT_EQ(t, d.rd.start_op[2], BLOCK_FLUSH);
    cdisk_free(&d);
}

struct incr_job {
    struct cdisk *d;
    int failed;
};

static void incrementer(void *arg)
{
    struct incr_job *j = arg;

    for (unsigned i = 0; i < INCREMENTS; i++) {
        struct buf *b = bcache_get(j->d->c, &j->d->rd.dev, 3);
        uint32_t v;
        if (!b) {
            j->failed = 1;
            return;
        }
        memcpy(&v, b->data + 64, 4);
        v++;
        sched_yield();                                  /* hold the block across a switch */
        memcpy(b->data + 64, &v, 4);
        bcache_mark_dirty(b);
        bcache_put(b);
    }
}

void ktest_bcache_threads(struct ktest *t)
{
    struct cdisk d;
    struct incr_job jobs[THREADS_MAX];
    struct thread *th[THREADS_MAX];
    unsigned cpus = sched_cpus(), n = 2 * cpus > THREADS_MAX ? THREADS_MAX : 2 * cpus;
    uint32_t v;

    if (!cdisk_make(t, &d, 4, 0))
        return;
    memset(d.data + 3 * BS + 64, 0, 4);
    for (unsigned i = 0; i < n; i++) {
        jobs[i] = (struct incr_job){ &d, 0 };
        th[i] = thread_create_on("ktest_bcache", incrementer, &jobs[i], SCHED_PRIO_DEFAULT, (int)(i % cpus));
        KTEST_ASSERT(t, th[i] != NULL);
    }
    for (unsigned i = 0; i < n; i++)
        if (th[i]) {
            thread_join(th[i]);
            KTEST_ASSERT_EQ(t, jobs[i].failed, 0);
        }
    KTEST_ASSERT_EQ(t, bcache_sync(d.c, NULL), 0);
    memcpy(&v, d.data + 3 * BS + 64, 4);
    KTEST_ASSERT_EQ(t, v, n * INCREMENTS);
    cdisk_free(&d);
}

/*
 * fsio_bcache_blocks: fs_io over a per-volume cache of 4 KiB blocks on a
 * disk of 512-byte sectors (fsio_bcache.c): block 2 is sectors 16..23; a
 * block got new is zeroed without a read; a dirtied block reaches the disk
 * at sync (eight sectors, then a FLUSH); a dirtied block forgotten never
 * does; a changed block size reads the new blocks.
 */
void ktest_fsio_bcache_blocks(struct ktest *t)
{
    struct cdisk d;
    struct fs_io io;
    struct fs_buf *b;
    unsigned reads;

    if (!cdisk_make(t, &d, 4, 0))
        return;
    if (!KTEST_ASSERT_EQ(t, fsio_bcache_open(&io, &d.rd.dev, 4096, 8), 0)) {
        cdisk_free(&d);
        return;
    }
    KTEST_ASSERT_EQ(t, io.blocks, DISK_BLOCKS / 8);
    KTEST_ASSERT(t, fs_get(&io, DISK_BLOCKS / 8) == NULL);        /* past the end */
    b = fs_get(&io, 2);
    if (KTEST_ASSERT(t, b != NULL)) {
        KTEST_ASSERT_EQ(t, b->data[0], 16);                     /* sector 16 */
        KTEST_ASSERT_EQ(t, b->data[4095], 23);                  /* sector 23 */
        b->data[BS] = 0x5A;                                     /* sector 17 */
        fs_dirty(&io, b);
        fs_put(&io, b);
    }
    reads = d.rd.starts;
    b = fs_get_new(&io, 3);
    if (KTEST_ASSERT(t, b != NULL)) {
        KTEST_ASSERT_EQ(t, d.rd.starts, reads);                 /* not read */
        KTEST_ASSERT_EQ(t, b->data[0], 0);
        b->data[0] = 0xC3;
        fs_dirty(&io, b);
        fs_put(&io, b);
    }
    fs_forget(&io, 3);                                          /* freed before it was written */
    KTEST_ASSERT_EQ(t, d.data[17 * BS], 17);                    /* only in the cache yet */
    KTEST_ASSERT_EQ(t, io.ops->sync(&io), 0);
    KTEST_ASSERT_EQ(t, d.data[17 * BS], 0x5A);
    KTEST_ASSERT_EQ(t, d.data[16 * BS], 16);                    /* the rest of block 2 as it was */
    KTEST_ASSERT_EQ(t, d.data[24 * BS], 24);                    /* block 3 never written */
    KTEST_ASSERT_EQ(t, fsio_bcache_set_block_size(&io, 1024), 0);
    KTEST_ASSERT_EQ(t, io.blocks, DISK_BLOCKS / 2);
    b = fs_get(&io, 8);                                         /* sectors 16, 17 */
    if (KTEST_ASSERT(t, b != NULL)) {
        KTEST_ASSERT_EQ(t, b->data[0], 16);
        KTEST_ASSERT_EQ(t, b->data[BS], 0x5A);
        fs_put(&io, b);
    }
    fsio_bcache_close(&io);
    cdisk_free(&d);
}
