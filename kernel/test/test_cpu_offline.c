/*
 * test_cpu_offline.c - a CPU going offline and coming back
 * (kernel/arch/x86_64/smp_offline.c, kernel/sched/hotplug.c, and the
 * vector moves of drivers/apic/irq.c and drivers/pci/pci_irq.c):
 *   - smp_cpu_offline_threads: the boot CPU is refused; a CPU with a
 *     thread pinned to it is refused and stays online; then, with busy
 *     threads spread over every CPU and a callout armed on CPU 1,
 *     that CPU goes offline: no thread runs there any more (its switch
 *     count stands still, each thread notes where it runs), every thread
 *     keeps going elsewhere, nothing can be pinned there, the callout
 *     fires on another CPU, the boot disk still reads the same first blocks,
 *     each read well within the drivers' timeouts (their interrupts, moved
 *     if they were there, arrive); back online, a thread pinned there runs
 *     there and every thread finishes;
 *   - pci_edu_cpu_offline: the CPU QEMU's edu device sends its MSI to
 *     goes offline while another CPU keeps raising the interrupt: the
 *     vector moves to an online CPU, every interrupt raised before, during
 *     and after the move arrives and is counted once, and the offline
 *     CPU's interrupt count stands still; back online, new vectors are
 *     spread to it again.
 * Each brings the CPU back before it returns, so the ktests after them
 * find every CPU. With one CPU online they skip, and when a driver's
 * thread is pinned to the CPU (NVMe's completion threads: one per CPU),
 * which refuses the offline (tests/qemu/ktest.sh lists both).
 */
#include <stdint.h>

#include "apic/irq.h"
#include "block/blockdev.h"
#include "arch.h"
#include "arch/x86_64/smp.h"
#include "mm/heap.h"
#include "sched/callout.h"
#include "sched/sched.h"
#include "sync/semaphore.h"
#include "test/ktest.h"
#include "test/test_edu.h"
#include "timer/clock.h"

#define WORKERS_PER_CPU     2
#define MAX_WORKERS         (2 * 64)
#define WATCH_NS            (100 * NS_PER_MS)   /* threads watched while the CPU is offline, at least */
#define WATCH_LIMIT_NS      (3 * NS_PER_SEC)    /* and until each has made a round (a loaded host) */
#define CALLOUT_NS          (500 * NS_PER_MS)   /* armed on the CPU before it goes: due while it is away */
#define FIRE_LIMIT_NS       (3 * NS_PER_SEC)
#define EDU_AFTER           10                  /* interrupts raised once the vector has moved */
#define DISK_BLOCKS         8                   /* read from each disk before and while offline */
#define MAX_DISKS           8
#define DISK_LIMIT_NS       (2 * NS_PER_SEC)    /* per read: the drivers wait 5 s before a reset and retry */

/* CPU 1: the spread (irq_msi_cpu) gives it vector 1 of every MSI-X function (virtio-blk's queue). */
static int target_cpu(struct ktest *t)
{
    if (smp_cpus_online() < 2) {
        KTEST_SKIP(t, "one CPU online: none to take offline");
        return -1;
    }
    return 1;
}

/* --- threads and callouts --- */

struct worker {
    struct thread *t;
    volatile uint64_t rounds;
};

static struct worker workers[MAX_WORKERS];
static volatile int stop, watching, watched_cpu;
static volatile uint64_t ran_there;             /* rounds a worker ran on the CPU while it was offline */

static void work(void *arg)
{
    struct worker *w = arg;

    while (!stop) {
        if (watching && sched_cpu_id() == watched_cpu)
            __atomic_fetch_add(&ran_there, 1, __ATOMIC_RELAXED);
        w->rounds++;
        clock_spin_ns(50 * NS_PER_US);
        sched_yield();
    }
}

static struct semaphore release;

static void wait_released(void *arg)
{
    (void)arg;
    sem_down(&release);
}

static volatile int fired_cpu = -1;

static void on_callout(void *arg)
{
    (void)arg;
    fired_cpu = (int)percpu_cpu_id();
}

