/*
 * test_smp_sched.c - ktests for what several CPUs add to the scheduler
 * and the VMM (kernel/sched/place.c and steal.c, kernel/arch/x86_64/tlb.c):
 *   - unpinned threads reach every CPU (wake-up placement, stealing): three
 *     per CPU keep working (spin, yield) until every CPU has run one of
 *     them, or SPREAD_LIMIT_NS has passed;
 *   - placement alone: a new thread is queued on an idle CPU, not behind
 *     its creator (read before stealing could move it);
 *   - stealing alone: a thread queued on a busy CPU is taken by a CPU
 *     that becomes idle;
 *   - a thread pinned to a CPU never runs anywhere else, and two pinned
 *     to different CPUs wake each other a thousand times through
 *     semaphores (each wake-up crosses CPUs: a reschedule IPI when the
 *     other is idle) without a lost wake-up;
 *   - TLB shootdown: a thread on every CPU reads a page (so each TLB holds
 *     it), kmain unmaps it, and each must then take a page fault there.
 *     Without the shootdown the other CPUs would keep reading through
 *     their stale entries (QEMU keeps a TLB per virtual CPU, too).
 * With one CPU they run too and check what still applies.
 */
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sync/semaphore.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define SPREAD_PER_CPU      3
#define SPREAD_ROUNDS       20
#define SPREAD_SPIN_NS      (200 * NS_PER_US)
#define SPREAD_LIMIT_NS     (10 * NS_PER_SEC)  /* bounds on failure only: 8 vCPUs on one busy host core wait their turns */
#define MAX_TEST_CPUS       64
#define PINGPONGS           250
#define VEC_PAGE_FAULT      14

static volatile uint64_t cpus_seen;         /* bit per CPU a spreader ran on */
static uint64_t cpus_all, spread_end;

static void note_cpu(void)
{
    __atomic_fetch_or(&cpus_seen, 1ULL << sched_cpu_id(), __ATOMIC_RELAXED);
}

static void spreader(void *arg)
{
    (void)arg;
    for (int i = 0; i < SPREAD_ROUNDS || (cpus_seen != cpus_all && clock_ns() < spread_end); i++) {
        note_cpu();
        clock_spin_ns(SPREAD_SPIN_NS);
        sched_yield();
    }
}

void ktest_smp_sched_spread(struct ktest *t)
{
    static struct thread *ts[SPREAD_PER_CPU * MAX_TEST_CPUS];
    unsigned cpus = sched_cpus(), n = SPREAD_PER_CPU * cpus;
    uint64_t all = cpus >= 64 ? ~0ULL : (1ULL << cpus) - 1, migrations = sched_migrations();

    cpus_seen = 0;
    cpus_all = all;
    spread_end = clock_ns() + SPREAD_LIMIT_NS;
    for (unsigned i = 0; i < n; i++)
        if (!KTEST_ASSERT(t, (ts[i] = thread_create("spreader", spreader, 0, SCHED_PRIO_DEFAULT))))
            return;
    for (unsigned i = 0; i < n; i++)
        thread_join(ts[i]);
    printk(LOG_INFO, "[sched] %u threads on %u CPUs: ran on CPU mask 0x%llx, %llu migrations\n", n,
           cpus, (unsigned long long)cpus_seen,
           (unsigned long long)(sched_migrations() - migrations));
    KTEST_ASSERT_EQ(t, cpus_seen, all);
}

static void placed(void *arg)
{
    (void)arg;
}

/*
 * Wake-up placement (place.c): a new thread goes to an idle CPU, not into
 * the queue behind its creator. Its CPU is read at once, with interrupts
 * off on kmain's CPU, before another CPU could steal it (stealing would
 * hide a placement that left it behind kmain). The rule needs an idle CPU:
 * when a background thread (the page cache's or a buffer cache's flusher)
 * happens to run on every other CPU, the least loaded may be kmain's, so
 * the check is tried PLACE_TRIES times; a placement that always queues
 * behind the creator fails every try.
 */
