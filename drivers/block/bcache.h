/*
 * bcache.h - the buffer cache (bcache.c): blocks of block devices kept in
 * memory, found again by (device, block number), reused least recently
 * used first, written back when dirty. What the file systems will read and
 * write through.
 *
 * Rules for a user (as xv6's bio.c):
 *   - b = bcache_get(cache, dev, block) returns the block read and locked
 *     (b->data holds dev->block_size bytes), or NULL (a read error, or
 *     every buffer is in use);
 *   - while holding it, read or change b->data; after a change call
 *     bcache_mark_dirty(b): the block goes to the disk later, not now;
 *   - bcache_put(b) unlocks it and drops the reference; b must not be
 *     used after;
 *   - bcache_sync(cache, dev) writes back every dirty block of dev (NULL:
 *     of every device), then sends one FLUSH to each disk written: when it
 *     returns 0, the blocks are on stable media (a write barrier: what was
 *     synced is durable before anything written after). The cache's
 *     flusher thread does the same every flush_ns for all devices; it is
 *     started by the first block marked dirty.
 * Never hold a buffer across a call that may take the same block again
 * (the buffer's lock is a mutex: no recursion).
 *
 * A cache has `capacity` buffers at most, made as needed. A miss takes a
 * new buffer while there is room, else the least recently used one nobody
 * holds: a clean one at once; a dirty one is written back first.
 */
#pragma once

#include <stdint.h>

#include "block/blockdev.h"
#include "sync/mutex.h"

struct bcache;
struct thread;

struct buf {
    struct bcache *cache;
    uint8_t *data;                      /* size bytes: the block, while valid */
    uint32_t size;
    struct mutex lock;                  /* held by the user from get to put, and by write-back */
    /* guarded by the cache's lock */
    struct block_device *dev;           /* NULL: holds no block */
    uint64_t block;
    unsigned refs;                      /* users holding or waiting for it, write-back included */
    int valid;                          /* data was read (or written) */
    int dirty;                          /* data differs from the disk */
    uint64_t changed;                   /* the cache's change_clock at its last change */
    uint64_t written;                   /* `changed` as its last successful write found it */
    uint64_t written_at;                /* the cache's writes_done when that write ended */
    int has_after;                      /* not to the disk before after_block's */
    uint64_t after_block;               /*   (bcache_mark_dirty_after) */
    uint64_t after_changed;             /*   changed up to this is on stable media */
    struct buf *prev, *next;            /* the LRU list: cache->lru.next is the most recent */
    struct buf *hash_next;
};

#define BCACHE_HASH     64

struct bcache {
    char name[16];
    uint32_t block_size;                /* bytes of a block (a multiple of the device's), 0: the device's */
    struct spinlock lock;               /* a leaf: guards what struct buf says, and below */
    unsigned capacity, count;
    struct buf **all;                   /* [capacity]: the first count made, never moved */
    struct buf lru;                     /* sentinel of the LRU list */
    struct buf *hash[BCACHE_HASH];
    uint64_t flush_ns;
    struct thread *flusher;             /* NULL until the first dirty block */
    int flusher_starting, stopping;
    unsigned unflushed;                 /* blocks written back since this cache's last FLUSH */
    uint64_t change_clock;              /* changes marked, ever: stamps them */
    uint64_t writes_done;               /* successful write-backs, ever: numbers them */
    uint64_t flushed_upto;              /* writes_done when the last successful FLUSH was sent */
    uint64_t hits, misses, evictions, writebacks, flushes, errors;
};

/* A cache of at most `capacity` buffers, its flusher waking every flush_ns
 * (0: no flusher, only bcache_sync writes back). NULL: no memory. */
struct bcache *bcache_create(const char *name, unsigned capacity, uint64_t flush_ns);
/* The same, in blocks of block_size bytes (a multiple of every device's block size it
 * serves; a file system's block): block numbers are then in those units. */
struct bcache *bcache_create_sized(const char *name, unsigned capacity, uint64_t flush_ns,
                                   uint32_t block_size);
/* Sync, forget every block, and use blocks of block_size from now on: no block may be held.
 * 0 or BLOCK_E* (of the sync, or BLOCK_EINVAL when a block is held). */
int bcache_set_block_size(struct bcache *c, uint32_t block_size);
/* Stop the flusher (within flush_ns), sync, free every buffer and the cache.
 * No buffer may be held. */
void bcache_destroy(struct bcache *c);
/* The kernel's cache (made by the storage phase), or NULL before. */
struct bcache *bcache_main(void);
void bcache_main_init(void);

struct buf *bcache_get(struct bcache *c, struct block_device *dev, uint64_t block);
/* The same without reading the disk (zeroed when not cached): for a block written whole. */
struct buf *bcache_get_new(struct bcache *c, struct block_device *dev, uint64_t block);
/* Drop block's dirty state without writing it, and the block when nobody holds it: a freed
 * metadata block that may become file data, written by another path. */
void bcache_forget(struct bcache *c, struct block_device *dev, uint64_t block);
void bcache_mark_dirty(struct buf *b);
/* A deferred write-before point: mark b dirty, and let no write-back take b's block to the disk
 * before block `first` of the same device, as it is now, is on stable media (written, then a
 * FLUSH). Nobody waits now: a write-back of b (sync, the flusher, an eviction, sync_range)
 * writes `first` and FLUSHes first when it must. One such block per buffer: a second, other
 * one makes the first durable now. The caller holds b and no other buffer, and `first` must
 * never wait for b itself (no cycles: ext2 orders an inode block after a directory block). */
void bcache_mark_dirty_after(struct buf *b, uint64_t first);
void bcache_put(struct buf *b);
/* Write back dev's dirty blocks (NULL: all), then FLUSH each disk written: 0 or the first BLOCK_E*. */
int bcache_sync(struct bcache *c, struct block_device *dev);
/* A write-before point (a file system's ordered metadata, docs/files-fat.md): write back
 * dev's dirty blocks among [first, first + count) now, then FLUSH dev if this cache wrote
 * any block since its last FLUSH. When it returns 0 they are on stable media, so a block
 * dirtied after it cannot reach the disk before them, whatever order sync and eviction
 * take. For a cache of one device (a volume's, fsio_bcache.c): the count of blocks not yet
 * flushed is the cache's. 0, 1 when it sent a FLUSH, or the first BLOCK_E*. */
int bcache_sync_range(struct bcache *c, struct block_device *dev, uint64_t first, uint64_t count);
