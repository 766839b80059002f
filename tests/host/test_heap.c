/*
 * test_heap.c - host tests for the slab caches and kmalloc (kernel/mm/slab.c,
 * heap.c) over the real frame allocator (pmm.c) and an arena that plays
 * physical memory, the way the kernel runs them over the direct map: every
 * size class, large and aligned allocations, krealloc and kcalloc, bad frees
 * of every kind, the debug caches' red zones and poison, exhaustion, and a
 * million random allocations and frees with their contents checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mm/heap.h"
#include "mm/pmm.h"
#include "../mm_arena.h"
#include "mm_fake_cpus.h"

#define MIB (1ULL << 20)

/* The arena (tests/mm_arena.h): the kernel's frame allocator over host memory. */
static struct mm_arena arena;
static int reports;
static const char *last_report;

static void on_report(void *ctx, const char *what, const void *ptr, const void *caller)
{
    (void)ctx, (void)ptr, (void)caller;
    reports++;
    last_report = what;
}

static void start(uint64_t size, int debug)
{
    heap_set_guard(NULL);
    assert_int_equal(mm_arena_init(&arena, size), 0);
    slab_init(&arena.src, on_report, NULL);
    slab_set_debug(debug);
    assert_int_equal(heap_init(&arena.src), 0);
    reports = 0;
}

static int setup_plain(void **state) { (void)state; start(64 * MIB, 0); return 0; }
static int setup_debug(void **state) { (void)state; start(64 * MIB, 1); return 0; }
static int setup_cpus(void **state)
{
    (void)state;
    start(64 * MIB, 0);
    heap_set_guard(&fake_guard);
    fake_cpu = 0, locks_taken = 0;
    return 0;
}

/* All memory back: every class shrunk, no large allocation, frames as at the start. */
static void assert_all_returned(uint64_t free_frames)
{
    struct heap_stats s = heap_stats();

    assert_int_equal(s.small_active, 0);
    assert_int_equal(s.large_active, 0);
    heap_drain_cpu();
    assert_int_equal(reports, 0);
    assert_int_equal(arena.pmm.free_frames + heap_stats().stack_pages, free_frames);
    assert_int_equal(pmm_check(&arena.pmm), 0);
}

static void test_every_size_up_to_a_page(void **state)
{
    static void *p[4200];
    uint64_t before = arena.pmm.free_frames;

    (void)state;
    for (size_t n = 1; n < 4200; n++) {
        p[n] = kmalloc(n);
        assert_non_null(p[n]);
        assert_true(ksize(p[n]) >= n);
        assert_int_equal((uintptr_t)p[n] % 8, 0);
        memset(p[n], (int)(n & 0xff), n);
    }
    for (size_t n = 1; n < 4200; n++) {
        for (size_t i = 0; i < n; i += 97)
            assert_int_equal(((uint8_t *)p[n])[i], n & 0xff);
        kfree(p[n]);
    }
    assert_null(kmalloc(0));
    kfree(NULL);
    assert_int_equal(reports, 0);
    assert_all_returned(before);
}

static void test_large_allocations_are_pages(void **state)
{
    uint64_t before = arena.pmm.free_frames;
    void *a = kmalloc(5000), *b = kmalloc(3 * MIB);

    (void)state;
    assert_int_equal((uintptr_t)a % PAGE_SIZE, 0);
    assert_int_equal(ksize(a), 2 * PAGE_SIZE);
    assert_int_equal(ksize(b), 3 * MIB);
    assert_int_equal(arena.pmm.free_frames, before - 2 - 768);
    memset(b, 1, 3 * MIB);
    kfree(a);
    kfree(b);
    assert_int_equal(heap_stats().large_pages, 0);
    assert_all_returned(before);
}

static void test_alignment(void **state)
{
    (void)state;
    for (size_t align = 8; align <= PAGE_SIZE; align *= 2)
        for (size_t size = 1; size <= 3000; size += 333) {
            void *p = kmalloc_aligned(size, align);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            assert_true(ksize(p) >= size);
            kfree(p);
        }
    assert_null(kmalloc_aligned(16, 24));          /* not a power of two */
    assert_null(kmalloc_aligned(16, 8192));         /* beyond a page: not offered */
    assert_int_equal(reports, 0);
}

static void test_realloc_and_calloc(void **state)
{
    char *p = kmalloc(10), *q;
    uint32_t *z;

    (void)state;
    memcpy(p, "tessera!!", 10);
    q = krealloc(p, 12);                            /* fits the class: the same object */
    assert_ptr_equal(q, p);
    q = krealloc(p, 5000);                          /* grows: a copy */
    assert_memory_equal(q, "tessera!!", 10);
    q = krealloc(q, 100000);
    assert_memory_equal(q, "tessera!!", 10);
    assert_null(krealloc(q, 0));
    p = krealloc(NULL, 40);
    assert_non_null(p);
    kfree(p);
    z = kcalloc(1000, sizeof *z);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(z[i], 0);
    kfree(z);
    assert_null(kcalloc(SIZE_MAX / 2, 4));          /* n * size overflows */
    assert_int_equal(reports, 0);
}

