/*
 * heap.c - kmalloc, kfree, krealloc, kcalloc (see heap.h).
 *
 * A request up to 4096 bytes goes to a size class: class_of[] maps the size
 * in 8-byte steps to the smallest class that holds it, one table load
 * instead of a search. Larger requests, and alignments no class gives, take
 * whole pages; the first page's descriptor records how many, so kfree and
 * ksize need nothing else.
 *
 * Locking: a size-class allocation or free takes no lock: it goes to the
 * calling CPU's cache of the class (slab.c), which takes the guard's lock
 * itself only to refill or drain in batches. Large allocations, ksize and
 * krealloc's in-place path take the guard's lock (the kernel's heap
 * spinlock, heap_set_guard) around their work; krealloc and kcalloc are
 * built on the other calls.
 */
#include <stdint.h>
#include <string.h>

#include "mm/heap.h"

static const uint16_t class_size[HEAP_CLASSES] = {
    8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096,
};
static const char *const class_name[HEAP_CLASSES] = {
    "kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
    "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048", "kmalloc-4096",
};

static struct kmem_cache classes[HEAP_CLASSES];
static uint8_t class_of[HEAP_MAX_CLASS / 8 + 1];   /* (size + 7) / 8 -> class */
static const struct page_source *src;
static struct heap_stats stats;            /* large allocations and failures: under the lock */
static const struct mm_guard *guard;

void heap_set_guard(const struct mm_guard *g)
{
    guard = g;
    slab_set_guard(g);
}

static inline void lock(void)
{
    if (guard)
        guard->lock();
}

static inline void unlock(void)
{
    if (guard)
        guard->unlock();
}

int heap_init(const struct page_source *source)
{
    unsigned c = 0;

    src = source;
    memset(&stats, 0, sizeof stats);
    for (unsigned i = 0; i < HEAP_CLASSES; i++)
        if (kmem_cache_init(&classes[i], class_name[i], class_size[i], 0) != 0)
            return -1;
    for (unsigned i = 0; i <= HEAP_MAX_CLASS / 8; i++) {
        while (class_size[c] < i * 8)
            c++;
        class_of[i] = (uint8_t)c;
    }
    return 0;
}

static void *large_alloc(size_t size)
{
    size_t n = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    uint8_t *mem;

    if (size > (size_t)1 << 40 || !(mem = src->alloc(src->ctx, n))) {
        stats.failures++;
        return NULL;
    }
    *page_desc(src, mem) = (n << 2) | PAGE_DESC_LARGE;
    for (size_t i = 1; i < n; i++)
        *page_desc(src, mem + i * PAGE_SIZE) = PAGE_DESC_LARGE_TAIL;
    stats.large_active++;
    stats.large_pages += n;
    stats.allocs++;
    return mem;
}

static __attribute__((noinline)) void count_failure(void)
{
    lock();
    stats.failures++;
    unlock();
}

/* From size class `class` (no lock: this CPU's cache). */
static void *small_alloc(unsigned class, size_t size, const void *caller)
{
    void *p = slab_alloc_from(&classes[class], size, caller);

    if (__builtin_expect(!p, 0))
        count_failure();
    return p;
}

static __attribute__((noinline)) void *large_alloc_locked(size_t size)
{
    void *p;

    lock();
    p = large_alloc(size);
    unlock();
    return p;
}

void *kmalloc(size_t size)
{
    if (__builtin_expect(size - 1 < HEAP_MAX_CLASS, 1))     /* 1 .. HEAP_MAX_CLASS */
        return small_alloc(class_of[(size + 7) >> 3], size, __builtin_return_address(0));
    return size ? large_alloc_locked(size) : NULL;
}

void *kmalloc_aligned(size_t size, size_t align)
{
    if (size == 0 || align == 0 || (align & (align - 1)) || align > PAGE_SIZE)
        return NULL;
    for (unsigned c = 0; c < HEAP_CLASSES; c++)
        if (class_size[c] >= size && class_size[c] % align == 0)
            return small_alloc(c, size, __builtin_return_address(0));
    return large_alloc_locked(size);
}

