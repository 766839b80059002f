/*
 * pagecache.c - the page cache (pagecache.h says how to use it): every
 * file's bytes in 4 KiB pages, found by (inode, index) in the inode's own
 * hash; pages of disk files also on one LRU list, so the oldest clean ones
 * go first when the cache reaches its limit; the flusher thread.
 *
 * A page's life: made BUSY and put in its inode's hash, then read (or
 * zeroed) without the lock, then UPTODATE and not busy: whoever found it
 * busy waited on pc_wait meanwhile. A write copies into it and marks it
 * DIRTY (disk files only); write-back makes it BUSY and clean, writes it,
 * and marks it dirty again if the write failed. refs counts the cache's own
 * reference (while hashed) and every user's; the frame is freed when the
 * last goes.
 *
 * Read-ahead: each inode remembers where a sequential reader would read
 * next (ra_next). A miss there reads the pages the caller asked for plus a
 * window that doubles on each such miss (4 to 32 pages); a miss elsewhere
 * reads only what was asked. The pages of one miss are read in one batch
 * (pageio.c), so the block queue merges their requests.
 *
 * Write-back and the flusher are in writeback.c.
 *
 * Locking: one spinlock, pc_lock, guards every hash, the LRU, flags, refs
 * and the counters (the per-inode cache.lock is not used yet: the sections
 * are a few dozen instructions, and one lock keeps eviction, which crosses
 * inodes, simple). It is never held across I/O, a frame allocation or a
 * call into a file system.
 */
#include <string.h>

#include "arch.h"
#include "fs/pagecache_impl.h"
#include "fs/pageio.h"
#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mutant.h"

#define RA_MIN          4u          /* pages read ahead at the first sequential miss */
#define RA_MAX          32u         /* the window's cap: 128 KiB */
#define BATCH_MAX       64u         /* pages one miss reads at most */
#define SLOTS_MIN       16u
#define LIMIT_MIN       256u        /* pages */

struct spinlock pc_lock = SPINLOCK_INIT("pagecache");
struct waitq pc_wait = WAITQ_INIT;              /* threads waiting for a busy page */
struct pagecache_stats pc_stat;
static struct cpage lru = { .lru_prev = &lru, .lru_next = &lru };
static uint64_t lru_pages, limit_pages;

/* ---- hash and LRU: caller holds pc_lock ---- */

static struct cpage **slot(struct page_cache *pc, uint64_t index)
{
    return &pc->slots[(index ^ (index >> 10)) & (pc->nslots - 1)];
}

static struct cpage *find(struct page_cache *pc, uint64_t index)
{
    if (!pc->slots)
        return NULL;
    for (struct cpage *p = *slot(pc, index); p; p = p->hash_next)
        if (p->index == index)
            return p;
    return NULL;
}

static void lru_unlink(struct cpage *p)
{
    if (p->lru_next) {
        p->lru_prev->lru_next = p->lru_next;
        p->lru_next->lru_prev = p->lru_prev;
        p->lru_next = p->lru_prev = NULL;
        lru_pages--;
    }
}

static void lru_front(struct cpage *p)
{
    p->lru_next = lru.lru_next;
    p->lru_prev = &lru;
    lru.lru_next->lru_prev = p;
    lru.lru_next = p;
    lru_pages++;
}

static void lru_touch(struct cpage *p)
{
    if (p->lru_next) {
        lru_unlink(p);
        lru_front(p);
    }
}

static void insert(struct inode *inode, struct cpage *p)
{
    struct page_cache *pc = &inode->cache;
    struct cpage **s = slot(pc, p->index);

    p->hash_next = *s;
    *s = p;
    pc->pages++;
    pc_stat.pages++;
    if (inode->aops)
        lru_front(p);
}

