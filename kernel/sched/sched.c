/*
 * sched.c - the scheduler (see sched.h): per-CPU run queues by priority,
 * aging, sleep lists, the tick, preemption on interrupt return, wake-up
 * placement, stealing and balancing, the switch.
 *
 * The invariant that makes several CPUs safe: a thread on a run queue has
 * finished switching out (its registers and FPU state are saved), as seen
 * by anyone holding that queue's lock. Three rules keep it:
 *   - a CPU holds its own run-queue lock from choosing the next thread
 *     until that thread runs (sched_finish_switch releases it), so the
 *     outgoing thread, put on this CPU's queue while still running, cannot
 *     be stolen before its switch is over;
 *   - a thread that blocks takes its CPU's run-queue lock before letting go
 *     of the wait queue's lock (sched_block_release);
 *   - a waker that finds the thread still on_cpu queues it on that same
 *     CPU, whose lock it then has to wait for: the switch finishes first.
 * A joiner waits for on_cpu to clear before freeing a zombie's stack.
 */
#include <stdint.h>
#include <string.h>

#include "apic/lapic.h"
#include "arch.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/switch.h"
#include "arch/x86_64/trap.h"
#include "format.h"
#include "mm/heap.h"
#include "panic.h"
#include "printk.h"
#include "sched/sched.h"
#include "sync/lockcheck.h"
#include "timer/clock.h"
#include "timer/timer.h"

struct sched_cpu {
    struct spinlock lock;       /* the run-queue lock: everything below */
    struct thread *curr;        /* also in percpu.current, for one-instruction reads */
    struct thread *idle;
    struct thread *prev;        /* the thread being switched away from, for finish_switch */
    struct thread_fifo queues[SCHED_PRIO_LEVELS];
    volatile unsigned runnable; /* threads on the queues (read unlocked as a hint) */
    volatile unsigned movable;  /* of which not pinned: what others may steal */
    volatile int need_resched;  /* acted on at interrupt return */
    volatile int online;        /* running threads */
    int ticking;                /* an AP's tick runs (it stops while the AP idles) */
    int slice;                  /* ticks left for curr */
    uint64_t ticks;
    uint64_t switches;
    struct thread *sleepers;    /* sorted by wake_ns */
} __attribute__((aligned(64)));

static struct sched_cpu cpus[SMP_MAX_CPUS];
static struct thread boot_thread;
static struct spinlock threads_lock = SPINLOCK_INIT("thread list");
static struct thread *all_threads;
static unsigned thread_count;
static volatile unsigned ncpus;     /* cpus[0..ncpus-1] may be online */
static uint64_t migrations;

/* This CPU's: the caller has interrupts off, so it stays here. */
static struct sched_cpu *this_cpu(void)
{
    return &cpus[percpu_cpu_id()];
}

static int cpu_index(const struct sched_cpu *c)
{
    return (int)(c - cpus);
}

struct thread *sched_current(void)
{
    return percpu_current();
}

int sched_cpu_id(void)
{
    return (int)percpu_cpu_id();
}

unsigned sched_cpus(void)
{
    unsigned n = 0;

    for (unsigned i = 0; i < ncpus; i++)
        n += cpus[i].online;
    return n;
}

/* --- run queues (the CPU's lock held) --- */

/* Take t out from after `before` (NULL: t is the head). */
static void runq_unlink(struct thread_fifo *q, struct thread *before, struct thread *t)
{
    if (before)
        before->qnext = t->qnext;
    else
        q->head = t->qnext;
    if (q->tail == t)
        q->tail = before;
}

static void count_in(struct sched_cpu *c, const struct thread *t, int n)
{
    c->runnable += n;
    if (t->pinned == THREAD_ANY_CPU)
        c->movable += n;
}

/* The highest level with a runnable thread, or -1. */
static int top_prio(const struct sched_cpu *c)
{
    for (int p = SCHED_PRIO_MAX; p >= SCHED_PRIO_MIN; p--)
        if (c->queues[p].head)
            return p;
    return -1;
}

static int current_prio(const struct sched_cpu *c)
{
    return c->curr == c->idle ? -1 : c->curr->prio;
}

/* Threads running or waiting here: what balancing compares. Unlocked read. */
static unsigned load(const struct sched_cpu *c)
{
    return c->runnable + (c->curr != c->idle);
}