/* The large allocation starting at ptr: its page count, else 0. */
static size_t large_pages(const void *ptr)
{
    uintptr_t *d = page_desc(src, ptr);

    if (!d || (*d & 3) != PAGE_DESC_LARGE || ((uintptr_t)ptr & (PAGE_SIZE - 1)))
        return 0;
    return *d >> 2;
}

/* Not a slab object: a large allocation, or a pointer to refuse. */
static __attribute__((noinline)) void kfree_other(void *ptr, const void *caller)
{
    uintptr_t *d = page_desc(src, ptr);
    size_t n = large_pages(ptr);

    if (n) {
        for (size_t i = 0; i < n; i++)
            *page_desc(src, (uint8_t *)ptr + i * PAGE_SIZE) = 0;
        src->free(src->ctx, ptr, n);
        stats.large_active--;
        stats.large_pages -= n;
        stats.frees++;
    } else if (d && (*d & 1)) {
        slab_report("free of a pointer inside a large allocation", ptr, caller);
    } else {
        slab_report("free of a pointer the heap never returned", ptr, caller);
    }
}

/* A slab object goes to this CPU's cache with no lock; anything else under the lock. */
void kfree(void *ptr)
{
    uintptr_t *d;

    if (!ptr)
        return;
    d = page_desc(src, ptr);
    if (__builtin_expect(d && *d && !(*d & 3), 1)) {        /* a slab's page */
        slab_free_desc(*d, ptr, __builtin_return_address(0));
        return;
    }
    lock();
    kfree_other(ptr, __builtin_return_address(0));
    unlock();
}

size_t ksize(const void *ptr)
{
    size_t n;
    const struct kmem_cache *c = NULL;

    lock();
    if (!(n = large_pages(ptr) * PAGE_SIZE) && (c = slab_cache_of(ptr, __builtin_return_address(0))))
        n = c->size;
    unlock();
    return n;
}

void *kcalloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        return NULL;
    if ((p = kmalloc(n * size)))
        memset(p, 0, n * size);
    return p;
}

void *krealloc(void *ptr, size_t size)
{
    size_t have;
    void *p;

    if (!ptr)
        return kmalloc(size);
    if (size == 0) {
        kfree(ptr);
        return NULL;
    }
    if (!(have = ksize(ptr)))
        return NULL;                    /* foreign: reported by ksize */
    if (size <= have) {
        lock();
        if (!large_pages(ptr))
            slab_resize(ptr, size);
        unlock();
        return ptr;
    }
    if ((p = kmalloc(size))) {
        memcpy(p, ptr, have);
        kfree(ptr);
    }
    return p;
}

struct heap_stats heap_stats(void)
{
    struct heap_stats s;

    lock();
    s = stats;
    s.stack_pages = slab_stack_pages();
    for (unsigned i = 0; i < HEAP_CLASSES; i++) {
        struct slab_stats c = kmem_cache_stats(&classes[i]);
        s.small_active += c.active;
        s.small_cached += c.cached;
        s.small_bytes += c.pages * PAGE_SIZE;
        for (unsigned cpu = 0; cpu < MM_MAX_CPUS; cpu++) {
            s.allocs += classes[i].cpu[cpu].allocs;
            s.frees += classes[i].cpu[cpu].frees;
        }
    }
    unlock();
    return s;
}

void heap_drain_cpu(void)
{
    for (unsigned i = 0; i < HEAP_CLASSES; i++)
        kmem_cache_shrink(&classes[i]);
}

int heap_check(void)
{
    for (unsigned i = 0; i < HEAP_CLASSES; i++)
        if (kmem_cache_check(&classes[i]) != 0)
            return -1;
    return 0;
}

const struct kmem_cache *heap_class(unsigned i)
{
    return i < HEAP_CLASSES ? &classes[i] : NULL;
}