/* Out of its inode's hash; the cache's reference dropped: 1 when p is now nobody's. */
static int remove(struct cpage *p)
{
    struct page_cache *pc = &p->owner->cache;

    for (struct cpage **pp = slot(pc, p->index); *pp; pp = &(*pp)->hash_next)
        if (*pp == p) {
            *pp = p->hash_next;
            break;
        }
    lru_unlink(p);
    pc->pages--;
    pc_stat.pages--;
    if (p->flags & CPAGE_DIRTY) {
        p->flags &= ~CPAGE_DIRTY;
        pc->dirty--;
        pc_stat.dirty--;
    }
    return --p->refs == 0;
}

void pc_set_dirty(struct cpage *p)
{
    if (p->owner->aops && !(p->flags & CPAGE_DIRTY)) {
        p->flags |= CPAGE_DIRTY;
        p->owner->cache.dirty++;
        pc_stat.dirty++;
    }
}

void pc_clear_dirty(struct cpage *p)
{
    if (p->flags & CPAGE_DIRTY) {
        p->flags &= ~CPAGE_DIRTY;
        p->owner->cache.dirty--;
        pc_stat.dirty--;
    }
}

/* ---- pages: made, freed ---- */

static void page_free(struct cpage *p)
{
    mm_frame_free(p->phys);
    kfree(p);
}

static void free_list(struct cpage *list)
{
    while (list) {
        struct cpage *next = list->hash_next;
        page_free(list);
        list = next;
    }
}

static void page_put(struct cpage *p)
{
    int last;

    spin_lock(&pc_lock);
    last = --p->refs == 0;
    spin_unlock(&pc_lock);
    if (last)
        page_free(p);
}

/*
 * Over the limit: from the LRU's old end, drop clean unused pages and start
 * writing back dirty ones (which go on a later pass, clean), up to max of
 * both, so pages leave in least-recently-used order whatever their state.
 * How many were dropped or written: 0 when nothing could be.
 */
static unsigned shrink_lru(unsigned max)
{
    struct cpage *gone = NULL, *dirty[16];
    unsigned n = 0, nd = 0;

    spin_lock(&pc_lock);
    for (struct cpage *p = MUTANT_ENABLED(pagecache_lru) ? lru.lru_next : lru.lru_prev, *next;
         p != &lru && n + nd < max; p = next) {
        next = MUTANT_ENABLED(pagecache_lru) ? p->lru_next : p->lru_prev;   /* the mutant: newest first */
        if (p->refs != 1 || (p->flags & CPAGE_BUSY))
            continue;
        if (p->flags & CPAGE_DIRTY) {
            if (nd == 16)
                continue;
            p->refs++;
            p->flags |= CPAGE_BUSY;
            pc_clear_dirty(p);
            dirty[nd++] = p;
            continue;
        }
        remove(p);
        p->hash_next = gone;
        gone = p;
        n++;
        pc_stat.evictions++;
    }
    spin_unlock(&pc_lock);
    free_list(gone);
    if (nd)
        pc_writeback_pages(dirty, nd);
    return n + nd;
}

/* Below the limit again, if unused pages allow. */
static void make_room(void)
{
    while (__atomic_load_n(&lru_pages, __ATOMIC_RELAXED) >= limit_pages)
        if (!shrink_lru(16))
            break;
}

/* A page for (inode, index) on frame phys, or on a frame of its own when phys is PMM_NONE. */
static struct cpage *page_alloc(struct inode *inode, uint64_t index, uint64_t phys)
{
    struct cpage *p;

    if (inode->aops)
        make_room();
    if (phys == PMM_NONE)
        phys = mm_frame_alloc();
    if (phys == PMM_NONE && shrink_lru(64))    /* memory itself is short: give pages back */
        phys = mm_frame_alloc();
    if (phys == PMM_NONE)
        return NULL;
    p = kcalloc(1, sizeof(*p));
    if (!p) {
        mm_frame_free(phys);
        return NULL;
    }
    p->owner = inode;
    p->index = index;
    p->phys = phys;
    p->data = arch_phys_to_virt(phys);
    return p;
}

