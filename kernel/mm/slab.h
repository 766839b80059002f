/*
 * slab.h - object caches in the manner of SLUB (slab.c).
 *
 * A cache hands out objects of one size. Its memory comes in slabs: runs of
 * 1, 2, 4 or 8 pages from the page source (pages.h), cut into objects from
 * the first byte, with a struct slab at the end of the run. A slab is on
 * one of three lists: partial (some objects free: allocations come from
 * here), full, or empty; at most one empty slab is kept, the others go back
 * to the page source at once.
 *
 * Objects start at multiples of the object size from a page boundary, so an
 * object of a power-of-two size is aligned to that size (up to 4 KiB).
 * Free objects are chained through their first word; a bitmap in the slab
 * says which objects are free, so a double free is caught in every build,
 * and the page descriptor says which slab a pointer belongs to, so a
 * pointer the cache never returned is refused.
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

typedef void slab_report_fn(void *ctx, const char *what, const void *ptr, const void *caller);

struct slab;

struct slab_list {
    struct slab *head;
    size_t count;
};

struct kmem_cache {
    const char *name;
    size_t size;                /* what callers asked for */
    size_t stride;              /* distance between objects (size + red zone, aligned) */
    uint32_t reciprocal;        /* ceil(2^32 / stride): offset -> index without a divide */
    unsigned objects;           /* per slab */
    unsigned pages;             /* per slab */
    unsigned flags;
    struct slab_list partial, full, empty;
    const struct page_source *src;
    /* statistics */
    uint64_t active;            /* objects handed out now */
    uint64_t slabs_made, slabs_freed;
};

struct slab_stats {
    uint64_t active, total;     /* objects in use, objects in all slabs */
    uint64_t slabs, pages;
};

/* Where all caches report; where they get pages. Set once before use. */
void slab_init(const struct page_source *src, slab_report_fn *report, void *report_ctx);
void slab_set_debug(int on);
/* Report a problem through the callback (the heap's checks use it too). */
void slab_report(const char *what, const void *ptr, const void *caller);

/* Fill *c (caller's storage: caches must exist before the heap does). */
int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size, unsigned flags);
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* Give every empty slab back; the cache stays usable. */
void kmem_cache_shrink(struct kmem_cache *c);
struct slab_stats kmem_cache_stats(const struct kmem_cache *c);

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
