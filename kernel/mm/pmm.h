/*
 * pmm.h - the physical frame allocator: a two-level bitmap (pmm.c).
 *
 * Level 0: one bit per 4 KiB frame, 1 = free. Level 1: two bits per 2 MiB
 * group of 512 frames: "some frame of the group is free" and "every frame
 * of the group is free". So a 4 KiB frame is found by looking at one bit
 * per group first, an aligned 2 MiB block by one bit per group, an aligned
 * 1 GiB block by 512 such bits in a row: never by scanning the whole frame
 * bitmap. Physically contiguous runs under a limit (DMA below 16 MiB or
 * 4 GiB) are the one slow path: a scan of the frame bits below the limit.
 *
 * Which memory is managed: the usable and loader-reclaimable ranges of the
 * boot memory map, any amount, holes and memory above 4 GiB included. The
 * bitmap spans frame 0 to the end of the highest managed range; frames
 * outside managed ranges are never free. Loader-reclaimable frames start
 * allocated and are given back with pmm_release() once the kernel no longer
 * needs the boot info. Frame 0 is never handed out, so 0 means "none".
 *
 * The allocator keeps no pointers of its own: its metadata (the ranges and
 * the bitmaps, pmm_metadata_bytes()) lives where the caller puts it, which
 * is what lets the same file run in the kernel and in the host tests.
 * Freeing a frame that is free already, or that was never managed, is
 * reported through the report callback with the caller's address, and
 * ignored. No lock of its own: the kernel's allocator is guarded by
 * frames_lock (mm.c); the host tests use one thread.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

#define PMM_FRAME_SIZE      4096ULL
#define PMM_FRAME_SHIFT     12
#define PMM_GROUP_FRAMES    512         /* frames in a 2 MiB group */
#define PMM_2M              (2ULL << 20)
#define PMM_1G              (1ULL << 30)
#define PMM_NONE            0           /* no frame: frame 0 is never handed out */

/* A managed range of frames [first, end). */
struct pmm_range {
    uint64_t first;
    uint64_t end;
};

typedef void pmm_report_fn(void *ctx, const char *what, uint64_t phys, const void *caller);

struct pmm {
    struct pmm_range *ranges;   /* sorted, disjoint */
    unsigned range_count;
    uint64_t *frame_free;       /* level 0: 1 bit per frame */
    uint64_t *group_any;        /* level 1: some frame of the group free */
    uint64_t *group_all;        /* level 1: the whole group free */
    uint64_t frames;            /* frames covered, a multiple of 512 */
    uint64_t groups;
    uint64_t managed_frames;    /* usable + loader-reclaimable */
    uint64_t free_frames;
    uint64_t hint;              /* group_any word where the next search starts */
    uint64_t errors;            /* bad frees reported */
    pmm_report_fn *report;
    void *report_ctx;
};

/* Bytes of metadata pmm_init needs for this map. */
uint64_t pmm_metadata_bytes(const struct bootinfo_mmap_entry *map, unsigned n);

/*
 * Set up over map[0..n) (normal form, memmap.h): usable frames free,
 * loader-reclaimable ones allocated until released. meta: metadata_bytes()
 * of zeroed-or-not memory, 8-byte aligned; meta_phys: its physical address
 * when it lies in managed memory (those frames are then marked allocated),
 * else 0. Returns 0, or -1 when the map has no usable memory.
 */
int pmm_init(struct pmm *p, const struct bootinfo_mmap_entry *map, unsigned n,
             void *meta, uint64_t meta_phys, pmm_report_fn *report, void *report_ctx);

uint64_t pmm_alloc(struct pmm *p);                  /* one 4 KiB frame */
uint64_t pmm_alloc_2m(struct pmm *p);               /* 512 frames, 2 MiB aligned */
uint64_t pmm_alloc_1g(struct pmm *p);               /* 262144 frames, 1 GiB aligned */
/* `count` contiguous frames, aligned to `align` bytes (a power of two, >= 4 KiB), ending at or below `limit`. */
uint64_t pmm_alloc_contig(struct pmm *p, uint64_t count, uint64_t align, uint64_t limit);

void pmm_free(struct pmm *p, uint64_t phys);
void pmm_free_2m(struct pmm *p, uint64_t phys);
void pmm_free_1g(struct pmm *p, uint64_t phys);
void pmm_free_contig(struct pmm *p, uint64_t phys, uint64_t count);

/* Give managed frames in [base, base + len) that are allocated back (loader-reclaimable memory). */
uint64_t pmm_release(struct pmm *p, uint64_t base, uint64_t len);

/* Whether the frame at phys is free (tests, the VMM's checks). */
int pmm_is_free(const struct pmm *p, uint64_t phys);

/* Recount every bit and check both summaries and the counter: 0 when they agree. */
int pmm_check(const struct pmm *p);
