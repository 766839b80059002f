/*
 * test_sched.c - ktests for threads and the scheduler (kernel/sched/):
 * join gives every stack, save area and record back; a busy thread is
 * preempted; a higher priority runs first; aging lets a low priority run
 * beside a spinning high one; sleeps end on time (never early, late within
 * a bound, retried when the host paused the guest, as test_time.c does).
 * The preemption, priority and aging tests pin their threads to kmain's
 * CPU: with several CPUs, two unpinned threads would simply run side by
 * side. test_smp_sched.c tests what several CPUs add.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/paging.h"
#include "format.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "timer/clock.h"
#include "timer/timer.h"

#define JOIN_THREADS        64
#define SPIN_LIMIT_NS       (5 * NS_PER_SEC)    /* a test thread gives up after this (a failure's bound only) */
#define SLEEP_TRIES         20      /* tries the host may spoil by pausing the guest */
#define SLEEP_NS            (3 * NS_PER_MS)
#define SLEEP_LATE_NS       (3 * NS_PER_MS)     /* at 1000 Hz: a tick and a slice of slack */

static void nothing(void *arg)
{
    (void)arg;
}

static int make_and_join(struct ktest *t, int n)
{
    struct thread *ts[JOIN_THREADS];
    unsigned threads = sched_threads();

    for (int i = 0; i < n; i++)
        if (!KTEST_ASSERT(t, (ts[i] = thread_create("joinee", nothing, 0, SCHED_PRIO_DEFAULT))))
            return -1;
    KTEST_ASSERT_EQ(t, sched_threads(), threads + n);
    for (int i = 0; i < n; i++)
        thread_join(ts[i]);
    return 0;
}

/*
 * The first round leaves what the allocators keep for later (page tables
 * of the stack region, slabs): the second must give back all it took.
 */
void ktest_sched_join_frees(struct ktest *t)
{
    uint64_t frames;
    struct heap_stats h0;
    unsigned threads = sched_threads();

    if (make_and_join(t, JOIN_THREADS))
        return;
    frames = mm_frames_free();
    h0 = heap_stats();
    if (make_and_join(t, JOIN_THREADS))
        return;
    KTEST_ASSERT_EQ(t, sched_threads(), threads);
    KTEST_ASSERT_EQ(t, mm_frames_free(), frames);
    KTEST_ASSERT_EQ(t, heap_stats().small_active + heap_stats().large_active,
                    h0.small_active + h0.large_active);
}

static volatile int stop_spinning, spinner_gave_up;
static volatile uint64_t progress;

/* Spins without yielding until told to stop (or SPIN_LIMIT_NS: it gave up, the test fails). */
static void spinner(void *arg)
{
    uint64_t end = clock_ns() + SPIN_LIMIT_NS;

    (void)arg;
    while (!stop_spinning && clock_ns() < end)
        arch_cpu_relax();
    spinner_gave_up = !stop_spinning;
}

static void stopper(void *arg)
{
    (void)arg;
    progress++;
    stop_spinning = 1;
}

/*
 * A spinner and a stopper at the given priorities, both joined: the stopper
 * can only run if the scheduler takes the CPU from the spinner. Returns 1
 * when it ran once and stopped the spinner while it still spun: a stopper
 * that ran only after the spinner gave up by itself (no preemption, no
 * slice expiry, no aging) fails.
 */
static int spinner_stopped(struct ktest *t, const char *names[2], int spin_prio, int stop_prio)
{
    struct thread *spin, *stop;
    int cpu = sched_cpu_id();           /* kmain's (pinned): both compete for one CPU */
    uint64_t flags = arch_irq_save();   /* both queued before either runs */

    stop_spinning = 0;
    spinner_gave_up = 0;
    progress = 0;
    spin = thread_create_on(names[0], spinner, 0, spin_prio, cpu);
    stop = thread_create_on(names[1], stopper, 0, stop_prio, cpu);
    arch_irq_restore(flags);
    if (!KTEST_ASSERT(t, spin && stop))
        return 0;
    thread_join(stop);
    thread_join(spin);
    return stop_spinning && progress == 1 && !spinner_gave_up;
}

