/*
 * soak.c - test=soak: the thread and lock tests run over and over for
 * soak=N seconds (default 60), to find what one pass does not: a lost
 * wake-up (a round that takes far longer than the first, or never ends:
 * the harness's timeout then names it), a leak (heap objects, large
 * allocations or frames not back where they started) or a test that fails
 * once in many runs. Prints one line per round and a verdict:
 *   soak: round 12: 11 tests, 2104 ms
 *   soak: 30 s, 14 rounds, 154 tests: 0 failed, 0 slow rounds, no leak
 * and leaves QEMU with the result like the ktests do.
 */
#include <stdint.h>

#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "printk.h"
#include "test/ktest.h"
#include "test/soak.h"
#include "timer/clock.h"

#define SOAK_DEFAULT_S  60
#define SLOW_FACTOR     10      /* a round this many times the first one is a lost wake-up */

static const struct {
    const char *name;
    void (*fn)(struct ktest *);
} mix[] = {
#define SOAK_CASE(n) { #n, ktest_##n },
    SOAK_CASE(sched_join_frees) SOAK_CASE(sched_busy_thread_preempted) SOAK_CASE(sched_priority_first)
    SOAK_CASE(sched_sleep_on_time) SOAK_CASE(sync_mutex_counter) SOAK_CASE(sync_producer_consumer)
    SOAK_CASE(sync_semaphore_pingpong) SOAK_CASE(fpu_state_per_thread) SOAK_CASE(mm_heap_million)
    SOAK_CASE(mm_lazy_region_filled_on_touch) SOAK_CASE(mm_address_space)
    SOAK_CASE(smp_sched_spread) SOAK_CASE(smp_sched_pinned_wakeups) SOAK_CASE(smp_tlb_shootdown)
#undef SOAK_CASE
};

/* One pass over the mix; returns the failures. */
static unsigned soak_round(unsigned round)
{
    unsigned failed = 0;

    for (unsigned i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        struct ktest t = KTEST_INIT(mix[i].name);

        if (ktest_run_one(&t, mix[i].fn) == 0) {
            printk(LOG_INFO, "soak: round %u: FAIL %s: %s\n", round, t.name, t.reason);
            failed++;
        }
    }
    return failed;
}

int soak_run(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t secs = SOAK_DEFAULT_S, first_ns = 0, start = clock_ns(), frames;
    unsigned rounds = 0, failed = 0, slow = 0;
    struct heap_stats before;

    if (cmdline_number(cmdline, len, "soak", &secs) < 0)
        printk(LOG_WARN, "soak: soak= is not a number of seconds: %llu s\n", (unsigned long long)secs);
    soak_round(0);                      /* a first round makes the lasting allocations (slabs, stacks) */
    before = heap_stats();
    frames = mm_frames()->free_frames;
    while (clock_ns() - start < secs * 1000000000ULL) {
        uint64_t t0 = clock_ns(), ns;
        failed += soak_round(++rounds);
        ns = clock_ns() - t0;
        if (!first_ns)
            first_ns = ns;
        else if (ns > first_ns * SLOW_FACTOR)
            slow++;
        printk(LOG_INFO, "soak: round %u: %u tests, %llu ms%s\n", rounds, (unsigned)(sizeof mix / sizeof mix[0]),
               (unsigned long long)(ns / 1000000), ns > first_ns * SLOW_FACTOR ? " (slow: a lost wake-up?)" : "");
    }
    for (unsigned i = 0; i < HEAP_CLASSES; i++)
        kmem_cache_shrink((struct kmem_cache *)heap_class(i));
    struct heap_stats after = heap_stats();
    int leak = after.small_active != before.small_active || after.large_active != before.large_active ||
               mm_frames()->free_frames < frames;
    printk(LOG_INFO, "soak: %llu s, %u rounds, %u tests: %u failed, %u slow rounds, %s "
           "(heap objects %llu -> %llu, large %llu -> %llu, free frames %llu -> %llu)\n",
           (unsigned long long)secs, rounds, rounds * (unsigned)(sizeof mix / sizeof mix[0]), failed, slow,
           leak ? "LEAK" : "no leak", (unsigned long long)before.small_active,
           (unsigned long long)after.small_active, (unsigned long long)before.large_active,
           (unsigned long long)after.large_active, (unsigned long long)frames,
           (unsigned long long)mm_frames()->free_frames);
    return failed || slow || leak;
}