static void send_reschedule(struct sched_cpu *c)
{
    const struct percpu *p = smp_cpu((unsigned)cpu_index(c));

    if (p)
        lapic_send_ipi(p->apic_id, LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | VEC_RESCHEDULE);
}

/* An idle CPU other than c, or NULL. Unlocked reads: a hint. */
static struct sched_cpu *idle_cpu_besides(const struct sched_cpu *c)
{
    for (unsigned i = 0; i < ncpus; i++)
        if (&cpus[i] != c && cpus[i].online && load(&cpus[i]) == 0)
            return &cpus[i];
    return 0;
}

/*
 * Onto c's queue at its own priority; c's lock held. If it must wait there
 * while another CPU idles (without a tick, so it would not look), that CPU
 * is woken to steal it.
 */
static void enqueue_locked(struct sched_cpu *c, struct thread *t)
{
    struct sched_cpu *idle;

    t->state = THREAD_RUNNABLE;
    t->prio = t->base_prio;
    t->queued_tick = c->ticks;
    t->cpu = cpu_index(c);
    thread_fifo_push(&c->queues[t->prio], t);
    count_in(c, t, 1);
    if (t->prio > current_prio(c)) {
        if (!c->need_resched && c != this_cpu())
            send_reschedule(c);
        c->need_resched = 1;
    } else if (t->pinned == THREAD_ANY_CPU && (idle = idle_cpu_besides(c))) {
        send_reschedule(idle);
    }
}

/*
 * Where a waking or new thread goes: its pinned CPU; the CPU it is still
 * switching out on; else the CPU it last ran on if that is idle, else
 * the first idle CPU after it, else the least loaded (its own on a tie).
 */
static struct sched_cpu *select_cpu(const struct thread *t)
{
    int home = t->cpu >= 0 ? t->cpu : sched_cpu_id();
    unsigned n = ncpus;
    struct sched_cpu *best = &cpus[home];

    if (t->pinned != THREAD_ANY_CPU)
        return &cpus[t->pinned];
    if (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
        return &cpus[t->cpu];
    if (load(best) == 0)
        return best;
    for (unsigned i = 1; i < n; i++) {
        struct sched_cpu *c = &cpus[(unsigned)(home + (int)i) % n];

        if (c->online && load(c) < load(best))
            best = c;
        if (c->online && load(c) == 0)
            break;
    }
    return best;
}

void sched_enqueue(struct thread *t)
{
    struct sched_cpu *c = select_cpu(t);

    spin_lock_noirq(&c->lock);
    enqueue_locked(c, t);
    spin_unlock_noirq(&c->lock);
}

/* --- stealing: a thread from another CPU's queues, never waiting for its lock --- */

/* The highest-priority thread `from` may give away, taken off its queues; its lock held. */
static struct thread *take_movable(struct sched_cpu *from)
{
    for (int p = SCHED_PRIO_MAX; p >= SCHED_PRIO_MIN; p--) {
        struct thread *before = 0;

        for (struct thread *t = from->queues[p].head; t; before = t, t = t->qnext)
            if (t->pinned == THREAD_ANY_CPU) {
                runq_unlink(&from->queues[p], before, t);
                count_in(from, t, -1);
                return t;
            }
    }
    return 0;
}

/* The other CPU with the most threads it may give away, or NULL. Unlocked reads: a hint. */
static struct sched_cpu *busiest(const struct sched_cpu *c)
{
    struct sched_cpu *from = 0;

    for (unsigned i = 0; i < ncpus; i++)
        if (&cpus[i] != c && cpus[i].movable && (!from || cpus[i].movable > from->movable))
            from = &cpus[i];
    return from;
}

/* One thread off `from`, if its lock is free right now (we hold our own). */
static struct thread *steal_from(struct sched_cpu *from)
{
    struct thread *t;

    if (!from || !spin_trylock_noirq(&from->lock))
        return 0;
    t = take_movable(from);
    spin_unlock_noirq(&from->lock);
    return t;
}

static int can_steal(const struct sched_cpu *c)
{
    return busiest(c) != 0;
}

/* --- the switch --- */

static struct thread *pick_next(struct sched_cpu *c)
{
    int p = top_prio(c);
    struct thread *t;

