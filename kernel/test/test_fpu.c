/*
 * test_fpu.c - ktest for the per-thread FPU/SIMD state (fpu.c and the
 * eager save in sched/switch.c): several threads each fill XMM0-15 (and YMM0-15
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
#include "sync/semaphore.h"
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
static struct semaphore start;          /* all begin together, so each CPU's pair alternates */

static void simd_worker(void *arg)
{
    int i = (int)(uintptr_t)arg;
    uint64_t seed = 0x1111111111111111ull * (uint64_t)(i + 1);
    int avx = (fpu_xcr0() & XCR0_AVX) != 0;

    sem_down(&start);
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
    int n = 2 * cpus + SIMD_FREE, made;

    printk(LOG_INFO, "[fpu] testing %s registers with %s: %d threads, 2 pinned to each of %d CPUs\n",
           fpu_xcr0() & XCR0_AVX ? "YMM" : "XMM", fpu_method(), n, cpus);
    sem_init(&start, 0, "simd start");
    for (made = 0; made < n; made++) {
        int cpu = made < 2 * cpus ? made % cpus : THREAD_ANY_CPU;

        bad[made] = 0;
        ts[made] = thread_create_on("simd", simd_worker, (void *)(uintptr_t)made, SCHED_PRIO_DEFAULT, cpu);
        if (!ts[made])
            break;
    }
    for (int i = 0; i < made; i++)
        sem_up(&start);
    for (int i = 0; i < made; i++) {
        thread_join(ts[i]);
        KTEST_ASSERT_EQ(t, bad[i], 0);
    }
    KTEST_ASSERT_EQ(t, made, n);
    printk(LOG_INFO, "[fpu] %llu switches, %llu migrations\n",
           (unsigned long long)(sched_switches() - switches),
           (unsigned long long)(sched_migrations() - migrations));
    KTEST_ASSERT(t, sched_switches() - switches >= (uint64_t)n * SIMD_ROUNDS / 4);  /* a yield switches when a partner is runnable */
}
