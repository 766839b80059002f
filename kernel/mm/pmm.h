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
 * ignored.
 *
 * Two layers, as Linux's page allocator has its per-CPU page lists:
 *   - the bitmaps and every pmm_* call but the three below: the caller
 *     holds the lock that guards them (the kernel's frames lock, mm.c);
 *   - each CPU's cache of up to PMM_CPU_FRAMES free 4 KiB frames
 *     (pmm_cpu_alloc, pmm_cpu_free): no lock and no atomic, interrupts
 *     off (the guard's cpu_enter) while this CPU pops or pushes its own
 *     cache. An empty cache takes PMM_CPU_BATCH frames from the bitmaps,
 *     a full one gives its PMM_CPU_BATCH oldest back, both under the
 *     guard's lock; pmm_cpu_drain empties this CPU's cache. A frame in a
 *     cache is allocated in the bitmaps and marked PAGE_DESC_FRAME_CACHED
 *     in its page descriptor, so freeing it again is caught. A frame freed
 *     on another CPU than the one that took it joins the freeing CPU's cache.
 * free_frames counts the bitmaps' free frames; pmm_free_total() adds the
 * frames in the CPUs' caches.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "mm/pages.h"

#define PMM_FRAME_SIZE      4096ULL
#define PMM_FRAME_SHIFT     12
#define PMM_GROUP_FRAMES    512         /* frames in a 2 MiB group */
#define PMM_2M              (2ULL << 20)
#define PMM_1G              (1ULL << 30)
#define PMM_NONE            0           /* no frame: frame 0 is never handed out */
/* A CPU's frame cache: at most PMM_CPU_FRAMES frames, PMM_CPU_BATCH moved at a
 * time (Linux's per-CPU page lists: batch 31, high = 6 * batch). */
#define PMM_CPU_FRAMES      186
#define PMM_CPU_BATCH       31

/* A managed range of frames [first, end). */
struct pmm_range {
    uint64_t first;
    uint64_t end;
};

typedef void pmm_report_fn(void *ctx, const char *what, uint64_t phys, const void *caller);

/* One CPU's frame cache: touched only by that CPU, interrupts off. */
struct pmm_cpu {
    unsigned count;                     /* frame[0 .. count) are free; the last the newest */
    uint64_t frame[PMM_CPU_FRAMES];
} __attribute__((aligned(64)));

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
    /* the per-CPU layer (pmm_set_cpu_cache) */
    const struct mm_guard *guard;       /* NULL: one CPU, no lock */
    uintptr_t *desc;                    /* a word per frame (pages.h), or NULL: no cached mark */
    struct pmm_cpu cpu[MM_MAX_CPUS];
    uint64_t reclaims;                  /* other CPUs' caches emptied for a refill (cpu_refill) */
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

/*
 * The per-CPU layer: guard's lock is the one callers of the other pmm_*
 * functions hold; desc, the page descriptors indexed by frame number (or
 * NULL). Set once, before the caches are used.
 */
void pmm_set_cpu_cache(struct pmm *p, const struct mm_guard *guard, uintptr_t *desc);
/*
 * One 4 KiB frame from this CPU's cache / back into it (no lock held by the
 * caller). When the cache and the bitmaps are both empty, the other CPUs'
 * caches are emptied into the bitmaps first (the guard's call_cpu), so
 * PMM_NONE means no frame is free anywhere.
 */
uint64_t pmm_cpu_alloc(struct pmm *p);
void pmm_cpu_free(struct pmm *p, uint64_t phys);
/* Give this CPU's cached frames back to the bitmaps (no lock held by the caller). */
void pmm_cpu_drain(struct pmm *p);
/* Free frames: the bitmaps' and the CPUs' caches' (exact while no CPU allocates; caller holds the lock). */
uint64_t pmm_free_total(const struct pmm *p);

/* Whether the frame at phys is free (tests, the VMM's checks). */
int pmm_is_free(const struct pmm *p, uint64_t phys);

/* Recount every bit and check both summaries and the counter: 0 when they agree. */
int pmm_check(const struct pmm *p);