    if (p >= 0) {
        t = thread_fifo_pop(&c->queues[p]);
        count_in(c, t, -1);
        return t;
    }
    return (t = steal_from(busiest(c))) ? t : c->idle;
}

/* An AP's tick runs while it runs threads, and stops while it idles with no sleepers. */
static void tick_on(struct sched_cpu *c)
{
    if (!c->ticking && cpu_index(c) != 0) {
        timer_start_cpu();
        c->ticking = 1;
    }
}

static void tick_off(struct sched_cpu *c)
{
    if (c->ticking && !c->sleepers) {
        timer_stop_cpu();
        c->ticking = 0;
    }
}

/* Accounting, the FPU state (eagerly, both ways), the registers; c's lock held throughout. */
static void switch_to(struct sched_cpu *c, struct thread *prev, struct thread *next)
{
    uint64_t now = clock_ns();

    if (prev == c->idle)
        tick_on(c);
    prev->run_ns += now - prev->ran_since_ns;
    next->ran_since_ns = now;
    next->state = THREAD_RUNNING;
    next->prio = next->base_prio;
    if (next->cpu != cpu_index(c) && next->cpu >= 0)
        __atomic_fetch_add(&migrations, 1, __ATOMIC_RELAXED);
    next->cpu = cpu_index(c);
    next->switches++;
    next->on_cpu = 1;
    c->switches++;
    c->curr = next;
    c->prev = prev;
    percpu_set_current(next);
    fpu_save(prev->fpu);
    fpu_restore(next->fpu);
    arch_switch(&prev->sp, next->sp);
    sched_finish_switch();
}

/*
 * Runs in the thread just switched to, on whatever CPU that is now (a
 * stolen thread resumes elsewhere): the previous thread is off this CPU
 * for good, so others may run or free it; then the lock its chooser took
 * is released. Interrupts stay off.
 */
void sched_finish_switch(void)
{
    struct sched_cpu *c = this_cpu();

    __atomic_store_n(&c->prev->on_cpu, 0, __ATOMIC_RELEASE);
    spin_unlock_noirq(&c->lock);
}

/*
 * Choose and switch; c's lock held, released on return. The caller has set
 * curr's state: RUNNING means "still runnable" (yield, preemption) and
 * puts it at the back of its queue; anything else leaves it where the
 * caller put it.
 */
static void reschedule_locked(struct sched_cpu *c)
{
    struct thread *prev = c->curr, *next;

    if (prev->state == THREAD_RUNNING && prev != c->idle)
        enqueue_locked(c, prev);
    else if (prev == c->idle)
        prev->state = THREAD_RUNNABLE;          /* idle waits off the queues */
    next = pick_next(c);
    c->need_resched = 0;
    c->slice = SCHED_SLICE_TICKS;
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        prev->prio = prev->base_prio;
        spin_unlock_noirq(&c->lock);
        return;
    }
    switch_to(c, prev, next);
}

static void reschedule(void)
{
    struct sched_cpu *c = this_cpu();

    spin_lock_noirq(&c->lock);
    reschedule_locked(c);
}

uint64_t sched_block_release(enum thread_state why, struct spinlock *lk)
{
    struct sched_cpu *c = this_cpu();
    uint64_t flags = 0;

    spin_lock_noirq(&c->lock);
    c->curr->state = why;
    if (lk)
        flags = spin_release_keep_irq(lk);
    reschedule_locked(c);
    return flags;
}

void sched_yield(void)
{
    uint64_t flags;

    if (lockcheck_may_sleep("sched_yield"))
        return;
    flags = arch_irq_save();
    reschedule();
    arch_irq_restore(flags);
}

/* --- sleeping: a list per CPU sorted by wake time, checked by its tick --- */

static void sleep_insert(struct sched_cpu *c, struct thread *t)
{
    struct thread **p = &c->sleepers;

    while (*p && (*p)->wake_ns <= t->wake_ns)
        p = &(*p)->qnext;
    t->qnext = *p;
    *p = t;
}

/* Those due, off the list (c's lock held); the caller queues them once it lets go. */
static struct thread *take_due_sleepers(struct sched_cpu *c, uint64_t now)
{
    struct thread *due = c->sleepers, **end = &c->sleepers;

    while (*end && (*end)->wake_ns <= now)
        end = &(*end)->qnext;
    c->sleepers = *end;
    *end = 0;
    return c->sleepers == due ? 0 : due;
}