static struct callout co = CALLOUT_INIT(on_callout, 0);

static void arm_here(void *arg)
{
    *(volatile int *)arg = (int)percpu_cpu_id();
    callout_arm(&co, CALLOUT_NS);
}

static volatile int ran_on = -1;

static void note_cpu(void *arg)
{
    (void)arg;
    ran_on = (int)percpu_cpu_id();
}

/* A thread pinned to cpu that waits: smp_cpu_offline refuses, and the CPU stays online. */
static void check_pinned_refused(struct ktest *t, int cpu)
{
    struct thread *p;

    sem_init(&release, 0, "offline test");
    p = thread_create_on("pinned here", wait_released, 0, SCHED_PRIO_DEFAULT, cpu);
    if (!KTEST_ASSERT(t, p))
        return;
    KTEST_ASSERT_EQ(t, smp_cpu_offline((unsigned)cpu), SMP_ERR_BUSY);
    KTEST_ASSERT(t, smp_cpu_active((unsigned)cpu));
    sem_up(&release);
    thread_join(p);
}

/* A callout armed on cpu, by a thread pinned there; 0 when it could not be. */
static int arm_callout_on(struct ktest *t, int cpu)
{
    volatile int armed_on = -1;
    struct thread *a = thread_create_on("arm callout", arm_here, (void *)&armed_on, SCHED_PRIO_DEFAULT, cpu);

    fired_cpu = -1;
    if (!KTEST_ASSERT(t, a))
        return 0;
    thread_join(a);
    return KTEST_ASSERT_EQ(t, armed_on, cpu);
}

static unsigned start_workers(void)
{
    unsigned n = smp_cpus_online() * WORKERS_PER_CPU;

    stop = watching = 0;
    ran_there = 0;
    for (unsigned i = 0; i < n && i < MAX_WORKERS; i++) {
        workers[i].rounds = 0;
        workers[i].t = thread_create("offline worker", work, &workers[i], SCHED_PRIO_DEFAULT);
    }
    return n < MAX_WORKERS ? n : MAX_WORKERS;
}

/* Every worker has made a round since `before`. */
static int all_went_on(const uint64_t *before, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (workers[i].t && workers[i].rounds == before[i])
            return 0;
    return 1;
}

/* While cpu is offline: nothing runs there, everyone goes on, nothing may be pinned there. */
static void check_while_offline(struct ktest *t, int cpu, unsigned n)
{
    uint64_t switches = sched_cpu_switches((unsigned)cpu), before[MAX_WORKERS], t0 = clock_ns();

    for (unsigned i = 0; i < n; i++)
        before[i] = workers[i].rounds;
    watched_cpu = cpu;
    watching = 1;
    while (clock_ns() - t0 < WATCH_NS || (!all_went_on(before, n) && clock_ns() - t0 < WATCH_LIMIT_NS))
        sched_sleep_ns(10 * NS_PER_MS);
    watching = 0;
    KTEST_ASSERT_EQ(t, ran_there, 0);
    KTEST_ASSERT_EQ(t, sched_cpu_switches((unsigned)cpu), switches);
    for (unsigned i = 0; i < n; i++)
        if (!KTEST_ASSERT(t, workers[i].t && workers[i].rounds > before[i]))
            break;
    KTEST_ASSERT(t, !smp_cpu_active((unsigned)cpu));
    KTEST_ASSERT(t, !thread_create_on("never", note_cpu, 0, SCHED_PRIO_DEFAULT, cpu));
    KTEST_ASSERT_EQ(t, smp_cpu_offline((unsigned)cpu), SMP_ERR_STATE);
}

/* --- the disks: their interrupts, moved or not, still complete reads --- */

static uint64_t disk_sums[MAX_DISKS];

