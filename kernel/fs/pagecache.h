/*
 * pagecache.h - the page cache (kernel/fs/pagecache.c): the 4 KiB pages of
 * every file, keyed by inode and page index, that read and write go
 * through and that mmap will map (issue 16).
 *
 * A disk file system's pages are read with the inode's aops->get_block and
 * block requests straight into the page (contiguous blocks in one request;
 * read-ahead of the pages that follow a sequential read), and written back
 * by the flusher thread (every few seconds), on fsync, sync and unmount. A
 * memory file system (aops == NULL: tmpfs) keeps its pages until truncate;
 * a page never written reads as zeros.
 *
 * Rules:
 *   - pagecache_read / pagecache_write / pagecache_truncate are called by
 *     the VFS, with the inode's lock held for write and truncate;
 *   - a write allocates the file's blocks at once (get_block with create),
 *     so a full disk is -ENOSPC at write(), never at write-back;
 *   - under memory pressure clean pages of disk files are dropped, least
 *     recently used first; dirty pages are written back first.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sync/spinlock.h"

struct inode;

#define PAGE_CACHE_SIZE     4096u

/* cpage flags */
#define CPAGE_UPTODATE      1u      /* data holds the file's bytes */
#define CPAGE_DIRTY         2u      /* data differs from the disk */
#define CPAGE_BUSY          4u      /* being read or written: wait for it */

struct cpage {
    struct inode *owner;
    uint64_t index;                 /* file offset / 4096 */
    uint64_t phys;                  /* its frame */
    uint8_t *data;                  /* the frame in the direct map */
    unsigned flags;                 /* CPAGE_* */
    unsigned refs;                  /* users, the cache's own included */
    struct cpage *hash_next;
    struct cpage *lru_prev, *lru_next;
};

/* Each inode's part (struct inode's `cache`). */
struct page_cache {
    struct spinlock lock;
    struct cpage **slots;           /* hash by index */
    unsigned nslots;
    uint64_t pages, dirty;
    uint64_t ra_next;               /* read-ahead: the index a sequential reader reads next */
    uint32_t ra_window;             /* pages read ahead when it does */
};

void pagecache_init(void);          /* the global LRU and the flusher */
void pagecache_inode_init(struct inode *inode);

/*
 * Where a read's bytes go (pagecache_read_to): put copies n bytes of a
 * page from src and returns how many it took; fewer (a fault in a user's
 * buffer) ends the read after those bytes. A read into the caller's memory
 * needs no buffer of the kernel's in between (kernel/abi/linux/sys_file.c).
 */
struct pagecache_sink {
    size_t (*put)(void *ctx, const void *src, size_t n);
    void *ctx;
};

/* Up to len bytes at pos into buf: the count (0 at the end), or -errno when nothing was read. */
long pagecache_read(struct inode *inode, void *buf, size_t len, uint64_t pos);
/* The same into sink: the bytes it took, -EFAULT when it took none, -errno. */
long pagecache_read_to(struct inode *inode, const struct pagecache_sink *sink, size_t len, uint64_t pos);
long pagecache_write(struct inode *inode, const void *buf, size_t len, uint64_t pos);
/* Drop the pages past size (zeroing the tail of the last one kept). */
int pagecache_truncate(struct inode *inode, uint64_t size);
/* Write back inode's dirty pages and wait: 0 or the first error. */
int pagecache_sync_inode(struct inode *inode);
/* Drop every page of inode (its last iput, unmount). Dirty pages must have been synced. */
void pagecache_evict_inode(struct inode *inode);

/* mmap's use (issue 16): the page at index, read if needed, referenced. */
int pagecache_get_page(struct inode *inode, uint64_t index, struct cpage **out);
void pagecache_put_page(struct cpage *p);
void pagecache_mark_dirty(struct cpage *p);

/* The counters /proc/meminfo and the benches read. */
struct pagecache_stats {
    uint64_t pages, dirty, hits, misses, readahead, writebacks, evictions;
};
struct pagecache_stats pagecache_stats(void);
