/*
 * mm-bench.c - the host half of make bench's memory figures, run under
 * callgrind (tests/bench/mm-bench.sh): glibc's malloc, the anchor the
 * kernel's in-kernel figures (bench=mm, kernel/test/bench_mm.c) stand
 * beside, and the kernel's allocator files built for the host (the same
 * files the kernel links, without its locks: for profiling them).
 *
 *   mm-bench WHAT ROUNDS
 *
 * WHAT: frame (pmm_alloc + pmm_free), block2m (pmm_alloc_2m + pmm_free_2m),
 * kmalloc-N / malloc-N for N in 32, 256, 4096, or none (setup only). Each
 * round allocates BATCH objects and frees them, so caches stay warm and
 * slabs stay partially used, as in a running kernel. mm-bench.sh runs each
 * WHAT with two round counts; the difference in instructions over the
 * difference in operations is the cost of one allocation plus its free,
 * with setup and exit cancelled out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/heap.h"
#include "mm/pmm.h"
#include "../mm_arena.h"

#define BATCH   64
#define ARENA   (256ULL << 20)

static struct mm_arena arena;       /* tests/mm_arena.h */

static void setup(void)
{
    if (mm_arena_init(&arena, ARENA) != 0)
        exit(1);
    slab_init(&arena.src, NULL, NULL);
    heap_init(&arena.src);
}

/* noinline, and the pointers escape: the compiler cannot fold allocation pairs away. */
static void *volatile sink;

static __attribute__((noinline)) void rounds_frame(long rounds, int huge)
{
    uint64_t f[BATCH];

    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < BATCH; i++)
            f[i] = huge ? pmm_alloc_2m(&arena.pmm) : pmm_alloc(&arena.pmm);
        for (int i = 0; i < BATCH; i++)
            huge ? pmm_free_2m(&arena.pmm, f[i]) : pmm_free(&arena.pmm, f[i]);
    }
}

static __attribute__((noinline)) void rounds_heap(long rounds, size_t size, int libc)
{
    void *p[BATCH];

    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < BATCH; i++)
            sink = p[i] = libc ? malloc(size) : kmalloc(size);
        for (int i = 0; i < BATCH; i++)
            libc ? free(p[i]) : kfree(p[i]);
    }
}

int main(int argc, char **argv)
{
    long rounds;
    const char *what;

    if (argc != 3) {
        fprintf(stderr, "usage: mm-bench WHAT ROUNDS\n");
        return 2;
    }
    what = argv[1];
    rounds = atol(argv[2]);
    setup();
    if (!strcmp(what, "frame"))
        rounds_frame(rounds, 0);
    else if (!strcmp(what, "block2m"))
        rounds_frame(rounds, 1);
    else if (!strncmp(what, "kmalloc-", 8))
        rounds_heap(rounds, (size_t)atol(what + 8), 0);
    else if (!strncmp(what, "malloc-", 7))
        rounds_heap(rounds, (size_t)atol(what + 7), 1);
    else if (strcmp(what, "none"))
        return 2;
    printf("%s %ld rounds of %d: free frames %llu\n", what, rounds, BATCH,
           (unsigned long long)arena.pmm.free_frames);
    return 0;
}