/* FNV-1a of the boot disk's first DISK_BLOCKS blocks, read within DISK_LIMIT_NS; 0 on a failure. */
static int sum_disks(struct ktest *t, uint64_t *sums)
{
    uint8_t *buf = kmalloc(DISK_BLOCKS * 4096);
    unsigned i = 0;

    if (!KTEST_ASSERT(t, buf))
        return 0;
    for (struct block_device *d = block_first(); d && i < MAX_DISKS; d = d->next) {
        uint64_t t0 = clock_ns(), h = 0xcbf29ce484222325ULL;

        if (d->disk || d->blocks < DISK_BLOCKS || !block_boot_device() || block_boot_device()->disk != d)
            continue;                   /* the boot disk only: others are the cells' stalled or failing disks */
        if (!KTEST_ASSERT_EQ(t, block_read(d, 0, DISK_BLOCKS, buf), 0) ||
            !KTEST_ASSERT(t, clock_ns() - t0 < DISK_LIMIT_NS))
            break;
        for (uint32_t k = 0; k < DISK_BLOCKS * d->block_size; k++)
            h = (h ^ buf[k]) * 0x100000001b3ULL;
        sums[i++] = h;
    }
    kfree(buf);
    return 1;
}

/* While offline: the same bytes, as fast. */
static void check_disks(struct ktest *t)
{
    uint64_t now[MAX_DISKS] = { 0 };

    if (sum_disks(t, now))
        for (unsigned i = 0; i < MAX_DISKS; i++)
            KTEST_ASSERT_EQ(t, now[i], disk_sums[i]);
}

/* smp_cpu_offline(cpu): 1 done, 0 failed, -1 refused for a driver's pinned thread (a skip). */
static int take_offline(struct ktest *t, int cpu)
{
    int r = smp_cpu_offline((unsigned)cpu);

    if (r == SMP_ERR_BUSY) {
        KTEST_SKIP(t, "a driver's thread is pinned to CPU %d (NVMe's queues; the log names it): it stays online", cpu);
        return -1;
    }
    return KTEST_ASSERT_EQ(t, r, 0);
}

/* The callout armed there ran, on another CPU. */
static void check_callout_moved(struct ktest *t, int cpu)
{
    uint64_t end = clock_ns() + FIRE_LIMIT_NS;

    while (fired_cpu < 0 && clock_ns() < end)
        sched_sleep_ns(NS_PER_MS);
    KTEST_ASSERT(t, fired_cpu >= 0);
    KTEST_ASSERT(t, fired_cpu != cpu);
}

/* Back: a thread pinned there runs there. */
static void check_back(struct ktest *t, int cpu)
{
    struct thread *p;

    KTEST_ASSERT(t, smp_cpu_active((unsigned)cpu));
    ran_on = -1;
    p = thread_create_on("back", note_cpu, 0, SCHED_PRIO_DEFAULT, cpu);
    if (!KTEST_ASSERT(t, p))
        return;
    thread_join(p);
    KTEST_ASSERT_EQ(t, ran_on, cpu);
    KTEST_ASSERT_EQ(t, smp_cpu_online_again((unsigned)cpu), SMP_ERR_STATE);
}

void ktest_smp_cpu_offline_threads(struct ktest *t)
{
    int cpu = target_cpu(t);
    unsigned n;

    if (cpu < 0)
        return;
    KTEST_ASSERT_EQ(t, smp_cpu_offline(0), SMP_ERR_BOOT_CPU);
    check_pinned_refused(t, cpu);
    if (!arm_callout_on(t, cpu))
        return;
    n = start_workers();
    sum_disks(t, disk_sums);
    if (take_offline(t, cpu) > 0) {
        check_while_offline(t, cpu, n);
        check_disks(t);
        check_callout_moved(t, cpu);
        KTEST_ASSERT_EQ(t, smp_cpu_online_again((unsigned)cpu), 0);
        check_back(t, cpu);
    }
    callout_cancel_wait(&co);
    stop = 1;
    for (unsigned i = 0; i < n; i++)
        if (workers[i].t)
            thread_join(workers[i].t);
}

/* --- edu's MSI on the CPU that leaves --- */

struct raiser {
    struct edu *e;
    volatile int stop;
    volatile uint64_t raised, lost;
};

/* Raise edu's interrupt again and again (from the boot CPU) while the vector moves. */
static void raise_loop(void *arg)
{
    struct raiser *r = arg;

    while (!r->stop) {
        r->raised++;
        if (!edu_fire(r->e))
            r->lost++;
        sched_yield();
    }
}

