/*
 * pagecache_impl.h - what pagecache.c and writeback.c share: the page
 * cache's one lock, its wait queue and counters, and the calls between the
 * two files. Nothing outside the page cache includes it.
 */
#pragma once

#include "fs/vfs.h"
#include "sched/waitq.h"

extern struct spinlock pc_lock;         /* every page hash, the LRU, flags, refs, pc_stat */
extern struct waitq pc_wait;            /* threads waiting for a busy page (with pc_lock) */
extern struct pagecache_stats pc_stat;

/* Dirty and clean marks with the counters: caller holds pc_lock. */
void pc_set_dirty(struct cpage *p);
void pc_clear_dirty(struct cpage *p);

/* Write the busy, referenced, already clean pages[0..n) and release them (writeback.c). */
void pc_writeback_pages(struct cpage **pages, unsigned n);
/* The flusher thread, made at the first dirty page of a disk file (writeback.c). */
void pc_start_flusher(void);
