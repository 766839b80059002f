/*
 * test_pmm.c - host tests for the frame allocator (kernel/mm/pmm.c) over
 * simulated memory maps: QEMU's 128 MiB map, 6 GiB with the PCI hole, a
 * tiny machine, a sparse terabyte; bad frees; loader-reclaimable memory;
 * contiguous runs under a limit; a randomized run against a
 * frame-by-frame reference model, the summaries recounted as it goes; and
 * the per-CPU frame caches under a fake guard that plays several CPUs and
 * counts the lock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pmm.h"
#include "mm_fake_cpus.h"

#define E(b, l, t) { .base = (b), .length = (l), .type = (t) }
#define USABLE  BOOTINFO_MEM_USABLE
#define RSVD    BOOTINFO_MEM_RESERVED
#define LOADER  BOOTINFO_MEM_LOADER_RECLAIM
#define KERNEL  BOOTINFO_MEM_KERNEL
#define MIB     (1ULL << 20)
#define GIB     (1ULL << 30)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* QEMU i440fx, 128 MiB, as the BIOS loader hands it over. */
static const struct bootinfo_mmap_entry qemu_128m[] = {
    E(0x0, 0x1000, RSVD), E(0x1000, 0x37000, LOADER), E(0x38000, 0x67000, USABLE),
    E(0x9fc00, 0x400, RSVD), E(0xf0000, 0x10000, RSVD), E(0x100000, 0x100000, USABLE),
    E(0x200000, 0x34000, KERNEL), E(0x234000, 0xa000, LOADER), E(0x23e000, 0x7da2000, USABLE),
    E(0x7fe0000, 0x20000, RSVD), E(0xfffc0000, 0x40000, RSVD),
};

/* q35 with 4 GiB: 2 GiB below the PCI hole, 2 GiB above 4 GiB. */
static const struct bootinfo_mmap_entry q35_4g[] = {
    E(0x0, 0x1000, RSVD), E(0x1000, 0x9e000, USABLE), E(0x100000, 0x7ff00000, USABLE),
    E(0xb0000000, 0x10000000, RSVD), E(0x100000000, 0x80000000, USABLE),
};

static struct pmm pmm;
static void *meta;
static int reports;
static const char *last_report;
static const void *last_caller;

static void on_report(void *ctx, const char *what, uint64_t phys, const void *caller)
{
    (void)ctx, (void)phys;
    reports++;
    last_report = what;
    last_caller = caller;
}

static void setup(const struct bootinfo_mmap_entry *map, unsigned n, uint64_t meta_phys)
{
    free(meta);
    meta = malloc(pmm_metadata_bytes(map, n));
    reports = 0;
    assert_int_equal(pmm_init(&pmm, map, n, meta, meta_phys, on_report, NULL), 0);
    assert_int_equal(pmm_check(&pmm), 0);
}

static uint64_t usable_frames(const struct bootinfo_mmap_entry *map, unsigned n)
{
    uint64_t f = 0;
    for (unsigned i = 0; i < n; i++)
        if (map[i].type == USABLE)
            f += map[i].length / PMM_FRAME_SIZE;
    return f;
}

static int in_usable(const struct bootinfo_mmap_entry *map, unsigned n, uint64_t phys, uint64_t len)
{
    for (unsigned i = 0; i < n; i++)
        if ((map[i].type == USABLE) && phys >= map[i].base && phys + len <= map[i].base + map[i].length)
            return 1;
    return 0;
}