static void test_bad_frees_reported(void **state)
{
    char *a = kmalloc(100), *big = kmalloc(10000), local;
    struct kmem_cache other;
    uint64_t frees = heap_stats().frees;

    (void)state;
    kfree(a);
    kfree(a);
    assert_string_equal(last_report, "double free");
    kfree(&local);                                  /* not heap memory at all */
    assert_string_equal(last_report, "free of a pointer the heap never returned");
    a = kmalloc(100);
    kfree(a + 8);
    assert_string_equal(last_report, "free of a pointer that is not the start of an object");
    kfree(big + PAGE_SIZE);
    assert_string_equal(last_report, "free of a pointer inside a large allocation");
    kmem_cache_init(&other, "other", 100, 0);
    kmem_cache_free(&other, a);
    assert_string_equal(last_report, "free into a cache the object does not belong to");
    kfree(arena.base + 40 * MIB);                        /* a free page of the arena */
    assert_int_equal(reports, 6);
    assert_int_equal(heap_stats().frees, frees + 1);    /* only the first free counted */
    kfree(a);
    kfree(big);
    assert_int_equal(reports, 6);
}

static void test_debug_catches_overflow_and_use_after_free(void **state)
{
    char *p = kmalloc(200);

    (void)state;
    p[200] = 'x';                                   /* one past what was asked */
    kfree(p);
    assert_int_equal(reports, 1);
    assert_string_equal(last_report, "write past the end of an object (red zone overwritten)");
    p = kmalloc(64);
    kfree(p);
    p[20] = 1;                                      /* written after the free */
    for (int i = 0; i < 600 && reports == 1; i++)   /* the object comes back within a slab's worth */
        (void)kmalloc(64);
    assert_int_equal(reports, 2);
    assert_string_equal(last_report, "object written after it was freed (use after free)");
    p = kmalloc(200);                               /* krealloc in place moves the red zone */
    assert_ptr_equal(krealloc(p, 250), p);
    memset(p, 1, 250);
    assert_ptr_equal(krealloc(p, 100), p);
    p[100] = 2;
    kfree(p);
    assert_int_equal(reports, 3);
}

static void test_exhaustion_returns_null(void **state)
{
    void *p;
    int n = 0;

    (void)state;
    start(1 * MIB, 0);
    while ((p = kmalloc(256)))
        n++;
    assert_true(n > 3000);
    assert_null(kmalloc(100000));
    assert_true(heap_stats().failures >= 2);
    assert_int_equal(reports, 0);
}

/* Random sizes, random order; each object carries its own pattern, checked at its free. */
static void test_a_million_mixed(void **state)
{
    enum { LIVE = 4096 };
    static struct { uint8_t *p; size_t n; uint8_t tag; } live[LIVE];
    uint64_t before = arena.pmm.free_frames;

    (void)state;
    srand(7);
    for (long op = 0; op < 1000000; op++) {
        unsigned k = (unsigned)rand() % LIVE;
        if (live[k].p) {
            for (size_t i = 0; i < live[k].n; i += 61)
                assert_int_equal(live[k].p[i], live[k].tag);
            assert_int_equal(live[k].p[live[k].n - 1], live[k].tag);
            kfree(live[k].p);
            live[k].p = NULL;
            continue;
        }
        int r = rand() % 100;
        size_t n = r < 70 ? 1 + (size_t)(rand() % 128) : r < 97 ? 1 + (size_t)(rand() % 2048)
                                                             : 2049 + (size_t)(rand() % 20000);
        live[k].p = kmalloc(n);
        assert_non_null(live[k].p);
        live[k].n = n;
        live[k].tag = (uint8_t)op;
        memset(live[k].p, live[k].tag, n);
    }
    for (unsigned k = 0; k < LIVE; k++)
        kfree(live[k].p);
    assert_int_equal(reports, 0);
    assert_all_returned(before);
}

/* A cache that holds objects serves them without the lock; empty, it refills under it. */
static void test_cpu_fast_path_takes_no_lock(void **state)
{
    void *p[10];
    unsigned locks;

    (void)state;
    kfree(kmalloc(32));                             /* refill: the lock, once */
    assert_true(locks_taken > 0);
    locks = locks_taken;
    for (int round = 0; round < 100; round++) {
        for (int i = 0; i < 10; i++)
            p[i] = kmalloc(32);
        for (int i = 0; i < 10; i++)
            kfree(p[i]);
    }
    assert_int_equal(locks_taken, locks);
    assert_false(lock_held || in_cpu);
    assert_int_equal(heap_check(), 0);
}