/*
 * Both at the top priority, where aging cannot lift the stopper: only the
 * end of the spinner's slice (round robin within a level) lets it in.
 */
void ktest_sched_busy_thread_preempted(struct ktest *t)
{
    const char *names[2] = { "spinner", "stopper" };

    KTEST_ASSERT(t, spinner_stopped(t, names, SCHED_PRIO_MAX, SCHED_PRIO_MAX));
}

static volatile int order[2], order_n;

static void record(void *arg)
{
    order[order_n++] = (int)(uintptr_t)arg;
}

/* Both on kmain's CPU, both queued before either can run. */
void ktest_sched_priority_first(struct ktest *t)
{
    uint64_t flags = arch_irq_save();
    int cpu = sched_cpu_id();
    struct thread *lo = thread_create_on("low", record, (void *)1, SCHED_PRIO_MIN + 1, cpu);
    struct thread *hi = thread_create_on("high", record, (void *)2, SCHED_PRIO_MAX, cpu);

    order_n = 0;
    arch_irq_restore(flags);
    if (!KTEST_ASSERT(t, lo && hi))
        return;
    thread_join(lo);
    thread_join(hi);
    KTEST_ASSERT_EQ(t, order_n, 2);
    KTEST_ASSERT_EQ(t, order[0], 2);
    KTEST_ASSERT_EQ(t, order[1], 1);
}

void ktest_sched_aging(struct ktest *t)
{
    const char *names[2] = { "hog", "starved" };
    uint64_t t0 = clock_ns();
    int ok = spinner_stopped(t, names, SCHED_PRIO_MAX, SCHED_PRIO_MIN);

    printk(LOG_INFO, "[sched] aging: the low thread ran after %llu ms beside a spinning high one\n",
           (unsigned long long)((clock_ns() - t0) / NS_PER_MS));
    KTEST_ASSERT(t, ok);
}

/*
 * 1 on time, 0 wrong, -1 when the guest was paused: fewer ticks arrived
 * than the time slept holds (QEMU merged the ticks of the pause), so a
 * late wake-up says nothing about the scheduler. A wake-up missed while
 * ticks kept coming fails.
 */
static int sleep_try(int n)
{
    uint64_t before, slept, ticks;

    timer_gap_reset();
    ticks = timer_ticks();
    before = clock_ns();
    sched_sleep_ns(SLEEP_NS);
    slept = clock_ns() - before;
    ticks = timer_ticks() - ticks;
    printk(LOG_INFO, "[sched] sleep try %d: asked %llu us, slept %llu us, longest tick gap %llu us\n",
           n, (unsigned long long)(SLEEP_NS / NS_PER_US), (unsigned long long)(slept / NS_PER_US),
           (unsigned long long)(timer_max_gap_ns() / NS_PER_US));
    if (slept < SLEEP_NS)
        return 0;                                       /* early: always wrong */
    if (slept <= SLEEP_NS + SLEEP_LATE_NS + 2 * NS_PER_SEC / timer_hz())
        return 1;
    if (ticks + 2 < slept * timer_hz() / NS_PER_SEC)
        return -1;                                      /* paused: again */
    return timer_paused() ? -1 : 0;
}

void ktest_sched_sleep_on_time(struct ktest *t)
{
    int ok = -1;

    for (int i = 1; i <= SLEEP_TRIES && ok < 0; i++)
        ok = sleep_try(i);
    for (int i = 0; i < 20 && ok == 1; i++) {           /* never early, many times over */
        uint64_t before = clock_ns();

        sched_sleep_ns(NS_PER_MS / 2);
        ok = clock_ns() - before >= NS_PER_MS / 2;
    }
    KTEST_ASSERT_EQ(t, ok, 1);
}

/* sched_ps's rows as the log holds them: which of the expected rows were seen. */
struct ps_rows {
    char want[3][80];
    int seen[3];
};

static void ps_row(const struct printk_line *l, void *arg)
{
    struct ps_rows *r = arg;

    for (int i = 0; i < 3; i++)
        r->seen[i] |= l->len >= strlen(r->want[i]) && memcmp(l->text, r->want[i], strlen(r->want[i])) == 0;
}

