/*
 * sched.c - the scheduler (see sched.h): run queues by priority, aging,
 * the sleep list, the tick, preemption on interrupt return, the switch.
 *
 * Everything here runs with interrupts off (the callers' irq_save, or
 * the interrupt gate): that is the lock on one CPU. struct sched_cpu is
 * this CPU's state, reached only through this_cpu(), so SMP can give each
 * CPU its own (through the GS base) without touching the policy code.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/switch.h"
#include "arch/x86_64/trap.h"
#include "panic.h"
#include "printk.h"
#include "sched/sched.h"
#include "sync/lockcheck.h"
#include "timer/clock.h"
#include "timer/timer.h"

struct runq {
    struct thread *head, *tail;
};

struct sched_cpu {
    struct thread *current;
    struct thread *idle;
    struct runq queues[SCHED_PRIO_LEVELS];
    unsigned runnable;          /* threads on the queues */
    int need_resched;           /* set by the tick or a wake-up, acted on at interrupt return */
    int slice;                  /* ticks left for current */
    uint64_t ticks;
    uint64_t switches;
};

static struct sched_cpu cpu0;
static struct thread boot_thread;
static struct thread *all_threads;
static unsigned thread_count;
static int ready;

static struct sched_cpu *this_cpu(void)
{
    return &cpu0;
}

struct thread *sched_current(void)
{
    return cpu0.current;
}

int sched_cpu_id(void)
{
    return 0;
}

int sched_ready(void)
{
    return ready;
}

static void runq_push(struct runq *q, struct thread *t)
{
    t->qnext = 0;
    if (q->tail)
        q->tail->qnext = t;
    else
        q->head = t;
    q->tail = t;
}

static struct thread *runq_pop(struct runq *q)
{
    struct thread *t = q->head;

    if (t && !(q->head = t->qnext))
        q->tail = 0;
    return t;
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
    return c->current == c->idle ? -1 : c->current->prio;
}

void sched_enqueue(struct thread *t)
{
    struct sched_cpu *c = this_cpu();

    t->state = THREAD_RUNNABLE;
    t->prio = t->base_prio;
    t->queued_tick = c->ticks;
    t->cpu = sched_cpu_id();
    runq_push(&c->queues[t->prio], t);
    c->runnable++;
    if (t->prio > current_prio(c))
        c->need_resched = 1;
}

static struct thread *pick_next(struct sched_cpu *c)
{
    int p = top_prio(c);

    if (p < 0)
        return c->idle;
    c->runnable--;
    return runq_pop(&c->queues[p]);
}

/* The switch itself: accounting, the FPU state (eagerly, both ways), the registers. */
static void switch_to(struct sched_cpu *c, struct thread *prev, struct thread *next)
{
    uint64_t now = clock_ns();

    prev->run_ns += now - prev->ran_since_ns;
    next->ran_since_ns = now;
    next->state = THREAD_RUNNING;
    next->prio = next->base_prio;
    next->switches++;
    c->switches++;
    c->current = next;
    fpu_save(prev->fpu);
    fpu_restore(next->fpu);
    arch_switch(&prev->sp, next->sp);
}

/*
 * Choose and switch. The caller has set current's state: RUNNING means
 * "still runnable" (yield, preemption) and puts it at the back of its
 * queue; anything else leaves it where the caller put it.
 */
static void reschedule(void)
{
    struct sched_cpu *c = this_cpu();
    struct thread *prev = c->current, *next;

    if (prev->state == THREAD_RUNNING && prev != c->idle)
        sched_enqueue(prev);
    else if (prev == c->idle)
        prev->state = THREAD_RUNNABLE;          /* idle waits off the queues */
    next = pick_next(c);
    c->need_resched = 0;
    c->slice = SCHED_SLICE_TICKS;
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        prev->prio = prev->base_prio;
        return;
    }
    switch_to(c, prev, next);
}

