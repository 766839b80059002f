/*
 * heap.h - kmalloc and friends (heap.c): general-purpose kernel memory on
 * top of the slab caches.
 *
 * Sizes up to HEAP_MAX_CLASS come from one of the size-class caches
 * (8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 bytes: the
 * 4096-byte class keeps 7 pages of each 8-page slab in use, and spares a
 * page allocation and its descriptor updates per kmalloc); larger ones
 * take whole pages from the page source, marked in the page descriptors so
 * kfree knows their length. kmalloc_aligned gives power-of-two alignment up
 * to 4 KiB (a class whose objects are aligned that way, or whole pages).
 * kfree(NULL) does nothing; a pointer the heap never returned, a double
 * free or (in debug caches) an overflow or a use after free is reported
 * with the caller's address and not trusted. Sizes up to HEAP_MAX_CLASS
 * take no lock: the calling CPU's cache of the class serves them (slab.h).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mm/pages.h"
#include "mm/slab.h"

#define HEAP_MAX_CLASS  4096
#define HEAP_CLASSES    12

struct heap_stats {
    uint64_t small_active;      /* objects handed out from the classes */
    uint64_t small_cached;      /* free objects in the CPUs' caches */
    uint64_t small_bytes;       /* bytes of slabs the classes hold */
    uint64_t stack_pages;       /* pages of the CPUs' cache stacks (slab.h), kept for good */
    uint64_t large_active;      /* page allocations handed out */
    uint64_t large_pages;
    uint64_t allocs, frees;
    uint64_t failures;          /* requests that found no memory */
};

/* Set up the classes over src (after slab_init with the same source). */
int heap_init(const struct page_source *src);

/*
 * The lock and the per-CPU hooks (pages.h) of the heap and its caches: the
 * kernel's (kernel/mm/mm.c: a spinlock, interrupts off around a CPU's
 * cache); host programs run single-threaded and set none, or a fake one
 * that plays several CPUs.
 */
void heap_set_guard(const struct mm_guard *g);

void *kmalloc(size_t size);
void *kmalloc_aligned(size_t size, size_t align);
void *kcalloc(size_t n, size_t size);
void *krealloc(void *ptr, size_t size);
void kfree(void *ptr);
/* Bytes usable at ptr (at least what was asked), 0 for a foreign pointer. */
size_t ksize(const void *ptr);

/* The counts: sums over the CPUs, exact while no CPU allocates. */
struct heap_stats heap_stats(void);
/* Empty this CPU's caches of every class into the slabs and free the empty slabs. */
void heap_drain_cpu(void);
/* kmem_cache_check on every class: 0 when all agree (nobody allocating). */
int heap_check(void);
/* The size-class caches, for a meminfo report. */
const struct kmem_cache *heap_class(unsigned i);