void sched_sleep_ns(uint64_t ns)
{
    struct thread *self = sched_current();
    struct sched_cpu *c;
    uint64_t flags;

    if (lockcheck_may_sleep("sched_sleep_ns"))
        return;
    flags = arch_irq_save();
    c = this_cpu();
    spin_lock_noirq(&c->lock);
    self->wake_ns = clock_ns() + ns;
    self->state = THREAD_SLEEPING;
    sleep_insert(c, self);
    reschedule_locked(c);
    arch_irq_restore(flags);
}

/* --- the tick, balancing and preemption --- */

/*
 * Aging: the head of a queue (its longest waiter) that has waited
 * SCHED_AGING_TICKS moves to the back of the next level up; top down, so
 * a thread climbs at most one level per tick.
 */
static void age(struct sched_cpu *c)
{
    for (int p = SCHED_PRIO_MAX - 1; p >= SCHED_PRIO_MIN; p--) {
        struct thread *t = c->queues[p].head;

        if (!t || c->ticks - t->queued_tick < SCHED_AGING_TICKS)
            continue;
        thread_fifo_pop(&c->queues[p]);
        t->prio = p + 1;
        t->queued_tick = c->ticks;
        thread_fifo_push(&c->queues[p + 1], t);
    }
}

/* Every SCHED_BALANCE_TICKS: pull one thread from a CPU two or more threads busier. */
static void balance(struct sched_cpu *c)
{
    struct sched_cpu *from;
    struct thread *t;

    if (c->ticks % SCHED_BALANCE_TICKS || !(from = busiest(c)) || load(from) < load(c) + 2)
        return;
    if ((t = steal_from(from)))
        enqueue_locked(c, t);
}

/* The timer's tick hook on every CPU: interrupt context, interrupts off. Never switches. */
static void sched_tick(void)
{
    struct sched_cpu *c = this_cpu();
    struct thread *due = 0;

    if (!c->online)
        return;
    spin_lock_noirq(&c->lock);
    c->ticks++;
    if (c->sleepers && c->sleepers->wake_ns <= clock_ns())
        due = take_due_sleepers(c, clock_ns());
    age(c);
    balance(c);
    if (--c->slice <= 0 || top_prio(c) > current_prio(c))
        c->need_resched = c->runnable > 0;
    spin_unlock_noirq(&c->lock);
    while (due) {
        struct thread *t = due;

        due = t->qnext;
        sched_enqueue(t);
    }
}

/* trap_dispatch's exit hook: every interrupt's last step before iretq. */
static void sched_preempt(struct trap_frame *f)
{
    struct sched_cpu *c = this_cpu();

    (void)f;
    if (c->online && c->need_resched)
        reschedule();
}

/* VEC_RESCHEDULE: the sender set need_resched; the exit hook acts on it. */
static void on_reschedule(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    lapic_eoi();
}

/* --- the idle thread and bring-up --- */

static __attribute__((noreturn)) void idle_loop(void)
{
    for (;;) {
        struct sched_cpu *c;

        arch_irq_disable();
        c = this_cpu();
        if (c->runnable || can_steal(c)) {
            reschedule();
            arch_irq_enable();
            continue;
        }
        tick_off(c);
        arch_wait_for_interrupt();      /* sti; hlt: no wake-up slips in between */
    }
}

static void idle_entry(void *arg)
{
    (void)arg;
    idle_loop();
}

/* Make `t` the thread this CPU's code is already running as. */
static void adopt_running(struct sched_cpu *c, struct thread *t)
{
    t->state = THREAD_RUNNING;
    t->ran_since_ns = clock_ns();
    t->cpu = cpu_index(c);
    t->on_cpu = 1;
    t->switches = 1;
    c->curr = t;
    c->slice = SCHED_SLICE_TICKS;
    percpu_set_current(t);
}