/* Allocated on CPU 0, freed on CPU 1: into CPU 1's cache, where CPU 1's next allocation finds it. */
static void test_cpu_free_on_another_cpu(void **state)
{
    void *p = kmalloc(256), *q;
    struct heap_stats s;

    (void)state;
    fake_cpu = 1;
    kfree(p);
    assert_int_equal(heap_class(7)->cpu[1].avail, 1);  /* kmalloc-256, CPU 1's own cache */
    q = kmalloc(256);
    assert_ptr_equal(q, p);
    kfree(q);
    kfree(q);                                       /* cached on CPU 1: still a double free */
    assert_string_equal(last_report, "double free");
    fake_cpu = 0;
    kfree(q);                                       /* and from CPU 0 */
    assert_int_equal(reports, 2);
    s = heap_stats();
    assert_int_equal(s.small_active, 0);
    assert_int_equal(s.allocs, s.frees);
    assert_int_equal(heap_check(), 0);
}

/* A CPU that frees more than its cache holds gives the oldest half back to the slabs. */
static void test_cpu_cache_drains_when_too_big(void **state)
{
    enum { N = 500 };
    static void *p[N];
    unsigned limit = heap_class(2)->cpu_limit;      /* kmalloc-32 */

    (void)state;
    for (int i = 0; i < N; i++)
        p[i] = kmalloc(32);
    fake_cpu = 3;
    for (int i = 0; i < N; i++) {
        kfree(p[i]);
        assert_true(heap_class(2)->cpu[3].avail <= limit);
    }
    assert_true(kmem_cache_stats(heap_class(2)).cached <= limit + heap_class(2)->cpu[0].avail);
    assert_int_equal(heap_check(), 0);
    heap_drain_cpu();                               /* CPU 3's cache back to the slabs */
    assert_int_equal(heap_class(2)->cpu[3].avail, 0);
    fake_cpu = 0;
    heap_drain_cpu();
    assert_int_equal(heap_stats().small_cached, 0);
    assert_int_equal(heap_check(), 0);
    assert_int_equal(reports, 0);
}

/* Four CPUs allocating and freeing each other's objects: the counts match the test's own tally. */
static void test_cpu_counts_match_a_tally(void **state)
{
    enum { LIVE = 2048 };
    static struct { uint8_t *p; size_t n; } live[LIVE];
    uint64_t before = arena.pmm.free_frames, tally = 0;

    (void)state;
    srand(11);
    for (long op = 0; op < 200000; op++) {
        unsigned k = (unsigned)rand() % LIVE;
        fake_cpu = (unsigned)rand() % 4;
        if (live[k].p) {
            assert_int_equal(live[k].p[live[k].n - 1], (uint8_t)k);
            kfree(live[k].p);
            live[k].p = NULL;
            tally--;
        } else {
            live[k].n = 1 + (size_t)(rand() % 4096);
            assert_non_null(live[k].p = kmalloc(live[k].n));
            memset(live[k].p, (uint8_t)k, live[k].n);
            tally++;
        }
        if (op % 20000 == 0) {
            assert_int_equal(heap_stats().small_active, tally);
            assert_int_equal(heap_check(), 0);
        }
    }
    for (unsigned k = 0; k < LIVE; k++)
        kfree(live[k].p);
    assert_int_equal(reports, 0);
    for (fake_cpu = 0; fake_cpu < 4; fake_cpu++)
        heap_drain_cpu();
    fake_cpu = 0;
    assert_all_returned(before);
}

static int teardown(void **state)
{
    (void)state;
    mm_arena_fini(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_every_size_up_to_a_page, setup_plain),
        cmocka_unit_test_setup(test_large_allocations_are_pages, setup_plain),
        cmocka_unit_test_setup(test_alignment, setup_plain),
        cmocka_unit_test_setup(test_alignment, setup_debug),
        cmocka_unit_test_setup(test_realloc_and_calloc, setup_plain),
        cmocka_unit_test_setup(test_realloc_and_calloc, setup_debug),
        cmocka_unit_test_setup(test_bad_frees_reported, setup_plain),
        cmocka_unit_test_setup(test_bad_frees_reported, setup_debug),
        cmocka_unit_test_setup(test_debug_catches_overflow_and_use_after_free, setup_debug),
        cmocka_unit_test_setup(test_exhaustion_returns_null, setup_plain),
        cmocka_unit_test_setup(test_a_million_mixed, setup_plain),
        cmocka_unit_test_setup(test_every_size_up_to_a_page, setup_debug),
        cmocka_unit_test_setup(test_cpu_fast_path_takes_no_lock, setup_cpus),
        cmocka_unit_test_setup(test_cpu_free_on_another_cpu, setup_cpus),
        cmocka_unit_test_setup(test_cpu_cache_drains_when_too_big, setup_cpus),
        cmocka_unit_test_setup(test_cpu_counts_match_a_tally, setup_cpus),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