/* MSI set up until its vector is on a CPU other than the boot CPU: that CPU, or -1. */
static int msi_off_boot_cpu(struct ktest *t, struct edu *e)
{
    for (unsigned k = 0; k < smp_cpus_online(); k++) {
        if (!KTEST_ASSERT_EQ(t, pci_irq_setup(e->d, 1, 1, PCI_IRQ_MSI), 1) ||
            !KTEST_ASSERT_EQ(t, pci_irq_request(e->d, 0, on_edu, e), 0))
            return -1;
        if (pci_irq_cpu(e->d, 0) > 0)
            return pci_irq_cpu(e->d, 0);
        pci_irq_free(e->d);
    }
    ktest_fail(t, __FILE__, __LINE__, "the spread never gave edu's vector to a CPU but the boot CPU");
    return -1;
}

/* Offline while the boot CPU raises: none lost; then EDU_AFTER more, on the vector's new CPU. 1 if offline. */
static int check_moved(struct ktest *t, struct edu *e, int cpu)
{
    struct raiser r = { e, 0, 0, 0 };
    uint64_t before = irq_count(e->d->irq_handle[0]), there;    /* before the raiser can run */
    struct thread *th = thread_create_on("edu raiser", raise_loop, &r, SCHED_PRIO_DEFAULT, 0);
    int now;

    if (!KTEST_ASSERT(t, th))
        return 0;
    sched_sleep_ns(5 * NS_PER_MS);
    if (take_offline(t, cpu) <= 0) {
        r.stop = 1;
        thread_join(th);
        return 0;
    }
    there = irq_cpu_count((unsigned)cpu);
    sched_sleep_ns(20 * NS_PER_MS);
    r.stop = 1;
    thread_join(th);
    KTEST_ASSERT(t, r.raised > 0);
    KTEST_ASSERT_EQ(t, r.lost, 0);
    now = pci_irq_cpu(e->d, 0);
    KTEST_ASSERT(t, now >= 0 && now != cpu && smp_cpu_active((unsigned)now));
    for (unsigned i = 0; i < EDU_AFTER; i++)       /* the first lost one says enough: each waits its bound */
        if (!KTEST_ASSERT(t, edu_fire(e)) || !KTEST_ASSERT_EQ(t, e->cpu, now))
            return 1;
    KTEST_ASSERT_EQ(t, irq_count(e->d->irq_handle[0]), before + r.raised + EDU_AFTER);
    KTEST_ASSERT_EQ(t, irq_cpu_count((unsigned)cpu), there);
    return 1;
}

/* Back online, the spread gives the CPU vectors again (one of smp_cpus_online() set-ups lands there). */
static void check_spread_again(struct ktest *t, struct edu *e, int cpu)
{
    int hit = 0;

    for (unsigned k = 0; k < smp_cpus_online() && !hit; k++) {
        if (!KTEST_ASSERT_EQ(t, pci_irq_setup(e->d, 1, 1, PCI_IRQ_MSI), 1))
            return;
        hit = pci_irq_cpu(e->d, 0) == cpu;
        pci_irq_free(e->d);
    }
    KTEST_ASSERT(t, hit);
}

void ktest_pci_edu_cpu_offline(struct ktest *t)
{
    struct edu e;
    int cpu;

    if (target_cpu(t) < 0 || !edu_open(t, &e))
        return;
    if ((cpu = msi_off_boot_cpu(t, &e)) < 0)
        return edu_close(&e);
    KTEST_ASSERT(t, edu_fire(&e));
    KTEST_ASSERT_EQ(t, e.cpu, cpu);
    if (!check_moved(t, &e, cpu)) {
        pci_irq_free(e.d);
        return edu_close(&e);
    }
    pci_irq_free(e.d);
    KTEST_ASSERT_EQ(t, smp_cpu_online_again((unsigned)cpu), 0);
    check_spread_again(t, &e, cpu);
    edu_close(&e);
}