/* The inode's hash big enough for one more page (grows to a quarter of its pages). */
static int ensure_slots(struct inode *inode)
{
    struct page_cache *pc = &inode->cache;
    unsigned want = SLOTS_MIN, old_n;
    struct cpage **fresh, **old;

    while (want < pc->pages / 4 && want < (1u << 16))
        want *= 2;
    if (pc->slots && pc->nslots >= want)
        return 0;
    fresh = kcalloc(want, sizeof(*fresh));
    if (!fresh)
        return pc->slots ? 0 : -ENOMEM;
    spin_lock(&pc_lock);
    old = pc->slots;
    old_n = pc->nslots;
    if (old && old_n >= want) {
        spin_unlock(&pc_lock);
        kfree(fresh);
        return 0;
    }
    pc->slots = fresh;
    pc->nslots = want;
    for (unsigned i = 0; i < old_n; i++)
        for (struct cpage *p = old[i], *next; p; p = next) {
            struct cpage **s = slot(pc, p->index);
            next = p->hash_next;
            p->hash_next = *s;
            *s = p;
        }
    spin_unlock(&pc_lock);
    kfree(old);
    return 0;
}

/* ---- finding pages ---- */

/* Wait until p is not busy (caller holds pc_lock and a reference): 0, or -EIO if its read failed. */
static int wait_ready(struct cpage *p)
{
    while (p->flags & CPAGE_BUSY)
        waitq_wait(&pc_wait, &pc_lock);
    return p->flags & CPAGE_UPTODATE ? 0 : -EIO;
}

/* The bytes of the pages past the file's end are zeros, whatever the disk holds after the
 * end in the last block (FAT's cluster slack, say): a later extension must read zeros there. */
static void zero_past_end(struct inode *inode, struct cpage **pages, unsigned n)
{
    uint64_t size = inode->size;

    for (unsigned i = 0; i < n; i++) {
        uint64_t start = pages[i]->index * PAGE_CACHE_SIZE;
        if (start + PAGE_CACHE_SIZE <= size)
            continue;
        if (start >= size)
            memset(pages[i]->data, 0, PAGE_CACHE_SIZE);
        else
            memset(pages[i]->data + (size - start), 0, PAGE_CACHE_SIZE - (size - start));
    }
}

/* Fill the new busy pages[0..n) (read from the disk, or zeros), then mark them ready. */
static int fill_pages(struct inode *inode, struct cpage **pages, unsigned n)
{
    struct io_batch *b = inode->aops ? io_batch_new() : NULL;
    struct cpage *gone = NULL;
    int err = inode->aops && !b ? -ENOMEM : 0;

    for (unsigned i = 0; !err && i < n; i++) {
        if (b)
            err = pageio_read(b, pages[i]);
        else
            memset(pages[i]->data, 0, PAGE_CACHE_SIZE);
    }
    if (b) {
        int e = io_batch_wait(b);
        err = err ? err : e;
        io_batch_free(b);
    }
    if (!err)
        zero_past_end(inode, pages, n);
    spin_lock(&pc_lock);
    for (unsigned i = 0; i < n; i++) {
        struct cpage *p = pages[i];
        p->flags &= ~CPAGE_BUSY;
        if (!err) {
            p->flags |= CPAGE_UPTODATE;
        } else if (remove(p)) {        /* a failed read is not kept: the next access retries */
            p->hash_next = gone;
            gone = p;
        }
    }
    waitq_wake_all(&pc_wait);
    spin_unlock(&pc_lock);
    free_list(gone);
    return err;
}

/*
 * The page at index, referenced and up to date, in *out. On a miss the pages
 * index + 1 .. index + want - 1 not cached yet are read in the same batch
 * (read-ahead; they stay in the cache, unreferenced). `zero`: a miss need not
 * read, the page is wanted as zeros (a write over all of it, or past the end).
 */
