/*
 * bcache.c - the buffer cache (bcache.h says how to use it).
 *
 * Structure: every buffer the cache made is in all[] (never moved, so a
 * sync walks it by index with the lock dropped between buffers), on the
 * LRU list (most recently got at the front), and, while it holds a block,
 * on the hash chain of (device, block).
 *
 * Two locks: the cache's spinlock guards the lists and each buffer's
 * identity, refs, valid and dirty; each buffer's mutex guards its data and
 * is held by its user between get and put, and by write-back while the
 * block goes to the disk. A buffer with refs == 0 is nobody's: its mutex
 * is free, so taking it for another block never waits. The spinlock is
 * never held while taking a mutex, allocating or doing I/O.
 *
 * Write-back (write_back): with a reference and the buffer's mutex, the
 * dirty flag is cleared, the block written, and the flag set again if the
 * write failed (the data is not lost: a later sync tries again). The
 * flusher thread syncs every device every flush_ns; bcache_sync ends with
 * a FLUSH to each disk it wrote to, so a 0 from it means durable.
 *
 * The cache writes dirty blocks in whatever order it likes (sync by index
 * in all[], eviction one block alone, the flusher at any moment): an order
 * a file system needs on the disk is its own to make, with
 * bcache_sync_range at each write-before point (fsio.h's sync_range; FAT:
 * docs/files-fat.md). `unflushed` counts the blocks written since the
 * cache's last FLUSH, so such a point sends a FLUSH only when one is owed.
 *
 * Or without waiting: bcache_mark_dirty_after ties a buffer to another
 * block, "not before that block as it is now". Every change is stamped
 * from the cache's change_clock (a buffer's last one: changed); a write
 * records the stamp it carried and its place among the cache's writes
 * (written, written_at), and a FLUSH the place of the last write it covers
 * (flushed_upto). A block read again after it left the cache starts as
 * written with every stamp so far. The tie holds until the other block's
 * written reaches the stamp the tie took and a FLUSH covers that write
 * (after_done); until then write_back first makes it so (resolve: that
 * block's write-back, then a FLUSH), holding no buffer's mutex meanwhile,
 * and eviction passes over a tied buffer whose other block someone holds.
 */
#include <string.h>

#include "block/bcache.h"
#include "format.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"

#define SYNC_DISKS_MAX  16              /* distinct disks one sync flushes */

static struct bcache *main_cache;

static unsigned hash_of(const struct block_device *dev, uint64_t block)
{
    return (unsigned)(((uintptr_t)dev >> 6) ^ block ^ (block >> 16)) % BCACHE_HASH;
}

/* Bytes of one of c's blocks on dev: the cache's block size, or the device's. */
static uint32_t block_bytes(const struct bcache *c, const struct block_device *dev)
{
    return c->block_size ? c->block_size : dev->block_size;
}

/* Device blocks in one of c's blocks. */
static uint32_t dev_blocks(const struct bcache *c, const struct block_device *dev)
{
    return block_bytes(c, dev) / dev->block_size;
}

/* ---- lists: caller holds c->lock ---- */