void sched_init(void)
{
    struct sched_cpu *c = &cpus[0];
    static uint8_t boot_fpu[4096] __attribute__((aligned(FPU_AREA_ALIGN)));

    if (fpu_area_size() > sizeof boot_fpu)
        panic("sched_init: FPU area of %zu bytes", fpu_area_size());
    for (unsigned i = 0; i < SMP_MAX_CPUS; i++)
        spin_init(&cpus[i].lock, "run queue");
    ncpus = 1;
    memcpy(boot_thread.name, "kmain", sizeof "kmain");
    boot_thread.base_prio = boot_thread.prio = SCHED_PRIO_DEFAULT;
    boot_thread.pinned = 0;             /* tests arm per-CPU exception catches (trap.h) */
    boot_thread.fpu = boot_fpu;
    adopt_running(c, &boot_thread);
    sched_add_thread(&boot_thread);
    c->online = 1;
    c->idle = thread_create_on("idle0", idle_entry, 0, SCHED_PRIO_MIN, 0);
    if (!c->idle)
        panic("sched_init: no idle thread");
    thread_fifo_pop(&c->queues[SCHED_PRIO_MIN]);       /* idle runs only when nothing else can */
    count_in(c, c->idle, -1);
    c->idle->state = THREAD_RUNNABLE;
    c->need_resched = 0;
    if (trap_register(VEC_RESCHEDULE, on_reschedule, 0) != 0)
        panic("sched_init: vector 0x%x taken", VEC_RESCHEDULE);
    timer_set_tick_hook(sched_tick);
    trap_set_exit_hook(sched_preempt);
    printk(LOG_INFO, "[sched] kmain is thread 0; %d priorities, %d-tick slices, aging every %d ticks\n",
           SCHED_PRIO_LEVELS, SCHED_SLICE_TICKS, SCHED_AGING_TICKS);
}

void sched_init_cpu(void)
{
    unsigned id = percpu_cpu_id();
    struct sched_cpu *c = &cpus[id];
    struct thread *idle = kcalloc(1, sizeof *idle);
    void *fpu = kmalloc_aligned(fpu_area_size(), FPU_AREA_ALIGN);

    if (!idle || !fpu)
        panic("sched_init_cpu: no memory for CPU %u's idle thread", id);
    format_snprintf(idle->name, THREAD_NAME_MAX, "idle%u", id);
    idle->base_prio = idle->prio = SCHED_PRIO_MIN;
    idle->pinned = (int)id;
    idle->fpu = fpu;
    fpu_area_init(fpu);
    adopt_running(c, idle);
    c->idle = idle;
    sched_add_thread(idle);
    if (id >= ncpus)                    /* APs start one at a time (smp.c waits for each) */
        ncpus = id + 1;
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
}

void sched_run_cpu(void)
{
    arch_irq_enable();
    idle_loop();
}

/* --- the list of every thread, and the ps table --- */

void sched_add_thread(struct thread *t)
{
    static uint64_t next_id;

    spin_lock(&threads_lock);
    t->id = next_id++;
    t->all_next = all_threads;
    all_threads = t;
    thread_count++;
    spin_unlock(&threads_lock);
}

void sched_remove_thread(struct thread *t)
{
    struct thread **p;

    spin_lock(&threads_lock);
    for (p = &all_threads; *p && *p != t;)
        p = &(*p)->all_next;
    if (*p) {
        *p = t->all_next;
        thread_count--;
    }
    spin_unlock(&threads_lock);
}

uint64_t sched_switches(void)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < ncpus; i++)
        n += cpus[i].switches;
    return n;
}

uint64_t sched_cpu_switches(unsigned cpu)
{
    return cpu < ncpus ? cpus[cpu].switches : 0;
}

uint64_t sched_migrations(void)
{
    return migrations;
}

unsigned sched_threads(void)
{
    return thread_count;
}

static const char *state_name(enum thread_state s)
{
    static const char *const names[] = { "ready", "run", "block", "sleep", "zombie" };

    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void sched_ps(void)
{
    uint64_t now = clock_ns();

    spin_lock(&threads_lock);
    printk(LOG_INFO, "[sched] %4s %-20s %-6s %3s %4s %12s %10s\n", "id", "name", "state", "cpu",
           "prio", "run_us", "switches");
    for (struct thread *t = all_threads; t; t = t->all_next) {
        uint64_t run = t->run_ns + (t->state == THREAD_RUNNING ? now - t->ran_since_ns : 0);

        printk(LOG_INFO, "[sched] %4llu %-20s %-6s %3d %2d/%d %12llu %10llu\n",
               (unsigned long long)t->id, t->name, state_name(t->state), t->cpu, t->prio,
               t->base_prio, (unsigned long long)(run / NS_PER_US),
               (unsigned long long)t->switches);
    }
    spin_unlock(&threads_lock);
}