static int get_pages(struct inode *inode, uint64_t index, unsigned want, int zero, struct cpage **out)
{
    struct page_cache *pc = &inode->cache;
    struct cpage *batch[BATCH_MAX];
    unsigned n = 0;
    uint64_t run = PMM_NONE;
    struct cpage *p;
    int err;

    if ((err = ensure_slots(inode)) != 0)
        return err;
    spin_lock(&pc_lock);
    p = find(pc, index);
    if (p) {
        p->refs++;
        lru_touch(p);
        pc_stat.hits++;
        err = wait_ready(p);
        spin_unlock(&pc_lock);
        if (err)
            page_put(p);
        *out = err ? NULL : p;
        return err;
    }
    pc_stat.misses++;
    spin_unlock(&pc_lock);
    if (want > BATCH_MAX)
        want = BATCH_MAX;
    if (want > 1 && inode->aops && !zero)     /* one run of frames: one request (pageio.c) */
        run = mm_frames_alloc_contig(want, PMM_FRAME_SIZE, UINT64_MAX);
    for (n = 0; n < want; n++) {
        batch[n] = page_alloc(inode, index + n, run == PMM_NONE ? PMM_NONE : run + n * PMM_FRAME_SIZE);
        if (!batch[n])
            break;
    }
    if (run != PMM_NONE && n < want) {   /* the run's frames no page took */
        for (unsigned i = n; i < want; i++)
            mm_frame_free(run + i * PMM_FRAME_SIZE);
    }
    if (n == 0)
        return -ENOMEM;
    spin_lock(&pc_lock);
    if (find(pc, index)) {              /* someone else read it meanwhile: use theirs */
        spin_unlock(&pc_lock);
        for (unsigned i = 0; i < n; i++)
            page_free(batch[i]);
        return get_pages(inode, index, 1, zero, out);
    }
    for (unsigned i = 0; i < n; i++) {
        if (i > 0 && find(pc, index + i)) {
            for (unsigned j = i; j < n; j++)
                page_free(batch[j]);
            n = i;
            break;
        }
        batch[i]->flags = CPAGE_BUSY;
        batch[i]->refs = 1;
        insert(inode, batch[i]);
    }
    batch[0]->refs++;                   /* the caller's */
    pc_stat.readahead += n - 1;
    spin_unlock(&pc_lock);
    if (zero && n == 1) {
        memset(batch[0]->data, 0, PAGE_CACHE_SIZE);
        err = 0;
        spin_lock(&pc_lock);
        batch[0]->flags = CPAGE_UPTODATE;
        waitq_wake_all(&pc_wait);
        spin_unlock(&pc_lock);
    } else {
        err = fill_pages(inode, batch, n);
    }
    if (err) {
        page_put(batch[0]);
        return err;
    }
    *out = batch[0];
    return 0;
}

/* Pages a read of [first, last] should bring in on a miss at first: the pages asked,
 * plus the read-ahead window when the reader is sequential. */
static unsigned read_want(struct inode *inode, uint64_t first, uint64_t last)
{
    struct page_cache *pc = &inode->cache;
    uint64_t eof_pages = (inode->size + PAGE_CACHE_SIZE - 1) / PAGE_CACHE_SIZE, want;

    if (first == pc->ra_next && !MUTANT_ENABLED(pagecache_readahead))
        pc->ra_window = pc->ra_window ? (pc->ra_window * 2 > RA_MAX ? RA_MAX : pc->ra_window * 2) : RA_MIN;
    else
        pc->ra_window = 0;
    want = last - first + 1 + (inode->aops ? pc->ra_window : 0);
    if (first + want > eof_pages)
        want = eof_pages > first ? eof_pages - first : 1;
    return (unsigned)(want > BATCH_MAX ? BATCH_MAX : want);
}

/* ---- the API ---- */

void pagecache_inode_init(struct inode *inode)
{
    memset(&inode->cache, 0, sizeof(inode->cache));
    spin_init(&inode->cache.lock, "page_cache");
}