/* Every frame, one by one, then all back: distinct, usable, counters exact. */
static void test_qemu_map_drain_and_refill(void **state)
{
    uint64_t total = usable_frames(qemu_128m, NELEM(qemu_128m)), n = 0, f;
    uint64_t *got = malloc(total * sizeof *got);
    uint8_t *seen = calloc(128 * MIB / PMM_FRAME_SIZE, 1);

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    assert_int_equal(pmm.free_frames, total);
    while ((f = pmm_alloc(&pmm)) != PMM_NONE) {
        assert_true(n < total);
        assert_true(in_usable(qemu_128m, NELEM(qemu_128m), f, PMM_FRAME_SIZE));
        assert_int_equal(seen[f / PMM_FRAME_SIZE]++, 0);
        got[n++] = f;
    }
    assert_int_equal(n, total);
    assert_int_equal(pmm.free_frames, 0);
    assert_int_equal(pmm_alloc_2m(&pmm), PMM_NONE);
    assert_int_equal(pmm_check(&pmm), 0);
    for (uint64_t i = 0; i < n; i++)
        pmm_free(&pmm, got[i]);
    assert_int_equal(pmm.free_frames, total);
    assert_int_equal(reports, 0);
    assert_int_equal(pmm_check(&pmm), 0);
    free(got);
    free(seen);
}

/* 2 MiB and 1 GiB blocks come only from wholly usable, aligned memory. */
static void test_blocks_around_the_pci_hole(void **state)
{
    uint64_t g[4], count2m = 0, b;

    (void)state;
    setup(q35_4g, NELEM(q35_4g), 0);
    for (int i = 0; i < 4; i++)
        g[i] = pmm_alloc_1g(&pmm);
    /* [1G,2G), [4G,5G), [5G,6G): [0,1G) holds the first MiB, which is not usable */
    assert_int_equal(g[0], 1 * GIB);
    assert_int_equal(g[1], 4 * GIB);
    assert_int_equal(g[2], 5 * GIB);
    assert_int_equal(g[3], PMM_NONE);
    while ((b = pmm_alloc_2m(&pmm)) != PMM_NONE) {
        assert_int_equal(b % PMM_2M, 0);
        assert_true(in_usable(q35_4g, NELEM(q35_4g), b, PMM_2M));
        count2m++;
    }
    assert_int_equal(count2m, 511);                 /* [2M, 1G) */
    assert_int_equal(pmm_check(&pmm), 0);
    pmm_free_1g(&pmm, g[1]);
    assert_int_equal(pmm_alloc_1g(&pmm), 4 * GIB);
    assert_int_equal(reports, 0);
}

static void test_tiny_machine(void **state)
{
    const struct bootinfo_mmap_entry tiny[] = { E(0x0, 0x1000, RSVD), E(0x100000, 0x200000, USABLE) };
    uint64_t n = 0;

    (void)state;
    setup(tiny, NELEM(tiny), 0);
    assert_int_equal(pmm_alloc_2m(&pmm), PMM_NONE);     /* 1M..3M holds no aligned 2 MiB */
    assert_int_equal(pmm_alloc_1g(&pmm), PMM_NONE);
    while (pmm_alloc(&pmm) != PMM_NONE)
        n++;
    assert_int_equal(n, 512);
}

/* A terabyte of address space with RAM at both ends: metadata scales, blocks found up high. */
static void test_sparse_terabyte(void **state)
{
    const struct bootinfo_mmap_entry sparse[] = {
        E(0x100000, GIB - 0x100000, USABLE), E(1024 * GIB - 2 * GIB, 2 * GIB, USABLE),
    };

    (void)state;
    assert_true(pmm_metadata_bytes(sparse, 2) < 33 * MIB);
    setup(sparse, NELEM(sparse), 0);
    assert_int_equal(pmm_alloc_1g(&pmm), 1022 * GIB);
    assert_int_equal(pmm_alloc_1g(&pmm), 1023 * GIB);
    assert_int_equal(pmm_alloc_1g(&pmm), PMM_NONE);
    assert_true(pmm_alloc(&pmm) < GIB);
    assert_int_equal(pmm_check(&pmm), 0);
}