/* The row sched_ps must print for t: id, name, state, CPU, priorities (run time and switches vary). */
static void ps_expect(char *out, size_t cap, const struct thread *t, const char *state, int cpu, int prio)
{
    format_snprintf(out, cap, "[sched] %4llu %-20s %-6s %3d %2d/%d ", (unsigned long long)t->id, t->name, state,
                    cpu, prio, prio);
}

/*
 * The thread table lists what the test made: two threads queued on kmain's
 * CPU (interrupts off, so neither has run) show as ready there at their
 * priorities, and kmain as running; read back from the log.
 */
void ktest_sched_ps(struct ktest *t)
{
    static char log[PRINTK_LOG_SIZE];
    static struct ps_rows rows;
    uint64_t flags = arch_irq_save();
    int cpu = sched_cpu_id();
    struct thread *a = thread_create_on("ps-probe-a", nothing, 0, SCHED_PRIO_MIN, cpu);
    struct thread *b = thread_create_on("ps-probe-b", nothing, 0, SCHED_PRIO_MIN + 1, cpu);

    KTEST_ASSERT_STR_EQ(t, sched_current()->name, "kmain");
    KTEST_ASSERT(t, sched_switches() > 0);
    if (a && b) {
        ps_expect(rows.want[0], sizeof rows.want[0], a, "ready", cpu, SCHED_PRIO_MIN);
        ps_expect(rows.want[1], sizeof rows.want[1], b, "ready", cpu, SCHED_PRIO_MIN + 1);
        ps_expect(rows.want[2], sizeof rows.want[2], sched_current(), "run", cpu, sched_current()->base_prio);
        sched_ps();
    }
    arch_irq_restore(flags);
    if (!KTEST_ASSERT(t, a && b))
        return;
    thread_join(a);
    thread_join(b);
    printk_log_lines(log, printk_log_read(log, sizeof log), ps_row, &rows);
    for (int i = 0; i < 3; i++)
        if (!rows.seen[i])
            ktest_fail(t, __FILE__, __LINE__, "no row \"%s\"", rows.want[i]);
}

/*
 * A thread in an address space of its own (thread_create_in): while it
 * runs, CR3 holds its space's tables, so a page mapped only there reads
 * back, and the TSS's RSP0 is the top of its own stack; kmain runs on the
 * kernel's tables before and after. The thread reads the page only once
 * CR3 says it may, so a switch that forgets CR3 fails here, not in a
 * page fault.
 */
#define SPACE_VA        0x400000ull
#define SPACE_MARK      0x7e55e4a5ull

static struct space_seen {
    uint64_t cr3, rsp0, mark;
    struct vmm_space *space;
} seen;

static void look_around(void *arg)
{
    (void)arg;
    seen.cr3 = arch_read_cr3() & PTE_ADDR;
    seen.rsp0 = gdt_kernel_stack();
    if (seen.cr3 == seen.space->pml4)
        seen.mark = *(volatile uint64_t *)(uintptr_t)SPACE_VA;
}

void ktest_sched_address_space_switch(struct ktest *t)
{
    uint64_t frame = mm_zeroed_frame();
    struct vmm_space *s = vmm_space_create();
    struct thread *th;

    if (!KTEST_ASSERT(t, s && frame))
        return;
    *(uint64_t *)arch_phys_to_virt(frame) = SPACE_MARK;
    KTEST_ASSERT(t, vmm_map(s, SPACE_VA, frame, 4096, VMM_WRITE) == 0);
    seen = (struct space_seen){ .space = s };
    th = thread_create_in(s, "in a space", look_around, 0, SCHED_PRIO_DEFAULT, 0);
    if (KTEST_ASSERT(t, th != 0)) {
        uint64_t top = th->stack + THREAD_STACK_SIZE;

        thread_join(th);
        KTEST_ASSERT_EQ(t, seen.cr3, s->pml4);
        KTEST_ASSERT_EQ(t, seen.rsp0, top);
        KTEST_ASSERT_EQ(t, seen.mark, SPACE_MARK);
    }
    KTEST_ASSERT_EQ(t, arch_read_cr3() & PTE_ADDR, vmm_kernel_space()->pml4);
    vmm_space_put(s);
    mm_frame_free(frame);
}