long pagecache_read_to(struct inode *inode, const struct pagecache_sink *sink, size_t len, uint64_t pos)
{
    uint64_t size = inode->size, first, last;
    size_t done = 0;

    if (pos >= size || len == 0)
        return 0;
    if (len > size - pos)
        len = (size_t)(size - pos);
    first = pos / PAGE_CACHE_SIZE;
    last = (pos + len - 1) / PAGE_CACHE_SIZE;
    for (uint64_t idx = first; idx <= last; idx++) {
        size_t off = (size_t)((pos + done) % PAGE_CACHE_SIZE);
        size_t n = PAGE_CACHE_SIZE - off < len - done ? PAGE_CACHE_SIZE - off : len - done, took;
        struct cpage *p;
        int err = get_pages(inode, idx, read_want(inode, idx, last), 0, &p);

        if (err)
            return done ? (long)done : err;
        took = sink->put(sink->ctx, p->data + off, n);
        page_put(p);
        done += took;
        inode->cache.ra_next = idx + 1;
        if (took < n)                   /* the sink faulted: what went before it counts (Linux's filemap_read) */
            return done ? (long)done : -EFAULT;
    }
    return (long)done;
}

/* A kernel buffer as a sink: it takes everything. */
static size_t put_in_buffer(void *ctx, const void *src, size_t n)
{
    char **at = ctx;

    memcpy(*at, src, n);
    *at += n;
    return n;
}

long pagecache_read(struct inode *inode, void *buf, size_t len, uint64_t pos)
{
    char *at = buf;
    struct pagecache_sink sink = { put_in_buffer, &at };

    return pagecache_read_to(inode, &sink, len, pos);
}

/* Allocate the blocks under [at, at + *n): 0, or -ENOSPC (-errno) with *n cut to what fits
 * (0: nothing fits). */
static int allocate(struct inode *inode, uint64_t at, size_t *n)
{
    long got = pageio_allocate(inode, at, *n);

    if (got < 0) {
        *n = 0;
        return (int)got;
    }
    if ((size_t)got < *n) {
        *n = (size_t)got;
        return -ENOSPC;
    }
    return 0;
}

/*
 * Each page: its blocks allocated, then the bytes copied in and the page dirty.
 * A page written whole (or past the end) is not read, so its blocks are allocated
 * first: if the disk fills inside it, the part that fits is whole blocks from the
 * page's start, and the page is read after all. A page written in part is read
 * first, then allocated: a block just allocated is never read (its bytes in the
 * page are the hole's zeros, contract of get_block).
 */
long pagecache_write(struct inode *inode, const void *buf, size_t len, uint64_t pos)
{
    size_t done = 0;
    int err = 0;

    while (done < len && !err) {
        uint64_t at = pos + done, idx = at / PAGE_CACHE_SIZE;
        size_t off = (size_t)(at % PAGE_CACHE_SIZE);
        size_t n = PAGE_CACHE_SIZE - off < len - done ? PAGE_CACHE_SIZE - off : len - done;
        int whole = (off == 0 && n == PAGE_CACHE_SIZE) || idx * PAGE_CACHE_SIZE >= inode->size;
        int allocated = 0;
        struct cpage *p;
        int e;

        if (inode->aops && whole) {
            err = allocate(inode, at, &n);
            allocated = 1;
            whole = whole && !err;
            if (n == 0)
                break;
        }
        if ((e = get_pages(inode, idx, 1, whole, &p)) != 0) {
            err = e;
            break;
        }
        if (inode->aops && !allocated && (err = allocate(inode, at, &n)) != 0 && n == 0) {
            page_put(p);
            break;
        }
        memcpy(p->data + off, (const char *)buf + done, n);
        spin_lock(&pc_lock);
        pc_set_dirty(p);
        spin_unlock(&pc_lock);
        if (inode->aops)
            pc_start_flusher();
        page_put(p);
        done += n;
        if (pos + done > inode->size)
            inode->size = pos + done;
    }
    if (!inode->aops)
        inode->blocks = inode->cache.pages * (PAGE_CACHE_SIZE / 512);
    return done ? (long)done : err;
}

/* Remove every page of inode at or past index `keep` (waiting for busy ones); freed list. */
static struct cpage *drop_from(struct inode *inode, uint64_t keep)
{
    struct page_cache *pc = &inode->cache;
    struct cpage *gone = NULL;

again:
    for (unsigned i = 0; pc->slots && i < pc->nslots; i++)
        for (struct cpage *p = pc->slots[i], *next; p; p = next) {
            next = p->hash_next;
            if (p->index < keep)
                continue;
            if (p->flags & CPAGE_BUSY) {
                p->refs++;
                waitq_wait(&pc_wait, &pc_lock);
                if (--p->refs == 0) {   /* another truncate took it out meanwhile */
                    p->hash_next = gone;
                    gone = p;
                }
                goto again;
            }
            if (remove(p)) {
                p->hash_next = gone;
                gone = p;
            }
        }
    return gone;
}

