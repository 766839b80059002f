/*
 * blkqueue.c - the request queue of each whole disk (blockdev.h): what
 * block_submit does with a request until the driver's block_complete.
 *
 *   block_submit   checks the request (op, range, read-only), shifts a
 *                  partition's block to the disk (hw_block), splits a
 *                  request bigger than max_blocks into pieces, and queues
 *                  it on the disk's pending list, merged into the request
 *                  at the list's tail when it continues it;
 *   dispatch       starts pending requests, oldest first, while fewer than
 *                  queue_depth are in flight (ops->start, no lock held);
 *   block_complete counts it done, starts the next pending one, then runs
 *                  the request's done: a merged request's done completes
 *                  each request it carries, a piece's done counts down its
 *                  whole request and completes it after the last piece.
 *
 * Merging: a request continues the tail when it has the same op (read or
 * write), starts at the block after the tail's last, and its buffer starts
 * at the byte after the tail's buffer, within max_blocks. The first merge
 * puts a carrier (a request of the queue's own, allocated outside the
 * lock) in the tail's place: the carrier covers them all, and its members
 * hang from it through their next (carrier->ctx is the first). Only the
 * tail is looked at, so nothing ever moves ahead of an older request: a
 * FLUSH keeps its place among the writes.
 *
 * Splitting: n pieces (kcalloc'd together, kept in the whole request's
 * driver_priv while it waits: no driver sees the whole request), each at
 * most max_blocks, parent the whole request; pieces_left counts them down
 * under the disk's lock, and the first error among them is the status.
 *
 * Locks: each whole disk's lock guards its pending list, in_flight and
 * statistics (and a split request's count-down); never held while calling
 * the driver or a done. block_read / block_write / block_flush wait on a
 * semaphore that the request's done ups.
 */
#include "block/blockdev.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"
#include "sync/semaphore.h"

static void merge_done(struct block_request *carrier);

static struct block_device *disk_of(struct block_device *dev)
{
    return dev->disk ? dev->disk : dev;
}

static void finish(struct block_request *req, int status)
{
    req->status = status;
    req->done(req);
}

/* 0, or why the request cannot go to the device. */
static int request_bad(const struct block_device *dev, const struct block_request *req)
{
    if (req->op == BLOCK_FLUSH)
        return 0;
    if (req->op != BLOCK_READ && req->op != BLOCK_WRITE)
        return BLOCK_EINVAL;
    if (req->count == 0 || !req->buf || req->block >= dev->blocks ||
        req->count > dev->blocks - req->block)
        return BLOCK_EINVAL;
    if (req->op == BLOCK_WRITE && dev->read_only)
        return BLOCK_EROFS;
    return 0;
}

/* Whether req continues tail on the disk and in memory. Caller holds the disk's lock. */
static int continues(const struct block_device *disk, const struct block_request *tail,
                     const struct block_request *req)
{
    return !MUTANT_ENABLED(blk_merge) && req->op != BLOCK_FLUSH && tail->op == req->op &&
           tail->hw_block + tail->count == req->hw_block &&
           (const char *)tail->buf + (size_t)tail->count * disk->block_size == (const char *)req->buf &&
           (!disk->max_blocks || tail->count + req->count <= disk->max_blocks);
}

static void pending_append(struct block_device *disk, struct block_request *req)
{
    req->next = NULL;
    if (disk->pending_tail)
        disk->pending_tail->next = req;
    else
        disk->pending_head = req;
    disk->pending_tail = req;
}

/* The last member of a carrier's chain. */
static struct block_request *last_member(struct block_request *carrier)
{
    struct block_request *m = carrier->ctx;

    while (m->next)
        m = m->next;
    return m;
}

/* Put carrier in the tail's place, the tail and req its members. Caller holds the disk's lock. */
static void carry(struct block_device *disk, struct block_request *carrier, struct block_request *req)
{
    struct block_request *tail = disk->pending_tail, **link = &disk->pending_head;

    while (*link != tail)
        link = &(*link)->next;
    *carrier = *tail;
    carrier->done = merge_done;
    carrier->ctx = tail;
    carrier->next = NULL;
    carrier->parent = NULL;
    *link = carrier;
    disk->pending_tail = carrier;
    tail->next = req;
    req->next = NULL;
    carrier->count += req->count;
}

/*
 * Queue req on the disk, merged into the tail when it continues it: a
 * carrier already at the tail takes it at once; a plain tail needs a
 * carrier, allocated with the lock dropped, and the tail checked again.
 */
static void enqueue(struct block_device *disk, struct block_request *req)
{
    struct block_request *tail, *carrier = NULL;

    spin_lock(&disk->lock);
    for (;;) {
        tail = disk->pending_tail;
        if (!tail || !continues(disk, tail, req)) {
            pending_append(disk, req);
            break;
        }
        if (tail->done == merge_done) {
            last_member(tail)->next = req;
            req->next = NULL;
            tail->count += req->count;
            disk->stat_merges++;
            break;
        }
        if (carrier) {
            carry(disk, carrier, req);
            carrier = NULL;
            disk->stat_merges++;
            break;
        }
        spin_unlock(&disk->lock);
        carrier = kmalloc(sizeof *carrier);
        spin_lock(&disk->lock);
        if (!carrier) {
            pending_append(disk, req);
            break;
        }
    }
    spin_unlock(&disk->lock);
    kfree(carrier);                     /* NULL, or one the tail no longer needed */
}

