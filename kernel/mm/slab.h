/*
 * slab.h - object caches in the manner of SLUB (slab.c).
 *
 * A cache hands out objects of one size. Its memory comes in slabs: runs of
 * 1, 2, 4 or 8 pages from the page source (pages.h), cut into objects from
 * the first byte, with a struct slab at the end of the run. A slab is on
 * one of three lists: partial (some objects free: allocations come from
 * here), full, or empty; empty slabs are kept up to free_limit free
 * objects in them (Linux SLAB's free_limit for one CPU: two CPU caches
 * and a slab; at least one slab), the others go back to the page source
 * at once.
 *
 * Two layers, as in Linux's SLAB and its per-CPU array caches:
 *   - each CPU has a cache of free objects per cache (struct slab_cpu, a
 *     stack of pointers). kmem_cache_alloc and kmem_cache_free pop and push
 *     there with interrupts off (mm_guard.cpu_enter) and no lock and no
 *     atomic instruction: only its own CPU touches it. Its size is Linux
 *     SLAB's (enable_cpucache): 120 objects up to 256 bytes, 54 up to 1 KiB,
 *     24 above; its stack is carved from a page of the page source the
 *     first time the CPU uses the cache, and kept;
 *   - the slabs and their lists are shared, under the guard's lock. A CPU
 *     whose cache is empty takes half a cache of objects from them at once
 *     (refill); one whose cache is full gives its oldest half back (drain).
 *     An object freed on another CPU than the one that allocated it goes
 *     into the freeing CPU's cache: objects are interchangeable.
 *     kmem_cache_shrink empties the calling CPU's cache, then frees the
 *     empty slabs.
 *
 * Objects start at multiples of the object size from a page boundary, so an
 * object of a power-of-two size is aligned to that size (up to 4 KiB).
 * Free objects in slabs are chained through their first word; a bitmap in
 * the slab says which objects are free in the slab; a free object in a
 * CPU's cache carries a tag in its first word (its address ^
 * SLAB_CACHED_TAG), cleared when it is handed out. So a double free is
 * caught in every build, wherever the object sits (two CPUs freeing the
 * same object at the same instant excepted), and the page descriptor says
 * which slab a pointer belongs to, so a pointer the cache never returned is
 * refused.
 *
 * Debug caches (SLAB_DEBUG, or slab_set_debug(1) before they are created)
 * add 16 bytes after each object (the size kmalloc was asked for, then a
 * red zone), treat the bytes past that size as red zone too, check it all
 * at every free (overflow), and poison free objects with 0x6b, checked at
 * every allocation (use after free). Problems are reported through the report
 * callback with the caller's address, never trusted.
 *
 * No lock of its own: the kernel's caches are used under the heap's lock
 * (heap_guard, mm.c); the host tests use one thread.
 * Counting: each CPU counts what it handed out and took back (no shared
 * counter on the fast path); kmem_cache_stats sums them. The sums are exact
 * when no CPU is allocating at that moment.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mm/pages.h"

#define SLAB_DEBUG          1u      /* kmem_cache_create flag */
#define SLAB_MAX_OBJECTS    512     /* objects in one slab, at most */
#define SLAB_REDZONE        16
#define SLAB_POISON_FREE    0x6b
#define SLAB_POISON_RED     0xbb
#define SLAB_CACHED_TAG     0xCAC4EDF4EE0B7EC7ULL   /* ^ address: "in a CPU's cache" */

typedef void slab_report_fn(void *ctx, const char *what, const void *ptr, const void *caller);

struct slab;

struct slab_list {
    struct slab *head;
    size_t count;
};

/* One CPU's cache of one kmem_cache: touched only by that CPU, interrupts off. */
struct slab_cpu {
    unsigned avail;             /* obj[0 .. avail) are free; obj[avail - 1] the newest */
    unsigned limit;             /* the stack's size; 0 until it exists */
    void **obj;
    uint64_t allocs, frees;     /* objects handed out / taken back on this CPU */
} __attribute__((aligned(64)));     /* one CPU's cache never shares a cache line with another's */

struct kmem_cache {
    const char *name;
    size_t size;                /* what callers asked for */
    size_t stride;              /* distance between objects (size + red zone, aligned) */
    uint32_t reciprocal;        /* ceil(2^32 / stride): offset -> index without a divide */
    unsigned objects;           /* per slab */
    unsigned pages;             /* per slab */
    unsigned flags;
    unsigned cpu_limit;         /* objects a CPU's cache holds at most */
    unsigned free_limit;        /* free objects the empty slabs hold at most (one empty slab at least) */
    const struct page_source *src;
    /* under the guard's lock: */
    struct slab_list partial, full, empty;
    uint64_t out;               /* objects out of the slabs: handed out or in CPU caches */
    uint64_t slabs_made, slabs_freed;
    /* each CPU's own */
    struct slab_cpu cpu[MM_MAX_CPUS];
};

struct slab_stats {
    uint64_t active, total;     /* objects handed out, objects in all slabs */
    uint64_t cached;            /* free objects in the CPUs' caches */
    uint64_t slabs, pages;
};

/* Where all caches report; where they get pages. Set once before use. */
void slab_init(const struct page_source *src, slab_report_fn *report, void *report_ctx);
void slab_set_debug(int on);
/* The lock and the CPU hooks (pages.h); none: one CPU, no lock (host programs). */
void slab_set_guard(const struct mm_guard *g);
/* Pages the CPUs' cache stacks took from the page source (kept for good). */
size_t slab_stack_pages(void);
/* Report a problem through the callback (the heap's checks use it too). */
void slab_report(const char *what, const void *ptr, const void *caller);

/* Fill *c (caller's storage: caches must exist before the heap does). */
int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size, unsigned flags);
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* Empty this CPU's cache into the slabs, then give every empty slab back; the cache stays usable. */
void kmem_cache_shrink(struct kmem_cache *c);
/* The counts (sums over the CPUs: exact while no CPU allocates from c). */
struct slab_stats kmem_cache_stats(const struct kmem_cache *c);
/* Whether the shared count agrees with the CPUs' counts and caches and with
 * a walk of every slab: 0 when it does (caller: no CPU allocating from c). */
int kmem_cache_check(struct kmem_cache *c);

/* The cache of the slab holding obj (checked), or NULL after a report. */
struct kmem_cache *slab_cache_of(const void *obj, const void *caller);
/* kmalloc's paths: allocate from c (`asked` bytes of it: in debug caches
 * the rest is red zone) / free obj into its own cache (0, or -1 after a
 * report), naming the caller in reports. */
void *slab_alloc_from(struct kmem_cache *c, size_t asked, const void *caller);
int slab_free_checked(void *obj, const void *caller);
/* kfree's fast path: obj's page descriptor says slab `desc`; checked all the same. */
int slab_free_desc(uintptr_t desc, void *obj, const void *caller);
/* krealloc in place: obj now holds `asked` bytes (moves a debug cache's red zone). */
void slab_resize(void *obj, size_t asked);
