/*
 * writeback.c - the page cache's write-back (pagecache.h): dirty pages of
 * disk files written to their blocks, for fsync (pagecache_sync_inode), for
 * eviction (pc_writeback_pages, from pagecache.c's shrink_lru), and by the
 * flusher thread, which every flush period writes every mounted volume's
 * dirty pages and inodes (vfs_writeback_sb).
 *
 * A page being written is BUSY (nobody changes or drops it meanwhile) and
 * already clean: a write() during the I/O dirties it again, and a failed
 * write marks it dirty again, so nothing is lost. pagecache_sync_inode waits
 * for pages in flight before it looks for dirty ones: when it returns, what
 * was written before it is on the disk.
 *
 * Locking: pc_lock (pagecache_impl.h) for flags and references; none held
 * across the I/O.
 */
#include "fs/pagecache_impl.h"
#include "fs/pageio.h"
#include "fs/vfs_impl.h"
#include "mutant.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"

#define FLUSH_NS_DEFAULT (5000ULL * 1000 * 1000)
#define FLUSH_TICK_NS   (100ULL * 1000 * 1000)

static uint64_t flush_ns = FLUSH_NS_DEFAULT;

/* Write the busy, referenced pages[0..n) (their dirty flags already cleared), then
 * release them: dirty again if the write failed. */
void pc_writeback_pages(struct cpage **pages, unsigned n)
{
    struct io_batch *b = io_batch_new();
    int err = b ? 0 : -ENOMEM;

    for (unsigned i = 0; !err && i < n; i++)
        err = pageio_write(b, pages[i]);
    if (b) {
        int e = io_batch_wait(b);
        err = err ? err : e;
        io_batch_free(b);
    }
    spin_lock(&pc_lock);
    for (unsigned i = 0; i < n; i++) {
        struct cpage *p = pages[i];
        p->flags &= ~CPAGE_BUSY;
        if (err)
            pc_set_dirty(p);
        else
            pc_stat.writebacks++;
        p->refs--;                      /* still hashed: the cache's reference remains */
    }
    waitq_wake_all(&pc_wait);
    spin_unlock(&pc_lock);
    if (err)
        printk(LOG_WARN, "[pagecache] write-back of inode %llu failed (%d): pages kept dirty\n",
               (unsigned long long)pages[0]->owner->ino, err);
}

/* Up to max dirty pages of inode, made busy and clean, referenced; 0 when none is left.
 * Waits for busy pages first (a write-back in flight must end before fsync does). */
static unsigned collect_dirty(struct inode *inode, struct cpage **out, unsigned max)
{
    struct page_cache *pc = &inode->cache;
    unsigned n = 0;

    spin_lock(&pc_lock);
again:
    for (unsigned i = 0; pc->slots && i < pc->nslots && n < max; i++)
        for (struct cpage *p = pc->slots[i]; p && n < max; p = p->hash_next) {
            if (p->flags & CPAGE_BUSY) {
                if (n)
                    goto done;
                p->refs++;
                waitq_wait(&pc_wait, &pc_lock);
                p->refs--;
                goto again;
            }
            if (p->flags & CPAGE_DIRTY) {
                p->refs++;
                p->flags |= CPAGE_BUSY;
                pc_clear_dirty(p);
                out[n++] = p;
            }
        }
done:
    spin_unlock(&pc_lock);
    return n;
}

int pagecache_sync_inode(struct inode *inode)
{
    struct cpage *pages[32];
    uint64_t before;
    unsigned n;

    if (!inode->aops)
        return 0;
    while ((n = collect_dirty(inode, pages, 32)) != 0) {
        before = inode->cache.dirty;
        pc_writeback_pages(pages, n);
        if (inode->cache.dirty > before)
            return -EIO;                /* they failed and are dirty again: the next sync retries */
    }
    return 0;
}

/* Every flush_ns (checked every FLUSH_TICK_NS, so a new period applies soon): every
 * mounted volume's dirty pages and inodes written. */
static void flusher(void *arg)
{
    uint64_t slept = 0;

    (void)arg;
    for (;;) {
        sched_sleep_ns(FLUSH_TICK_NS);
        slept += FLUSH_TICK_NS;
        if (slept < __atomic_load_n(&flush_ns, __ATOMIC_RELAXED))
            continue;
        slept = 0;
        if (MUTANT_ENABLED(pagecache_flusher) || !__atomic_load_n(&pc_stat.dirty, __ATOMIC_RELAXED))
            continue;
        mutex_lock(&mount_lock);
        for (struct mount *m = vfs_mounts(); m; m = m->next)
            vfs_writeback_sb(m->sb);
        mutex_unlock(&mount_lock);
    }
}

/* The first dirty page of a disk file starts the flusher (a boot with no disk file written
 * makes no thread, and thread_create is not cheap under TCG). */
void pc_start_flusher(void)
{
    static int started;

    if (__atomic_load_n(&started, __ATOMIC_ACQUIRE) || __atomic_exchange_n(&started, 1, __ATOMIC_ACQ_REL))
        return;
    if (!thread_create("pc_flush", flusher, NULL, SCHED_PRIO_DEFAULT))
        printk(LOG_WARN, "[pagecache] no flusher thread: dirty pages wait for sync\n");
}

void pagecache_set_flush_interval(uint64_t ns)
{
    __atomic_store_n(&flush_ns, ns ? ns : FLUSH_NS_DEFAULT, __ATOMIC_RELAXED);
}

