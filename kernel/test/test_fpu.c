/*
 * test_fpu.c - ktest for the per-thread FPU/SIMD state (fpu.c and the
 * eager save in sched.c): several threads each fill XMM0-15 (and YMM0-15
 * when AVX is on) with their own pattern, then yield and spin through
 * many switches and preemptions, and check the pattern is intact. Two
 * threads are pinned to each CPU (up to SIMD_PINNED_CPUS), so every CPU
 * switches between SIMD users, and SIMD_FREE more may move between CPUs
 * (their state must follow them). The SIMD instructions are in
 * simd_pattern.asm (the C stays general-regs).
 */
#include <stdint.h>

#include "arch/x86_64/fpu.h"
#include "printk.h"
#include "sched/sched.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define SIMD_PINNED_CPUS 8
#define SIMD_FREE       4
#define SIMD_THREADS    (2 * SIMD_PINNED_CPUS + SIMD_FREE)
#define SIMD_ROUNDS     300
#define XCR0_AVX        (1ull << 2)

void simd_fill_xmm(uint64_t seed);
int simd_check_xmm(uint64_t seed);
void simd_fill_ymm(uint64_t seed);
int simd_check_ymm(uint64_t seed);

static volatile int bad[SIMD_THREADS];

static void simd_worker(void *arg)
{
    int i = (int)(uintptr_t)arg;
    uint64_t seed = 0x1111111111111111ull * (uint64_t)(i + 1);
    int avx = (fpu_xcr0() & XCR0_AVX) != 0;

    for (int round = 0; round < SIMD_ROUNDS; round++) {
        avx ? simd_fill_ymm(seed + round) : simd_fill_xmm(seed + round);
        if (round % 2)
            sched_yield();
        else
            clock_spin_ns(20 * NS_PER_US);      /* long enough for a tick to preempt now and then */
        bad[i] += avx ? simd_check_ymm(seed + round) : simd_check_xmm(seed + round);
    }
}

void ktest_fpu_state_per_thread(struct ktest *t)
{
    struct thread *ts[SIMD_THREADS];
    uint64_t switches = sched_switches(), migrations = sched_migrations();
    int cpus = (int)sched_cpus() < SIMD_PINNED_CPUS ? (int)sched_cpus() : SIMD_PINNED_CPUS;
    int n = 2 * cpus + SIMD_FREE;

    printk(LOG_INFO, "[fpu] testing %s registers with %s: %d threads, 2 pinned to each of %d CPUs\n",
           fpu_xcr0() & XCR0_AVX ? "YMM" : "XMM", fpu_method(), n, cpus);
    for (int i = 0; i < n; i++) {
        int cpu = i < 2 * cpus ? i % cpus : THREAD_ANY_CPU;

        bad[i] = 0;
        if (!KTEST_ASSERT(t, (ts[i] = thread_create_on("simd", simd_worker, (void *)(uintptr_t)i,
                                                        SCHED_PRIO_DEFAULT, cpu))))
            return;
    }
    for (int i = 0; i < n; i++) {
        thread_join(ts[i]);
        KTEST_ASSERT_EQ(t, bad[i], 0);
    }
    printk(LOG_INFO, "[fpu] %llu switches, %llu migrations\n",
           (unsigned long long)(sched_switches() - switches),
           (unsigned long long)(sched_migrations() - migrations));
    KTEST_ASSERT(t, sched_switches() - switches >= (uint64_t)n * SIMD_ROUNDS / 4);  /* a yield switches when a partner is runnable */
}
