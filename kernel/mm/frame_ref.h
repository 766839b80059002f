/*
 * frame_ref.h - how many address spaces share a user frame (frame_ref.c):
 * the reference count behind copy-on-write fork and MAP_SHARED memory.
 *
 * A frame mapped in one space needs no count: it is that space's. fork
 * maps each page of the parent in the child too, and says so with
 * frame_ref_share; from then on a write into a private page copies it
 * unless frame_ref_shared says no other space maps it any more (the last
 * sharer writes in place), and an unmap gives the frame back only when
 * frame_ref_drop says it was the last mapping. The count is kept as the
 * number of *other* sharers, so every frame starts at 0 and the table
 * needs no setting up per allocation: a word per frame, 0.1% of memory,
 * allocated at boot (mm_init_paging).
 *
 * Atomic: sharers in different spaces, under different locks, drop at
 * once (a parent and its child exiting together); only a space's own
 * fork adds, under that space's lock.
 */
#pragma once

#include <stdint.h>

/* The table, once, at boot (mm_init_paging; later calls return at once); 0, or -ENOMEM. */
int frame_ref_init(void);
/* One more space maps the 4 KiB frame at pa. */
void frame_ref_share(uint64_t pa);
/* 1 when another space maps the frame too. */
int frame_ref_shared(uint64_t pa);
/* One mapping of the frame goes: 1 when it was the last (the caller frees the frame), else 0. */
int frame_ref_drop(uint64_t pa);
/* Frames with more than one sharer (tests, the memory report). */
uint64_t frame_ref_count_shared(void);