void sched_block(enum thread_state why)
{
    this_cpu()->current->state = why;
    reschedule();
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

/* --- sleeping: a list sorted by wake time, checked by every tick --- */

static struct thread *sleepers;

static void sleep_insert(struct thread *t)
{
    struct thread **p = &sleepers;

    while (*p && (*p)->wake_ns <= t->wake_ns)
        p = &(*p)->qnext;
    t->qnext = *p;
    *p = t;
}

static void wake_sleepers(uint64_t now)
{
    while (sleepers && sleepers->wake_ns <= now) {
        struct thread *t = sleepers;

        sleepers = t->qnext;
        sched_enqueue(t);
    }
}

void sched_sleep_ns(uint64_t ns)
{
    struct thread *self = this_cpu()->current;
    uint64_t flags;

    if (lockcheck_may_sleep("sched_sleep_ns"))
        return;
    flags = arch_irq_save();
    self->wake_ns = clock_ns() + ns;
    sleep_insert(self);
    sched_block(THREAD_SLEEPING);
    arch_irq_restore(flags);
}

/* --- the tick and preemption --- */

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
        runq_pop(&c->queues[p]);
        t->prio = p + 1;
        t->queued_tick = c->ticks;
        runq_push(&c->queues[p + 1], t);
    }
}

/* The timer's tick hook: interrupt context, interrupts off. Never switches. */
static void sched_tick(void)
{
    struct sched_cpu *c = this_cpu();

    c->ticks++;
    if (sleepers)
        wake_sleepers(clock_ns());
    age(c);
    if (--c->slice <= 0 || top_prio(c) > current_prio(c))
        c->need_resched = c->runnable > 0;
}

/* trap_dispatch's exit hook: every interrupt's last step before iretq. */
static void sched_preempt(struct trap_frame *f)
{
    (void)f;
    if (this_cpu()->need_resched)
        reschedule();
}

/* --- the idle thread and bring-up --- */

static void idle_loop(void *arg)
{
    (void)arg;
    for (;;) {
        arch_irq_disable();
        if (this_cpu()->runnable)
            reschedule();
        arch_wait_for_interrupt();      /* sti; hlt: no wake-up slips in between */
    }
}

void sched_init(void)
{
    struct sched_cpu *c = this_cpu();
    static uint8_t boot_fpu[4096] __attribute__((aligned(FPU_AREA_ALIGN)));

    if (fpu_area_size() > sizeof boot_fpu)
        panic("sched_init: FPU area of %zu bytes", fpu_area_size());
    memcpy(boot_thread.name, "kmain", sizeof "kmain");
    boot_thread.state = THREAD_RUNNING;
    boot_thread.base_prio = boot_thread.prio = SCHED_PRIO_DEFAULT;
    boot_thread.fpu = boot_fpu;
    boot_thread.ran_since_ns = clock_ns();
    boot_thread.switches = 1;
    c->current = &boot_thread;
    c->slice = SCHED_SLICE_TICKS;
    sched_add_thread(&boot_thread);
    ready = 1;
    c->idle = thread_create("idle", idle_loop, 0, SCHED_PRIO_MIN);
    if (!c->idle)
        panic("sched_init: no idle thread");
    runq_pop(&c->queues[SCHED_PRIO_MIN]);       /* idle runs only when nothing else can */
    c->runnable--;
    c->idle->state = THREAD_RUNNABLE;
    timer_set_tick_hook(sched_tick);
    trap_set_exit_hook(sched_preempt);
    printk(LOG_INFO, "[sched] kmain is thread 0; %d priorities, %d-tick slices, aging every %d ticks\n",
           SCHED_PRIO_LEVELS, SCHED_SLICE_TICKS, SCHED_AGING_TICKS);
}

/* --- the list of every thread, and the ps table --- */

void sched_add_thread(struct thread *t)
{
    static uint64_t next_id;

    t->id = next_id++;
    t->all_next = all_threads;
    all_threads = t;
    thread_count++;
}

void sched_remove_thread(struct thread *t)
{
    struct thread **p = &all_threads;

    while (*p && *p != t)
        p = &(*p)->all_next;
    if (*p) {
        *p = t->all_next;
        thread_count--;
    }
}

uint64_t sched_switches(void)
{
    return this_cpu()->switches;
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
    uint64_t flags = arch_irq_save();
    uint64_t now = clock_ns();

    printk(LOG_INFO, "[sched] %4s %-20s %-6s %3s %4s %12s %10s\n", "id", "name", "state", "cpu",
           "prio", "run_us", "switches");
    for (struct thread *t = all_threads; t; t = t->all_next) {
        uint64_t run = t->run_ns + (t->state == THREAD_RUNNING ? now - t->ran_since_ns : 0);

        printk(LOG_INFO, "[sched] %4llu %-20s %-6s %3d %2d/%d %12llu %10llu\n",
               (unsigned long long)t->id, t->name, state_name(t->state), t->cpu, t->prio,
               t->base_prio, (unsigned long long)(run / NS_PER_US),
               (unsigned long long)t->switches);
    }
    arch_irq_restore(flags);
}