static void test_bad_frees_reported(void **state)
{
    uint64_t f, before;

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    f = pmm_alloc(&pmm);
    pmm_free(&pmm, f);
    before = pmm.free_frames;
    pmm_free(&pmm, f);
    assert_int_equal(reports, 1);
    assert_string_equal(last_report, "double free");
    assert_non_null(last_caller);
    pmm_free(&pmm, 0x200000);                       /* the kernel */
    pmm_free(&pmm, 0xfffc0000);                     /* BIOS ROM, past RAM */
    pmm_free(&pmm, f + 12);                         /* not frame aligned */
    pmm_free(&pmm, 0);
    assert_int_equal(reports, 5);
    pmm_free_2m(&pmm, 0x400000);                    /* free already */
    pmm_free_contig(&pmm, 0x1000, 2);               /* loader memory is managed but allocated: fine */
    assert_int_equal(reports, 6);
    assert_int_equal(pmm.free_frames, before + 2);
    assert_int_equal(pmm.errors, 6);
    assert_int_equal(pmm_check(&pmm), 0);
}

/* The end of a per-CPU test: this CPU's cache drained, the bitmaps whole and checked, nothing held. */
static void cpu_caches_done(uint64_t total, uint64_t *got, uintptr_t *desc)
{
    pmm_cpu_drain(&pmm);
    assert_int_equal(pmm.free_frames, total);
    assert_int_equal(pmm_check(&pmm), 0);
    assert_false(lock_held || in_cpu);
    pmm_set_cpu_cache(&pmm, NULL, NULL);
    free(got);
    free(desc);
}

/*
 * Every frame through CPU 0's cache (as many as the map has usable), all
 * freed on CPU 1 (its cache never past PMM_CPU_FRAMES), a cached frame's
 * double free caught, the fast path without the lock, then both caches
 * drained: the bitmaps whole again.
 */
static void test_cpu_caches(void **state)
{
    uint64_t total = usable_frames(qemu_128m, NELEM(qemu_128m)), n = 0, f, locks;
    uint64_t *got = malloc(total * sizeof *got);
    uintptr_t *desc = calloc(128 * MIB / PMM_FRAME_SIZE, sizeof *desc);

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    pmm_set_cpu_cache(&pmm, &fake_guard, desc);
    fake_cpu = 0;
    while ((f = pmm_cpu_alloc(&pmm)) != PMM_NONE) {
        assert_true(n < total && in_usable(qemu_128m, NELEM(qemu_128m), f, PMM_FRAME_SIZE));
        got[n++] = f;
    }
    assert_int_equal(n, total);
    assert_int_equal(pmm_free_total(&pmm), 0);
    fake_cpu = 1;
    for (uint64_t i = 0; i < n; i++) {
        pmm_cpu_free(&pmm, got[i]);
        assert_true(pmm.cpu[1].count <= PMM_CPU_FRAMES);
    }
    assert_int_equal(pmm_free_total(&pmm), total);
    assert_int_equal(pmm_check(&pmm), 0);
    pmm_cpu_free(&pmm, got[n - 1]);                 /* in CPU 1's cache: a double free */
    assert_int_equal(reports, 1);
    assert_string_equal(last_report, "double free");
    locks = locks_taken;
    for (int i = 0; i < 100; i++)
        pmm_cpu_free(&pmm, pmm_cpu_alloc(&pmm));
    assert_int_equal(locks_taken, locks);
    pmm_cpu_drain(&pmm);
    fake_cpu = 0;
    cpu_caches_done(total, got, desc);
}

/*
 * Frames cached on CPUs 1..3 are not lost to CPU 0: when the bitmaps run
 * dry, CPU 0's refill has each of them give its cache back (one call per
 * CPU with frames), so CPU 0 gets every usable frame of the map.
 */