/* Start pending requests while the device takes more. */
static void dispatch(struct block_device *disk)
{
    for (;;) {
        struct block_request *r;
        int err;

        spin_lock(&disk->lock);
        r = disk->pending_head;
        if (!r || disk->in_flight >= disk->queue_depth) {
            spin_unlock(&disk->lock);
            return;
        }
        disk->pending_head = r->next;
        if (!disk->pending_head)
            disk->pending_tail = NULL;
        r->next = NULL;
        disk->in_flight++;
        spin_unlock(&disk->lock);
        err = disk->ops->start(disk, r);
        if (err) {
            spin_lock(&disk->lock);
            disk->in_flight--;
            disk->stat_errors++;
            spin_unlock(&disk->lock);
            finish(r, err);
        }
    }
}

/* A carrier is done: so is each request it carries, with its status. */
static void merge_done(struct block_request *carrier)
{
    struct block_request *m = carrier->ctx;

    while (m) {
        struct block_request *next = m->next;
        m->next = NULL;
        finish(m, carrier->status);
        m = next;
    }
    kfree(carrier);
}

/* A piece is done: the whole request is when its last piece is. */
static void piece_done(struct block_request *piece)
{
    struct block_request *whole = piece->parent;
    struct block_device *disk = piece->dev;
    int last;

    spin_lock(&disk->lock);
    if (piece->status && !whole->status)
        whole->status = piece->status;
    last = --whole->pieces_left == 0;
    spin_unlock(&disk->lock);
    if (last) {
        kfree(whole->driver_priv);
        whole->driver_priv = NULL;
        whole->done(whole);
    }
}

/* Queue req as pieces of at most max_blocks. */
static void split(struct block_device *disk, struct block_request *req)
{
    uint32_t max = disk->max_blocks, n = (req->count + max - 1) / max;
    struct block_request *pieces = kcalloc(n, sizeof *pieces);

    if (!pieces) {
        finish(req, BLOCK_ENOMEM);
        return;
    }
    req->status = 0;
    req->pieces_left = n;
    req->driver_priv = pieces;
    for (uint32_t i = 0; i < n; i++) {
        struct block_request *p = &pieces[i];
        p->op = req->op;
        p->block = req->block + (uint64_t)i * max;
        p->hw_block = req->hw_block + (uint64_t)i * max;
        p->count = i + 1 < n ? max : req->count - i * max;
        p->buf = (char *)req->buf + (size_t)i * max * disk->block_size;
        p->done = piece_done;
        p->parent = req;
        p->dev = disk;
    }
    spin_lock(&disk->lock);
    disk->stat_splits++;
    spin_unlock(&disk->lock);
    for (uint32_t i = 0; i < n; i++)
        enqueue(disk, &pieces[i]);
}

void block_submit(struct block_device *dev, struct block_request *req)
{
    struct block_device *disk = disk_of(dev);
    int err = request_bad(dev, req);

    if (err) {
        finish(req, err);
        return;
    }
    req->dev = disk;
    req->hw_block = req->block + dev->first_block;
    req->next = req->parent = NULL;
    req->pieces_left = 0;
    req->driver_priv = NULL;
    if (req->op != BLOCK_FLUSH && disk->max_blocks && req->count > disk->max_blocks &&
        !MUTANT_ENABLED(blk_split))
        split(disk, req);
    else
        enqueue(disk, req);
    dispatch(disk);
}

void block_complete(struct block_device *dev, struct block_request *req, int status)
{
    spin_lock(&dev->lock);
    if (dev->in_flight == 0) {
        spin_unlock(&dev->lock);
        printk(LOG_ERR, "block_complete: %s: a request completed twice or never started\n", dev->name);
        return;
    }
    dev->in_flight--;
    if (status)
        dev->stat_errors++;
    else if (req->op == BLOCK_READ)
        dev->stat_reads++;
    else if (req->op == BLOCK_WRITE)
        dev->stat_writes++;
    spin_unlock(&dev->lock);
    dispatch(dev);
    finish(req, status);
}

/* ---- the synchronous forms ---- */

static void wake_waiter(struct block_request *req)
{
    sem_up(req->ctx);
}

static int wait_for(struct block_device *dev, unsigned op, uint64_t block, uint32_t count, void *buf)
{
    struct semaphore done;
    struct block_request req = { .op = op, .block = block, .count = count, .buf = buf,
                                 .done = wake_waiter, .ctx = &done };

    sem_init(&done, 0, "block_wait");
    block_submit(dev, &req);
    sem_down(&done);
    return req.status;
}

int block_read(struct block_device *dev, uint64_t block, uint32_t count, void *buf)
{
    return wait_for(dev, BLOCK_READ, block, count, buf);
}

int block_write(struct block_device *dev, uint64_t block, uint32_t count, const void *buf)
{
    return wait_for(dev, BLOCK_WRITE, block, count, (void *)buf);
}

int block_flush(struct block_device *dev)
{
    return wait_for(dev, BLOCK_FLUSH, 0, 0, NULL);
}
