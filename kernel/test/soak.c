/*
 * soak.c - test=soak: the thread and lock tests run over and over, to find
 * what one pass does not: a lost wake-up (a round that takes far longer
 * than the first, or never ends: the harness's timeout then names it), a
 * leak (heap objects, large allocations or frames not back where the first
 * round left them) or a test that fails once in many runs.
 *
 * What is asked: "soak=S soak_rounds=R" (defaults 60 s and 2 rounds):
 * rounds run until S seconds have passed (a round begun is finished) and
 * at least R rounds must have completed in that time, else the soak fails
 * (a slow machine or a slowed kernel does not pass by doing nothing).
 * Every round counts and runs the whole mix; the first one is also the
 * yardstick of the slow-round check and makes the lasting allocations
 * (slabs, stacks), so the leak check compares with what it left. Prints
 * one line per round and a verdict:
 *   soak: round 12: 14 tests, 2104 ms
 *   soak: 30 s, 14 rounds of 2 asked, 196 tests: 0 failed, 0 slow rounds, no leak (...)
 * and leaves QEMU with the result like the ktests do. A test that skips
 * (the machine lacks what it needs) neither passes nor fails a round.
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
#define SOAK_MIN_ROUNDS 2       /* the slow-round and leak checks need a round after the first */
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

/* soak=S and soak_rounds=R from the command line (defaults when absent). */
static void soak_asked(uint64_t *secs, uint64_t *min_rounds)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    *secs = SOAK_DEFAULT_S;
    *min_rounds = SOAK_MIN_ROUNDS;
    if (cmdline_number(cmdline, len, "soak", secs) < 0)
        printk(LOG_WARN, "soak_asked: soak= is not a number of seconds: %llu s\n", (unsigned long long)*secs);
    if (cmdline_number(cmdline, len, "soak_rounds", min_rounds) < 0 || *min_rounds < SOAK_MIN_ROUNDS) {
        printk(LOG_WARN, "soak_asked: soak_rounds= must be a number >= %u\n", SOAK_MIN_ROUNDS);
        *min_rounds = SOAK_MIN_ROUNDS;
    }
}

int soak_run(void)
{
    uint64_t secs, min_rounds, first_ns = 0, start = clock_ns(), frames = 0;
    unsigned rounds = 0, failed = 0, slow = 0, ntests = (unsigned)(sizeof mix / sizeof mix[0]);
    struct heap_stats before = { 0 };

    soak_asked(&secs, &min_rounds);
    while (rounds < 1 || clock_ns() - start < secs * 1000000000ULL) {
        uint64_t t0 = clock_ns(), ns;

        failed += soak_round(++rounds);
        ns = clock_ns() - t0;
        if (rounds == 1) {
            first_ns = ns;
            before = heap_stats();      /* after the lasting allocations of the first round */
            frames = mm_frames_free();
        } else if (ns > first_ns * SLOW_FACTOR) {
            slow++;
        }
        printk(LOG_INFO, "soak: round %u: %u tests, %llu ms%s\n", rounds, ntests, (unsigned long long)(ns / 1000000),
               rounds > 1 && ns > first_ns * SLOW_FACTOR ? " (slow: a lost wake-up?)" : "");
    }
    for (unsigned i = 0; i < HEAP_CLASSES; i++)
        kmem_cache_shrink((struct kmem_cache *)heap_class(i));
    struct heap_stats after = heap_stats();
    int leak = after.small_active != before.small_active || after.large_active != before.large_active ||
               mm_frames_free() < frames;
    int few = rounds < min_rounds;
    printk(LOG_INFO, "soak: %llu s, %u rounds of %llu asked%s, %u tests: %u failed, %u slow rounds, %s "
           "(heap objects %llu -> %llu, large %llu -> %llu, free frames %llu -> %llu)\n",
           (unsigned long long)secs, rounds, (unsigned long long)min_rounds, few ? " (TOO FEW)" : "",
           rounds * ntests, failed, slow, leak ? "LEAK" : "no leak", (unsigned long long)before.small_active,
           (unsigned long long)after.small_active, (unsigned long long)before.large_active,
           (unsigned long long)after.large_active, (unsigned long long)frames,
           (unsigned long long)mm_frames_free());
    return failed || slow || leak || few;
}
