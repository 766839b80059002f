/*
 * pageio.c - the page cache's disk I/O: a page of a file read from, or
 * written to, the blocks the file system says it lives in.
 *
 * The file system answers only "where is block N of this file"
 * (aops->get_block, in sb->block_size units, with how many blocks follow it
 * on the disk); this file turns a page into block requests on sb->dev, one
 * per run of contiguous blocks, converted to the device's sector size.
 * Requests of many pages are queued together (an io_batch) and waited for
 * together. The batch keeps its last request open (not submitted yet) and
 * grows it while the next run continues it on the disk and in memory: the
 * block queue merges only requests still pending, and a queue as deep as
 * NCQ's starts each one at once, so without this a read-ahead of 32
 * physically contiguous pages (pagecache.c allocates them so) would be 32
 * commands; with it, it is one.
 *
 * Holes read as zeros; a hole is never written (a page's bytes in a hole
 * are zeros anyway: a write allocates its blocks first, pagecache.h).
 * File system blocks larger than a page are refused (EINVAL).
 */
#include <string.h>

#include "block/blockdev.h"
#include "fs/pageio.h"
#include "mm/heap.h"
#include "sync/semaphore.h"

#define IO_BATCH_MAX    64

struct io_batch {
    struct semaphore done;          /* one up per finished request */
    unsigned submitted;             /* reqs[0..submitted) queued */
    struct block_device *dev;       /* the open request's device */
    int open;                       /* reqs[submitted] filled, not submitted yet */
    int err;                        /* the first request's error */
    struct block_request reqs[IO_BATCH_MAX];
};

struct io_batch *io_batch_new(void)
{
    struct io_batch *b = kcalloc(1, sizeof(*b));

    if (b)
        sem_init(&b->done, 0, "pageio");
    return b;
}

/* Submit the open request, if any. */
static void io_close(struct io_batch *b, struct block_device *dev)
{
    if (b->open) {
        b->open = 0;
        block_submit(dev, &b->reqs[b->submitted++]);
    }
}

int io_batch_wait(struct io_batch *b)
{
    int err;

    io_close(b, b->dev);
    for (unsigned i = 0; i < b->submitted; i++)
        sem_down(&b->done);
    b->submitted = 0;
    err = b->err;
    b->err = 0;
    return err;
}

void io_batch_free(struct io_batch *b)
{
    io_batch_wait(b);
    kfree(b);
}

static void io_done(struct block_request *req)
{
    struct io_batch *b = req->ctx;
    int zero = 0;

    if (req->status)
        __atomic_compare_exchange_n(&b->err, &zero, req->status < 0 ? req->status : -EIO, 0,
                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    sem_up(&b->done);
}

/* Queue count fs blocks at pblock: added to the open request when they continue it on
 * the disk and in memory, else in a new open request (the old one submitted; a full
 * batch is waited for first). */
static int io_add(struct io_batch *b, struct super_block *sb, unsigned op, uint64_t pblock,
                  uint32_t count, void *buf)
{
    struct block_device *dev = sb->dev;
    uint32_t factor = sb->block_size / dev->block_size;
    struct block_request *req = &b->reqs[b->submitted];
    int err = 0;

    if (b->open && b->dev == dev && req->op == op && req->block + req->count == pblock * factor &&
        (char *)req->buf + (size_t)req->count * dev->block_size == (char *)buf) {
        req->count += count * factor;
        return 0;
    }
    io_close(b, b->dev);
    if (b->submitted == IO_BATCH_MAX)
        err = io_batch_wait(b);
    req = &b->reqs[b->submitted];
    memset(req, 0, sizeof(*req));
    req->op = op;
    req->block = pblock * factor;
    req->count = count * factor;
    req->buf = buf;
    req->done = io_done;
    req->ctx = b;
    b->dev = dev;
    b->open = 1;
    return err;
}

static int page_geometry(struct inode *inode, uint32_t *bs, uint32_t *per_page)
{
    struct super_block *sb = inode->sb;

    *bs = sb->block_size;
    if (!sb->dev || *bs < sb->dev->block_size || *bs > PAGE_CACHE_SIZE || *bs % sb->dev->block_size)
        return -EINVAL;
    *per_page = PAGE_CACHE_SIZE / *bs;
    return 0;
}

/* Walk the blocks of page p below `limit` bytes of file: each run of mapped blocks queued
 * as op; holes zeroed (reads) or skipped (writes). */
static int page_runs(struct io_batch *b, struct cpage *p, unsigned op, uint64_t limit)
{
    struct inode *inode = p->owner;
    uint32_t bs, per_page;
    int err = page_geometry(inode, &bs, &per_page);

    for (uint32_t i = 0; !err && i < per_page; ) {
        uint64_t iblock = p->index * per_page + i, pblock = 0;
        uint32_t contig = 1, run;

        if (iblock * bs >= limit) {
            if (op == BLOCK_READ)
                memset(p->data + i * bs, 0, (per_page - i) * bs);
            break;
        }
        err = inode->aops->get_block(inode, iblock, &pblock, &contig, 0);
        if (err)
            break;
        run = contig ? contig : 1;
        if (run > per_page - i)
            run = per_page - i;
        while (run > 1 && (iblock + run - 1) * bs >= limit)
            run--;
        if (pblock == 0) {
            if (op == BLOCK_READ)
                memset(p->data + i * bs, 0, bs);
            run = 1;
        } else {
            err = io_add(b, inode->sb, op, pblock, run, p->data + i * bs);
        }
        i += run;
    }
    return err;
}

int pageio_read(struct io_batch *b, struct cpage *p)
{
    return page_runs(b, p, BLOCK_READ, p->owner->size);
}

int pageio_write(struct io_batch *b, struct cpage *p)
{
    return page_runs(b, p, BLOCK_WRITE, p->owner->size);
}

long pageio_allocate(struct inode *inode, uint64_t pos, size_t len)
{
    uint32_t bs, per_page;
    int err = page_geometry(inode, &bs, &per_page);
    uint64_t first = pos / bs, last = (pos + len - 1) / bs;

    (void)per_page;
    for (uint64_t iblock = first; !err && iblock <= last; iblock++) {
        uint64_t pblock = 0;
        err = inode->aops->get_block(inode, iblock, &pblock, NULL, 1);
        if (!err && pblock == 0)
            err = -EIO;                 /* a file system that said yes and gave nothing */
        if (err && iblock > first)
            return (long)(iblock * bs - pos);   /* the blocks before the failing one */
    }
    return err ? err : (long)len;
}