static void test_stranded_frames_reclaimed(void **state)
{
    uint64_t total = usable_frames(qemu_128m, NELEM(qemu_128m)), n = 0, f, cached = 0;
    uint64_t *got = malloc(total * sizeof *got);
    uintptr_t *desc = calloc(128 * MIB / PMM_FRAME_SIZE, sizeof *desc);

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    pmm_set_cpu_cache(&pmm, &fake_guard, desc);
    for (fake_cpu = 1; fake_cpu <= 3; fake_cpu++) {
        for (int i = 0; i < 100; i++)
            got[i] = pmm_cpu_alloc(&pmm);
        for (int i = 0; i < 100; i++)
            pmm_cpu_free(&pmm, got[i]);
        cached += pmm.cpu[fake_cpu].count;
    }
    assert_true(cached >= 300);
    fake_cpu = 0, calls = 0;
    while ((f = pmm_cpu_alloc(&pmm)) != PMM_NONE) {
        assert_true(n < total && in_usable(qemu_128m, NELEM(qemu_128m), f, PMM_FRAME_SIZE));
        got[n++] = f;
    }
    assert_int_equal(n, total);
    assert_int_equal(calls, 3);
    assert_true(pmm.reclaims >= 1);
    assert_int_equal(pmm.cpu[1].count + pmm.cpu[2].count + pmm.cpu[3].count, 0);
    for (uint64_t i = 0; i < n; i++)
        pmm_cpu_free(&pmm, got[i]);
    cpu_caches_done(total, got, desc);
}

static void test_metadata_frames_kept(void **state)
{
    uint64_t meta_at = 0x1000000, bytes = pmm_metadata_bytes(qemu_128m, NELEM(qemu_128m)), f;

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), meta_at);
    assert_int_equal(pmm.free_frames, usable_frames(qemu_128m, NELEM(qemu_128m)) -
                                      (bytes + PMM_FRAME_SIZE - 1) / PMM_FRAME_SIZE);
    while ((f = pmm_alloc(&pmm)) != PMM_NONE)
        assert_false(f >= meta_at && f < meta_at + bytes);
}

static void test_loader_memory_released(void **state)
{
    uint64_t before;

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    before = pmm.free_frames;
    assert_false(pmm_is_free(&pmm, 0x30000));
    assert_int_equal(pmm_release(&pmm, 0x1000, 0x37000), 0x37);
    assert_int_equal(pmm_release(&pmm, 0x1000, 0x37000), 0);     /* twice: nothing more */
    assert_int_equal(pmm_release(&pmm, 0x200000, 0x34000), 0);   /* the kernel is not managed */
    assert_int_equal(pmm.free_frames, before + 0x37);
    assert_true(pmm_is_free(&pmm, 0x30000));
    assert_int_equal(pmm_check(&pmm), 0);
}

static void test_contiguous_under_a_limit(void **state)
{
    uint64_t a, b, f;

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    a = pmm_alloc_contig(&pmm, 16, 0x10000, 16 * MIB);
    b = pmm_alloc_contig(&pmm, 16, 0x10000, 16 * MIB);
    assert_true(a && b && a != b);
    assert_int_equal(a % 0x10000, 0);
    assert_true(a + 16 * PMM_FRAME_SIZE <= 16 * MIB && in_usable(qemu_128m, NELEM(qemu_128m), a, 0x10000));
    assert_true(b >= a + 0x10000 || b + 0x10000 <= a);
    /* Every other frame below 16 MiB taken: no run of 2 is left there. */
    while ((f = pmm_alloc(&pmm)) != PMM_NONE && f < 16 * MIB)
        ;
    assert_int_equal(pmm_alloc_contig(&pmm, 1, PMM_FRAME_SIZE, 16 * MIB), PMM_NONE);
    pmm_free_contig(&pmm, a, 16);
    assert_int_equal(pmm_alloc_contig(&pmm, 16, 0x10000, 16 * MIB), a);
    assert_int_equal(pmm_alloc_contig(&pmm, 0, PMM_FRAME_SIZE, 16 * MIB), PMM_NONE);
    assert_int_equal(pmm_alloc_contig(&pmm, 2, 3 * PMM_FRAME_SIZE, 16 * MIB), PMM_NONE);  /* not a power of two */
    assert_int_equal(pmm_check(&pmm), 0);
}

/* Random allocations and frees of every kind against a frame-by-frame model. */
enum { M_NONE, M_FREE, M_USED };
struct block { uint64_t phys, frames; int kind; };