#define PLACE_TRIES 5
void ktest_smp_sched_placement(struct ktest *t)
{
    struct thread *th;
    uint64_t flags;
    int me, where;

    if (sched_cpus() < 2) {
        KTEST_SKIP(t, "one CPU: nowhere else to place a thread");
        return;
    }
    for (int try = 0; try < PLACE_TRIES; try++) {
        flags = arch_irq_save();
        me = sched_cpu_id();
        th = thread_create("placed", placed, 0, SCHED_PRIO_DEFAULT);
        where = th ? th->cpu : -1;
        arch_irq_restore(flags);
        if (!KTEST_ASSERT(t, th != NULL))
            return;
        thread_join(th);
        if (where >= 0 && where != me)
            break;
        sched_sleep_ns(20 * NS_PER_MS);     /* every other CPU was busy (a flusher): again */
    }
    KTEST_ASSERT(t, where >= 0 && where != me);
}

/* --- stealing: an idle CPU takes a thread queued on a busy one --- */

#define STEAL_BLOCKERS      3                   /* pinned on each other CPU: more load than kmain's */
#define STEAL_LIMIT_NS      (5 * NS_PER_SEC)
static volatile int release_cpu1, release_rest, stolen;

static void blocker(void *arg)
{
    volatile int *release = arg;
    uint64_t end = clock_ns() + 2 * STEAL_LIMIT_NS;

    while (!*release && clock_ns() < end)
        arch_cpu_relax();
}

/* Spins (never yields: a yield would go through placement) until one worker runs off kmain's CPU. */
static void steal_worker(void *arg)
{
    int home = (int)(uintptr_t)arg;
    uint64_t end = clock_ns() + STEAL_LIMIT_NS;

    while (!stolen && clock_ns() < end)
        if (sched_cpu_id() != home)
            stolen = 1;
}

/*
 * Two workers queued on kmain's CPU while every other CPU runs three pinned
 * blockers (placement keeps them home: the least loaded); CPU 1's
 * blockers then end, and CPU 1, idle, must steal the worker that waits
 * (preemption requeues it at home: without stealing it never leaves).
 */
void ktest_smp_sched_steal(struct ktest *t)
{
    static struct thread *bl[STEAL_BLOCKERS * MAX_TEST_CPUS];
    struct thread *w[2];
    unsigned cpus = sched_cpus(), nb = 0;
    int home = sched_cpu_id();
    uint64_t flags;

    if (cpus < 2 || cpus > MAX_TEST_CPUS) {
        KTEST_SKIP(t, "one CPU: nobody to steal");
        return;
    }
    release_cpu1 = release_rest = stolen = 0;
    for (unsigned c = 0; c < cpus; c++)
        for (int i = 0; i < STEAL_BLOCKERS && (int)c != home; i++)
            bl[nb++] = thread_create_on("blocker", blocker, c == 1 ? (void *)&release_cpu1 : (void *)&release_rest,
                                        SCHED_PRIO_DEFAULT, (int)c);
    flags = arch_irq_save();
    w[0] = thread_create("steal-worker", steal_worker, (void *)(uintptr_t)home, SCHED_PRIO_DEFAULT);
    w[1] = thread_create("steal-worker", steal_worker, (void *)(uintptr_t)home, SCHED_PRIO_DEFAULT);
    arch_irq_restore(flags);
    release_cpu1 = 1;
    if (w[0])
        thread_join(w[0]);
    if (w[1])
        thread_join(w[1]);
    release_rest = 1;
    for (unsigned i = 0; i < nb; i++)
        if (bl[i])
            thread_join(bl[i]);
    KTEST_ASSERT(t, w[0] && w[1]);
    KTEST_ASSERT(t, stolen);
}

/* --- two pinned threads on different CPUs, waking each other --- */

static struct semaphore ping, pong;
static volatile int wrong_cpu;
static volatile uint64_t pongs;

static void check_cpu(int cpu)
{
    if (sched_cpu_id() != cpu)
        wrong_cpu = 1;
}

static void pinger(void *arg)
{
    int cpu = (int)(uintptr_t)arg;

    for (int i = 0; i < PINGPONGS; i++) {
        check_cpu(cpu);
        sem_up(&ping);
        sem_down(&pong);
    }
}