static void lru_unlink(struct buf *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

static void lru_front(struct bcache *c, struct buf *b)
{
    b->next = c->lru.next;
    b->prev = &c->lru;
    c->lru.next->prev = b;
    c->lru.next = b;
}

static struct buf *lookup(struct bcache *c, struct block_device *dev, uint64_t block)
{
    for (struct buf *b = c->hash[hash_of(dev, block)]; b; b = b->hash_next)
        if (b->dev == dev && b->block == block)
            return b;
    return NULL;
}

static void hash_remove(struct bcache *c, struct buf *b)
{
    struct buf **link = &c->hash[hash_of(b->dev, b->block)];

    while (*link != b)
        link = &(*link)->hash_next;
    *link = b->hash_next;
}

/* Give b (nobody's, or new) the identity (dev, block), one reference, not valid. */
static void assign(struct bcache *c, struct buf *b, struct block_device *dev, uint64_t block)
{
    unsigned h = hash_of(dev, block);

    if (b->dev)
        hash_remove(c, b);
    b->dev = dev;
    b->block = block;
    b->valid = 0;
    b->refs = 1;
    b->changed = b->written = c->change_clock;  /* the disk holds every change made so far */
    b->written_at = c->writes_done;     /* by a write (if it left dirty) perhaps that recent */
    b->has_after = 0;
    b->hash_next = c->hash[h];
    c->hash[h] = b;
}

/* ---- write-back ---- */

static void unref(struct buf *b)
{
    spin_lock(&b->cache->lock);
    b->refs--;
    spin_unlock(&b->cache->lock);
}

/* 1 when b may go to the disk as far as its tie goes (bcache_mark_dirty_after); caller holds
 * c->lock. A tied block no longer in the cache was written when it left: a FLUSH since any write
 * is then enough. */
static int after_done(struct bcache *c, const struct buf *b)
{
    const struct buf *first;

    if (!b->has_after)
        return 1;
    first = lookup(c, b->dev, b->after_block);
    if (!first)
        return c->unflushed == 0;
    return first->written >= b->after_changed && first->written_at <= c->flushed_upto;
}

static int write_back(struct buf *b);
static int flush_counted(struct bcache *c, struct block_device *dev);

/* Make block `first` of dev durable as it is now: its write-back (which resolves its own tie),
 * then a FLUSH if any write is not covered by one. Caller holds no buffer `first` could wait
 * for. 0 or BLOCK_E*. */
static int resolve(struct bcache *c, struct block_device *dev, uint64_t first)
{
    struct buf *f;
    unsigned owed;
    int err = 0;

    spin_lock(&c->lock);
    f = lookup(c, dev, first);
    if (f)
        f->refs++;
    spin_unlock(&c->lock);
    if (f) {
        err = write_back(f);
        unref(f);
        if (err < 0)
            return err;
    }
    spin_lock(&c->lock);
    owed = c->unflushed;
    spin_unlock(&c->lock);
    return owed ? flush_counted(c, dev) : 0;
}

/* Write b if dirty (caller holds a reference, not the mutex): 1 written, 0 clean, or BLOCK_E*.
 * A tie of b's is resolved first, with b's mutex not held; b's mutex is taken once it holds. */
static int write_back(struct buf *b)
{
    struct bcache *c = b->cache;
    uint64_t seen, first;
    int dirty, tied, err = 0;

    for (;;) {
        spin_lock(&c->lock);
        tied = b->dirty && !after_done(c, b) && !MUTANT_ENABLED(bcache_after);
        first = b->after_block;
        spin_unlock(&c->lock);
        if (tied && (err = resolve(c, b->dev, first)) < 0)
            return err;
        mutex_lock(&b->lock);
        spin_lock(&c->lock);
        if (!b->dirty || after_done(c, b) || MUTANT_ENABLED(bcache_after))
            break;
        spin_unlock(&c->lock);                  /* tied again while we resolved: once more */
        mutex_unlock(&b->lock);
    }
    dirty = b->dirty && b->valid;
    seen = b->changed;
    b->dirty = 0;
    b->has_after = 0;
    spin_unlock(&c->lock);
    if (dirty && !MUTANT_ENABLED(bcache_writeback))
        err = block_write(b->dev, b->block * dev_blocks(c, b->dev), dev_blocks(c, b->dev), b->data);
    spin_lock(&c->lock);
    if (err) {
        b->dirty = 1;
        c->errors++;
    } else if (dirty) {
        c->writebacks++;
        c->unflushed++;
        b->written = seen;
        b->written_at = ++c->writes_done;
    }
    spin_unlock(&c->lock);
    mutex_unlock(&b->lock);
    if (err)
        printk(LOG_WARN, "[bcache] %s: block %llu of %s not written back: error %d\n", c->name,
               (unsigned long long)b->block, b->dev->name, err);
    return err ? err : dirty;
}

/* Remember the whole disk of dev among the disks to flush; 0, or -1 when the list is full. */
static int note_disk(struct block_device **disks, unsigned *n, struct block_device *dev)
{
    struct block_device *disk = dev->disk ? dev->disk : dev;

    for (unsigned i = 0; i < *n; i++)
        if (disks[i] == disk)
            return 0;
    if (*n == SYNC_DISKS_MAX)
        return -1;
    disks[(*n)++] = disk;
    return 0;
}

/* The next dirty buffer of dev (NULL: any) from all[*i] on, with a reference; NULL when none. */
static struct buf *next_dirty(struct bcache *c, struct block_device *dev, unsigned *i)
{
    struct buf *found = NULL;

    spin_lock(&c->lock);
    for (; *i < c->count && !found; ++*i) {
        struct buf *b = c->all[*i];
        if (b->dirty && (!dev || b->dev == dev)) {
            b->refs++;
            found = b;
        }
    }
    spin_unlock(&c->lock);
    return found;
}

/* The next dirty buffer of dev among blocks [first, first + count) from all[*i] on, with a
 * reference; NULL when none. */
static struct buf *next_dirty_in(struct bcache *c, struct block_device *dev, uint64_t first,
                                 uint64_t count, unsigned *i)
{
    struct buf *found = NULL;

    spin_lock(&c->lock);
    for (; *i < c->count && !found; ++*i) {
        struct buf *b = c->all[*i];
        if (b->dirty && b->dev == dev && b->block >= first && b->block - first < count) {
            b->refs++;
            found = b;
        }
    }
    spin_unlock(&c->lock);
    return found;
}

/* FLUSH dev, the blocks written before counted as flushed (a failed FLUSH keeps them counted). */
static int flush_counted(struct bcache *c, struct block_device *dev)
{
    unsigned before;
    uint64_t upto;
    int err;

    spin_lock(&c->lock);
    before = c->unflushed;
    upto = c->writes_done;
    c->unflushed = 0;
    spin_unlock(&c->lock);
    err = block_flush(dev);
    spin_lock(&c->lock);
    if (err) {
        c->unflushed += before;
    } else {
        c->flushes++;
        if (upto > c->flushed_upto)
            c->flushed_upto = upto;
    }
    spin_unlock(&c->lock);
    return err;
}

int bcache_sync_range(struct bcache *c, struct block_device *dev, uint64_t first, uint64_t count)
{
    unsigned i = 0, unflushed;
    int first_err = 0;
    struct buf *b;

    while ((b = next_dirty_in(c, dev, first, count, &i)) != NULL) {
        int r = write_back(b);
        unref(b);
        if (r < 0 && !first_err)
            first_err = r;
    }
    if (first_err)
        return first_err;
    spin_lock(&c->lock);
    unflushed = c->unflushed;
    spin_unlock(&c->lock);
    if (!unflushed)
        return 0;
    first_err = flush_counted(c, dev);
    return first_err ? first_err : 1;
}

int bcache_sync(struct bcache *c, struct block_device *dev)
{
    struct block_device *disks[SYNC_DISKS_MAX];
    unsigned ndisks = 0, i = 0;
    int first_err = 0;
    struct buf *b;

    while ((b = next_dirty(c, dev, &i)) != NULL) {
        struct block_device *bdev = b->dev;
        int r = write_back(b);
        unref(b);
        if (r < 0 && !first_err)
            first_err = r;
        if (r > 0 && note_disk(disks, &ndisks, bdev) != 0) {
            int err = block_flush(bdev);        /* list full: flush this one now */
            if (err && !first_err)
                first_err = err;
        }
    }
    for (unsigned k = 0; k < ndisks; k++) {
        int err = flush_counted(c, disks[k]);
        if (err && !first_err)
            first_err = err;
    }
    return first_err;
}

/* ---- the flusher ---- */

#define FLUSHER_NAP_NS  100000000ULL    /* how soon a stopping cache's flusher notices */

/* Sleep c->flush_ns in naps: 1 when the cache is stopping. */
static int flusher_wait(struct bcache *c)
{
    uint64_t slept = 0;

    while (slept < c->flush_ns) {
        uint64_t nap = c->flush_ns - slept < FLUSHER_NAP_NS ? c->flush_ns - slept : FLUSHER_NAP_NS;
        sched_sleep_ns(nap);
        slept += nap;
        if (__atomic_load_n(&c->stopping, __ATOMIC_ACQUIRE))
            return 1;
    }
    return 0;
}

static void flusher(void *arg)
{
    struct bcache *c = arg;

    while (!flusher_wait(c))
        bcache_sync(c, NULL);
}

/* The first dirty block starts the flusher (so a cache nobody writes costs no thread). */
static void start_flusher(struct bcache *c)
{
    int start;

    spin_lock(&c->lock);
    start = !c->flusher && !c->flusher_starting && !c->stopping;
    if (start)
        c->flusher_starting = 1;
    spin_unlock(&c->lock);
    if (!start)
        return;
    c->flusher = thread_create("bcache_flush", flusher, c, SCHED_PRIO_DEFAULT);
    if (!c->flusher)
        printk(LOG_WARN, "[bcache] %s: no flusher thread: dirty blocks wait for bcache_sync\n", c->name);
}

/* ---- get and put ---- */

/* 1 when v's tie (if any) can be resolved by this thread: its other block is held by nobody (it
 * might be this thread, which would then wait for itself). Caller holds c->lock. */
static int tie_free(struct bcache *c, const struct buf *v)
{
    const struct buf *first;

    if (after_done(c, v))
        return 1;
    first = lookup(c, v->dev, v->after_block);
    return !first || first->refs == 0;
}

/* A buffer for (dev, block) with a reference, under c->lock (dropped and
 * taken again inside); *hit when it already held the block. NULL: none free. */
static struct buf *find_or_take(struct bcache *c, struct block_device *dev, uint64_t block, int *hit)
{
    for (;;) {
        struct buf *b = lookup(c, dev, block), *victim = NULL;

        if ((*hit = b != NULL)) {
            b->refs++;
            return b;
        }
        if (c->count < c->capacity) {
            spin_unlock(&c->lock);
            b = kcalloc(1, sizeof *b);
            spin_lock(&c->lock);
            if (!b)
                return NULL;
            if (lookup(c, dev, block) || c->count == c->capacity) {
                spin_unlock(&c->lock);          /* raced: someone else took the room or the block */
                kfree(b);
                spin_lock(&c->lock);
                continue;
            }
            b->cache = c;
            mutex_init(&b->lock, "bcache_buf");
            c->all[c->count++] = b;
            lru_front(c, b);
            assign(c, b, dev, block);
            return b;
        }
        for (struct buf *v = c->lru.prev; v != &c->lru && !victim; v = v->prev)
            if (v->refs == 0 && !v->dirty)
                victim = v;
        if (victim) {
            c->evictions++;
            assign(c, victim, dev, block);
            return victim;
        }
        for (struct buf *v = c->lru.prev; v != &c->lru && !victim; v = v->prev)
            if (v->refs == 0 && tie_free(c, v))
                victim = v;
        if (!victim)
            return NULL;                        /* every buffer is held */
        victim->refs++;                         /* dirty: write it back, then look again */
        spin_unlock(&c->lock);
        write_back(victim);
        unref(victim);
        spin_lock(&c->lock);
    }
}

/* Give b a data buffer of the block's size (caller holds b's mutex): 0 or BLOCK_ENOMEM. */
static int size_data(struct buf *b)
{
    uint32_t bs = block_bytes(b->cache, b->dev);

    if (b->size != bs) {
        kfree(b->data);
        b->data = kmalloc(bs);
        b->size = b->data ? bs : 0;
        if (!b->data)
            return BLOCK_ENOMEM;
    }
    return 0;
}

/* Read b's block into it, or with read == 0 zero it (caller holds b's mutex): 0 or BLOCK_E*. */
static int fill(struct buf *b, int read)
{
    uint32_t n = dev_blocks(b->cache, b->dev);
    int err = size_data(b);

    if (err)
        return err;
    if (!read) {
        memset(b->data, 0, b->size);
        return 0;
    }
    return block_read(b->dev, b->block * n, n, b->data);
}

static struct buf *get(struct bcache *c, struct block_device *dev, uint64_t block, int read)
{
    struct buf *b;
    int hit, err = 0;

    spin_lock(&c->lock);
    b = find_or_take(c, dev, block, &hit);
    if (b && !(hit && MUTANT_ENABLED(bcache_lru))) {
        lru_unlink(b);
        lru_front(c, b);
    }
    if (b) {
        if (hit)
            c->hits++;
        else
            c->misses++;
    }
    spin_unlock(&c->lock);
    if (!b) {
        printk(LOG_WARN, "[bcache] %s: no buffer for block %llu of %s: all %u in use\n", c->name,
               (unsigned long long)block, dev->name, c->capacity);
        return NULL;
    }
    mutex_lock(&b->lock);
    if (!b->valid) {
        err = fill(b, read);
        b->valid = err == 0;
    }
    if (err) {
        mutex_unlock(&b->lock);
        unref(b);
        return NULL;
    }
    return b;
}

struct buf *bcache_get(struct bcache *c, struct block_device *dev, uint64_t block)
{
    return get(c, dev, block, 1);
}

struct buf *bcache_get_new(struct bcache *c, struct block_device *dev, uint64_t block)
{
    return get(c, dev, block, 0);
}

void bcache_forget(struct bcache *c, struct block_device *dev, uint64_t block)
{
    struct buf *b;

    spin_lock(&c->lock);
    b = lookup(c, dev, block);
    if (b) {
        b->dirty = 0;
        b->has_after = 0;
        if (b->refs == 0) {
            hash_remove(c, b);
            b->dev = NULL;
            b->valid = 0;
        }
    }
    spin_unlock(&c->lock);
}

void bcache_mark_dirty(struct buf *b)
{
    struct bcache *c = b->cache;

    spin_lock(&c->lock);
    b->dirty = 1;
    b->changed = ++c->change_clock;
    spin_unlock(&c->lock);
    if (!c->flusher && c->flush_ns)
        start_flusher(c);
}

void bcache_mark_dirty_after(struct buf *b, uint64_t first)
{
    struct bcache *c = b->cache;
    const struct buf *f;

    spin_lock(&c->lock);
    while (b->has_after && b->after_block != first && b->dirty && !after_done(c, b)) {
        uint64_t old = b->after_block;          /* tied to another block: that one durable now */
        spin_unlock(&c->lock);
        int err = resolve(c, b->dev, old);
        spin_lock(&c->lock);
        if (err < 0)
            break;                              /* the disk fails: the new tie replaces it */
    }
    f = lookup(c, b->dev, first);
    b->has_after = 1;
    b->after_block = first;
    b->after_changed = f ? f->changed : c->change_clock;
    spin_unlock(&c->lock);
    bcache_mark_dirty(b);                       /* b's mutex held: no write-back in between */
}

void bcache_put(struct buf *b)
{
    mutex_unlock(&b->lock);
    unref(b);
}

/* ---- caches ---- */

struct bcache *bcache_create(const char *name, unsigned capacity, uint64_t flush_ns)
{
    return bcache_create_sized(name, capacity, flush_ns, 0);
}

struct bcache *bcache_create_sized(const char *name, unsigned capacity, uint64_t flush_ns,
                                   uint32_t block_size)
{
    struct bcache *c = kcalloc(1, sizeof *c);

    if (!c || !(c->all = kcalloc(capacity, sizeof *c->all))) {
        kfree(c);
        return NULL;
    }
    format_snprintf(c->name, sizeof c->name, "%s", name);
    spin_init(&c->lock, "bcache");
    c->capacity = capacity;
    c->flush_ns = flush_ns;
    c->block_size = block_size;
    c->lru.next = c->lru.prev = &c->lru;
    return c;
}

void bcache_destroy(struct bcache *c)
{
    int starting;

    spin_lock(&c->lock);
    c->stopping = 1;
    starting = c->flusher_starting;
    spin_unlock(&c->lock);
    if (starting && c->flusher)
        thread_join(c->flusher);
    bcache_sync(c, NULL);
    for (unsigned i = 0; i < c->count; i++) {
        if (c->all[i]->refs)
            printk(LOG_ERR, "bcache_destroy: %s: block %llu still held\n", c->name,
                   (unsigned long long)c->all[i]->block);
        kfree(c->all[i]->data);
        kfree(c->all[i]);
    }
    kfree(c->all);
    kfree(c);
}

int bcache_set_block_size(struct bcache *c, uint32_t block_size)
{
    int err = bcache_sync(c, NULL);

    spin_lock(&c->lock);
    for (unsigned i = 0; i < c->count; i++) {
        struct buf *b = c->all[i];
        if (b->refs) {
            spin_unlock(&c->lock);
            return BLOCK_EINVAL;                /* a block is held: the caller broke the rule */
        }
        if (b->dev)
            hash_remove(c, b);
        b->dev = NULL;
        b->valid = 0;
        b->dirty = 0;
        b->has_after = 0;
    }
    c->block_size = block_size;
    spin_unlock(&c->lock);
    return err;
}

struct bcache *bcache_main(void)
{
    return main_cache;
}

#define BCACHE_MAIN_BUFFERS 1024
#define BCACHE_MAIN_FLUSH_NS 1000000000ULL     /* the flusher's period: 1 s */

void bcache_main_init(void)
{
    main_cache = bcache_create("main", BCACHE_MAIN_BUFFERS, BCACHE_MAIN_FLUSH_NS);
    if (!main_cache)
        printk(LOG_WARN, "[bcache] no memory for the buffer cache\n");
}