static void model_mark(uint8_t *model, uint64_t phys, uint64_t frames, uint8_t from, uint8_t to)
{
    for (uint64_t i = 0; i < frames; i++) {
        assert_int_equal(model[phys / PMM_FRAME_SIZE + i], from);
        model[phys / PMM_FRAME_SIZE + i] = to;
    }
}

static void test_random_against_model(void **state)
{
    const uint64_t frames = 128 * MIB / PMM_FRAME_SIZE;
    uint8_t *model = calloc(frames, 1);
    struct block *blocks = malloc(40000 * sizeof *blocks);
    unsigned nblocks = 0;
    uint64_t free_model = 0;

    (void)state;
    setup(qemu_128m, NELEM(qemu_128m), 0);
    for (unsigned i = 0; i < NELEM(qemu_128m); i++)
        if (qemu_128m[i].type == USABLE)
            for (uint64_t f = qemu_128m[i].base / PMM_FRAME_SIZE;
                 f < (qemu_128m[i].base + qemu_128m[i].length) / PMM_FRAME_SIZE; f++)
                model[f] = M_FREE, free_model++;
    srand(12345);
    for (int op = 0; op < 60000; op++) {
        int r = rand() % 100;
        struct block b = { 0, 0, 0 };
        if (r < 45) {
            b = (struct block){ pmm_alloc(&pmm), 1, 0 };
        } else if (r < 50) {
            b = (struct block){ pmm_alloc_2m(&pmm), PMM_GROUP_FRAMES, 1 };
        } else if (r < 55) {
            uint64_t count = 1 + (uint64_t)(rand() % 40), align = PMM_FRAME_SIZE << (rand() % 5);
            b = (struct block){ pmm_alloc_contig(&pmm, count, align, (uint64_t)(rand() % 128 + 1) * MIB), count, 2 };
            if (b.phys)
                assert_int_equal(b.phys % align, 0);
        } else if (nblocks) {
            unsigned k = (unsigned)rand() % nblocks;
            b = blocks[k];
            blocks[k] = blocks[--nblocks];
            if (b.kind == 0)
                pmm_free(&pmm, b.phys);
            else if (b.kind == 1)
                pmm_free_2m(&pmm, b.phys);
            else
                pmm_free_contig(&pmm, b.phys, b.frames);
            model_mark(model, b.phys, b.frames, M_USED, M_FREE);
            free_model += b.frames;
            continue;
        }
        if (b.phys == PMM_NONE)
            continue;
        model_mark(model, b.phys, b.frames, M_FREE, M_USED);
        free_model -= b.frames;
        blocks[nblocks++] = b;
        if (op % 5000 == 0)
            assert_int_equal(pmm_check(&pmm), 0);
    }
    assert_int_equal(pmm.free_frames, free_model);
    for (uint64_t f = 0; f < frames; f++)
        assert_int_equal(pmm_is_free(&pmm, f * PMM_FRAME_SIZE), model[f] == M_FREE);
    while (nblocks) {
        struct block b = blocks[--nblocks];
        pmm_free_contig(&pmm, b.phys, b.frames);
    }
    assert_int_equal(pmm.free_frames, usable_frames(qemu_128m, NELEM(qemu_128m)));
    assert_int_equal(reports, 0);
    assert_int_equal(pmm_check(&pmm), 0);
    free(model);
    free(blocks);
}

static int teardown(void **state)
{
    (void)state;
    free(meta);
    meta = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_map_drain_and_refill),
        cmocka_unit_test(test_blocks_around_the_pci_hole),
        cmocka_unit_test(test_tiny_machine),
        cmocka_unit_test(test_sparse_terabyte),
        cmocka_unit_test(test_bad_frees_reported),
        cmocka_unit_test(test_metadata_frames_kept),
        cmocka_unit_test(test_loader_memory_released),
        cmocka_unit_test(test_contiguous_under_a_limit),
        cmocka_unit_test(test_random_against_model),
        cmocka_unit_test(test_cpu_caches),
        cmocka_unit_test(test_stranded_frames_reclaimed),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