static void ponger(void *arg)
{
    int cpu = (int)(uintptr_t)arg;

    for (int i = 0; i < PINGPONGS; i++) {
        sem_down(&ping);
        check_cpu(cpu);
        pongs++;
        sem_up(&pong);
    }
}

void ktest_smp_sched_pinned_wakeups(struct ktest *t)
{
    int last = (int)sched_cpus() - 1;
    struct thread *a, *b;

    sem_init(&ping, 0, "test ping");
    sem_init(&pong, 0, "test pong");
    wrong_cpu = 0;
    pongs = 0;
    a = thread_create_on("pinger", pinger, (void *)0, SCHED_PRIO_DEFAULT, 0);
    b = thread_create_on("ponger", ponger, (void *)(uintptr_t)last, SCHED_PRIO_DEFAULT, last);
    if (!KTEST_ASSERT(t, a && b))
        return;
    thread_join(a);
    thread_join(b);
    KTEST_ASSERT_EQ(t, pongs, PINGPONGS);
    KTEST_ASSERT_EQ(t, wrong_cpu, 0);
    KTEST_ASSERT(t, thread_create_on("nowhere", pinger, 0, SCHED_PRIO_DEFAULT, last + 1) == 0);
}

/* --- TLB shootdown --- */

static volatile uint64_t shoot_va;
static volatile unsigned warmed;
static volatile int unmapped;
static struct trap_catch caught[MAX_TEST_CPUS];

static void reader(void *arg)
{
    unsigned cpu = (unsigned)(uintptr_t)arg;
    uint64_t value;

    value = *(volatile uint64_t *)shoot_va;          /* this CPU's TLB now holds it */
    (void)value;
    __atomic_fetch_add(&warmed, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&unmapped, __ATOMIC_ACQUIRE))
        arch_cpu_relax();
    trap_expect(VEC_PAGE_FAULT);
    __asm__ volatile(TRAP_ARM "movq (%%rcx), %%rdx" TRAP_RESUME
                     : : "c"(shoot_va) : "rax", "rdx", "memory");
    caught[cpu] = trap_expect_done();
}

void ktest_smp_tlb_shootdown(struct ktest *t)
{
    static struct thread *ts[MAX_TEST_CPUS];
    unsigned cpus = sched_cpus();
    uint64_t frame = mm_zeroed_frame(), sent = tlb_stats().sent;

    if (!KTEST_ASSERT(t, frame && cpus <= MAX_TEST_CPUS))
        return;
    shoot_va = kva_map_mmio(frame, 4096, VMM_WC, "tlb test");
    if (!KTEST_ASSERT(t, shoot_va)) {
        mm_frame_free(frame);
        return;
    }
    warmed = 0;
    unmapped = 0;
    for (unsigned i = 0; i < cpus; i++) {
        caught[i] = (struct trap_catch){ 0 };
        ts[i] = thread_create_on("tlb reader", reader, (void *)(uintptr_t)i, SCHED_PRIO_DEFAULT,
                                 (int)i);
        KTEST_ASSERT(t, ts[i]);
    }
    while (__atomic_load_n(&warmed, __ATOMIC_ACQUIRE) < cpus)
        sched_yield();                              /* kmain shares CPU 0 with a reader */
    vmm_unmap(vmm_kernel_space(), shoot_va, 4096);
    __atomic_store_n(&unmapped, 1, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < cpus; i++) {
        if (ts[i])
            thread_join(ts[i]);
        if (!KTEST_ASSERT(t, caught[i].caught))
            printk(LOG_ERR, "[tlb] CPU %u still reached the unmapped page\n", i);
        KTEST_ASSERT_EQ(t, caught[i].cr2, shoot_va);
    }
    printk(LOG_INFO, "[tlb] page unmapped under %u CPUs: each faulted; %llu shootdowns sent\n", cpus,
           (unsigned long long)(tlb_stats().sent - sent));
    if (cpus > 1)
        KTEST_ASSERT(t, tlb_stats().sent > sent);
    kva_free(shoot_va);
    mm_frame_free(frame);
}
