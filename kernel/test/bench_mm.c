/*
 * bench_mm.c - bench=mm: what the kernel's allocators cost as the kernel
 * runs them, with their locks and per-CPU caches (kernel/mm/slab.c,
 * pmm.c), in the pattern of the host benchmark (tests/bench/mm-bench.c):
 * each round allocates MM_BATCH objects, then frees them, so the caches
 * refill and drain as they do in a running kernel. One line per figure:
 *     bench: NAME tsc_per_op=N ns_per_op=M
 * N: TSC ticks per allocation + free, the fewest over BENCH_TRIALS trials
 * (under -icount shift=0,sleep=off every trial counts the same guest
 * instructions, bar an interrupt; the fewest leaves that out).
 *   kmalloc_32, kmalloc_256, kmalloc_4096   kmalloc + kfree of that size;
 *   frame                  mm_frame_alloc + mm_frame_free (4 KiB);
 *   NAME_2cpu              the same while a thread pinned to CPU 1 does
 *                          the same pattern at once (with 2 or more
 *                          CPUs), the tick running: under -icount QEMU
 *                          runs the CPUs in turn on one instruction clock,
 *                          so N is the instructions of both CPUs over the
 *                          pairs of both, lock waits and ticks included.
 * tests/bench/mm-bench.sh boots this under -icount and sets glibc's
 * figures beside these.
 */
#include <stdint.h>

#include "arch.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/bench.h"
#include "timer/timer.h"

#define MM_BATCH    64      /* live at a time, as in mm-bench.c */
#define MM_ROUNDS   8       /* rounds per trial */
#define MM_ROUNDS_2CPU 400  /* rounds in the two-CPU window */

struct mm_op {
    const char *name;
    size_t size;            /* kmalloc size; 0: a frame */
};

static const struct mm_op ops[] = {
    { "kmalloc_32", 32 }, { "kmalloc_256", 256 }, { "kmalloc_4096", 4096 }, { "frame", 0 },
};

static void *volatile sink;
static volatile int partner_stop;
static volatile uint64_t partner_pairs;

/* One round: MM_BATCH allocations, then their frees. */
static void round_of(size_t size)
{
    void *p[MM_BATCH];
    uint64_t f[MM_BATCH];

    if (size) {
        for (int i = 0; i < MM_BATCH; i++)
            sink = p[i] = kmalloc(size);
        for (int i = 0; i < MM_BATCH; i++)
            kfree(p[i]);
    } else {
        for (int i = 0; i < MM_BATCH; i++)
            f[i] = mm_frame_alloc();
        for (int i = 0; i < MM_BATCH; i++)
            mm_frame_free(f[i]);
    }
}

/* On CPU 1: the same rounds until told to stop, counting the pairs. */
static void partner(void *arg)
{
    const struct mm_op *op = arg;

    while (!partner_stop) {
        round_of(op->size);
        partner_pairs += MM_BATCH;
    }
}

/* Ticks per pair on this CPU alone, the fewest over BENCH_TRIALS trials. */
static uint64_t measure(const struct mm_op *op)
{
    uint64_t best = UINT64_MAX;

    round_of(op->size);                 /* warm: the caches and slabs exist */
    for (int t = 0; t < BENCH_TRIALS; t++) {
        uint64_t t0 = arch_rdtsc(), ticks;
        for (int r = 0; r < MM_ROUNDS; r++)
            round_of(op->size);
        ticks = (arch_rdtsc() - t0) / (MM_ROUNDS * MM_BATCH);
        best = ticks < best ? ticks : best;
    }
    return best;
}

static void report(const char *name, const char *suffix, uint64_t ticks)
{
    printk(LOG_INFO, "bench: %s%s tsc_per_op=%llu ns_per_op=%llu\n", name, suffix, (unsigned long long)ticks,
           (unsigned long long)tsc_ticks_to_ns(ticks));
}

/*
 * op while a partner on CPU 1 runs it too: ticks over the pairs of both
 * in one window of MM_ROUNDS_2CPU rounds here, long enough to span many
 * of the turns QEMU gives each CPU under -icount (the tick runs, so the
 * turns end). 0, or 1 if the partner did not start.
 */
static int measure_2cpu(const struct mm_op *op)
{
    struct thread *t;
    uint64_t t0, before;

    partner_stop = 0;
    partner_pairs = 0;
    if (!(t = thread_create_on("bench mm partner", partner, (void *)op, SCHED_PRIO_DEFAULT, 1)))
        return 1;
    while (!partner_pairs)              /* it runs (sleep: a yield loop here keeps CPU 1 from its turn under -icount) */
        sched_sleep_ns(1000000);
    before = partner_pairs, t0 = arch_rdtsc();
    for (int r = 0; r < MM_ROUNDS_2CPU; r++)
        round_of(op->size);
    report(op->name, "_2cpu", (arch_rdtsc() - t0) / (MM_ROUNDS_2CPU * MM_BATCH + (partner_pairs - before)));
    partner_stop = 1;
    thread_join(t);
    return 0;
}

int bench_mm_run(void)
{
    int failed = 0;

    timer_stop();
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        report(ops[i].name, "", measure(&ops[i]));
    timer_start();
    if (sched_cpus() > 1)
        for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
            failed |= measure_2cpu(&ops[i]);
    else
        printk(LOG_WARN, "bench: the _2cpu figures need a second CPU: not measured\n");
    return failed;
}