/* Growing a disk file from `old`: the page holding the old end, read (its bytes past the
 * end zeroed) and dirty, so the disk's slack after the old end becomes zeros too. */
static int zero_old_tail(struct inode *inode, uint64_t old)
{
    struct cpage *p;
    int err = get_pages(inode, old / PAGE_CACHE_SIZE, 1, 0, &p);

    if (err)
        return err;
    spin_lock(&pc_lock);
    memset(p->data + old % PAGE_CACHE_SIZE, 0, PAGE_CACHE_SIZE - old % PAGE_CACHE_SIZE);
    pc_set_dirty(p);
    spin_unlock(&pc_lock);
    page_put(p);
    return 0;
}

int pagecache_truncate(struct inode *inode, uint64_t size)
{
    uint64_t keep = (size + PAGE_CACHE_SIZE - 1) / PAGE_CACHE_SIZE, old = inode->size;
    struct cpage *gone, *tail;
    int err;

    if (size > old && inode->aops && old % PAGE_CACHE_SIZE && (err = zero_old_tail(inode, old)) != 0)
        return err;
    spin_lock(&pc_lock);
    gone = drop_from(inode, keep);
    tail = size % PAGE_CACHE_SIZE ? find(&inode->cache, size / PAGE_CACHE_SIZE) : NULL;
    if (tail) {
        tail->refs++;
        if (wait_ready(tail) == 0) {
            memset(tail->data + size % PAGE_CACHE_SIZE, 0, PAGE_CACHE_SIZE - size % PAGE_CACHE_SIZE);
            pc_set_dirty(tail);
        }
        if (--tail->refs == 0) {        /* taken out meanwhile: ours to free */
            tail->hash_next = gone;
            gone = tail;
        }
    }
    spin_unlock(&pc_lock);
    free_list(gone);
    if (inode->cache.ra_next > keep)
        inode->cache.ra_next = keep;
    if (!inode->aops)
        inode->blocks = inode->cache.pages * (PAGE_CACHE_SIZE / 512);
    return 0;
}

void pagecache_evict_inode(struct inode *inode)
{
    struct cpage *gone;

    spin_lock(&pc_lock);
    gone = drop_from(inode, 0);
    spin_unlock(&pc_lock);
    free_list(gone);
    kfree(inode->cache.slots);
    inode->cache.slots = NULL;
    inode->cache.nslots = 0;
}

void pagecache_init(void)
{
    uint64_t free_pages = mm_frames_free();

    limit_pages = free_pages / 4 > LIMIT_MIN ? free_pages / 4 : LIMIT_MIN;
}

void pagecache_set_limit(uint64_t pages)
{
    uint64_t free_pages = mm_frames_free();

    limit_pages = pages ? pages : (free_pages / 4 > LIMIT_MIN ? free_pages / 4 : LIMIT_MIN);
}

uint64_t pagecache_limit(void)
{
    return limit_pages;
}

/* ---- mmap's use, the counters ---- */

int pagecache_get_page(struct inode *inode, uint64_t index, struct cpage **out)
{
    return get_pages(inode, index, 1, 0, out);
}

void pagecache_put_page(struct cpage *p)
{
    page_put(p);
}

void pagecache_mark_dirty(struct cpage *p)
{
    spin_lock(&pc_lock);
    pc_set_dirty(p);
    spin_unlock(&pc_lock);
    if (p->owner->aops)
        pc_start_flusher();
}

struct pagecache_stats pagecache_stats(void)
{
    struct pagecache_stats s;

    spin_lock(&pc_lock);
    s = pc_stat;
    spin_unlock(&pc_lock);
    return s;
}
