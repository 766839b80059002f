/*
 * sched_cpu.h - the scheduler's per-CPU state, private to kernel/sched/:
 * what its files (sched.c and the one-concept files beside it) share.
 *
 *   sched.c    the per-CPU table, bring-up of the boot CPU (sched_init)
 *   runq.c     the run queues: priorities, counts, load, aging
 *   place.c    where a waking thread goes (sched_enqueue), reschedule IPIs
 *   steal.c    stealing from the busiest CPU, balancing every few ticks
 *   switch.c   choosing the next thread and switching to it; yield, block
 *   sleep.c    sleeping: a sorted list per CPU
 *   tick.c     the tick, preemption on interrupt return, the AP tick on/off
 *   callout.c  timer callouts: a function at a time, from the tick (callout.h)
 *   idle.c     the idle thread, bring-up of an AP
 *   stats.c    the list of every thread, counters, the ps table
 *   hotplug.c  a CPU going offline (emptied, parked) and coming back
 *
 * Everything in a struct sched_cpu is guarded by its lock (the run-queue
 * lock); the fields marked "unlocked hint" are also read without it, by
 * placement and stealing, which only use them to choose where to look.
 */
#pragma once

#include <stdint.h>

#include "arch/sched_arch.h"
#include "sched/sched.h"

struct sched_cpu {
    struct spinlock lock;       /* the run-queue lock: everything below */
    struct thread *curr;        /* also in percpu.current, for one-instruction reads */
    struct thread *idle;
    struct thread *prev;        /* the thread being switched away from, for finish_switch */
    struct thread_fifo queues[SCHED_PRIO_LEVELS];
    unsigned nonempty;          /* bit p set: queues[p] holds a thread (runq_push, runq_pop) */
    volatile unsigned runnable; /* threads on the queues (read unlocked as a hint) */
    volatile unsigned movable;  /* of which not pinned: what others may steal */
    volatile int need_resched;  /* acted on at interrupt return */
    volatile int online;        /* running threads */
    int ticking;                /* an AP's tick runs (it stops while the AP idles) */
    int slice;                  /* ticks left for curr */
    uint64_t ticks;
    uint64_t switches;
    uint64_t kstack_top;        /* the TSS.RSP0 loaded here (arch_thread_enter, only from switch.c) */
    struct thread *sleepers;    /* sorted by wake_ns */
} __attribute__((aligned(64)));
_Static_assert(SCHED_PRIO_LEVELS <= 32, "sched_cpu.nonempty has a bit per level");

extern struct sched_cpu sched_cpu_table[SMP_MAX_CPUS];
extern volatile unsigned sched_ncpus;  /* sched_cpu_table[0..sched_ncpus-1] may be online */

/* This CPU's: the caller has interrupts off, so it stays here. */
static inline struct sched_cpu *sched_this_cpu(void)
{
    return &sched_cpu_table[percpu_cpu_id()];
}

static inline int sched_cpu_index(const struct sched_cpu *c)
{
    return (int)(c - sched_cpu_table);
}

/* runq.c: the queues of one CPU, its lock held (load: an unlocked read).
 * The accessors are inline: every switch and wake-up calls them. */
static inline void runq_count(struct sched_cpu *c, const struct thread *t, int n)
{
    c->runnable += n;
    if (t->pinned == THREAD_ANY_CPU)
        c->movable += n;
}

/* Onto the back of level p's queue; nonempty follows. */
static inline void runq_push(struct sched_cpu *c, int p, struct thread *t)
{
    thread_fifo_push(&c->queues[p], t);
    c->nonempty |= 1u << p;
}

/* The oldest thread of level p, taken off (NULL when empty); nonempty follows. */
static inline struct thread *runq_pop(struct sched_cpu *c, int p)
{
    struct thread *t = thread_fifo_pop(&c->queues[p]);

    if (!c->queues[p].head)
        c->nonempty &= ~(1u << p);
    return t;
}

/* The highest level with a runnable thread, or -1: one bit scan. */
static inline int runq_top_prio(const struct sched_cpu *c)
{
    return c->nonempty ? 31 - __builtin_clz(c->nonempty) : -1;
}

static inline int runq_current_prio(const struct sched_cpu *c)
{
    return c->curr == c->idle ? -1 : c->curr->prio;
}

/* Threads running or waiting here: what balancing compares. Unlocked read. */
static inline unsigned runq_load(const struct sched_cpu *c)
{
    return c->runnable + (c->curr != c->idle);
}

/* The oldest thread of the highest level, taken off; NULL when all are empty. */
static inline struct thread *runq_pop_top(struct sched_cpu *c)
{
    int p = runq_top_prio(c);
    struct thread *t;

    if (p < 0)
        return 0;
    t = runq_pop(c, p);
    runq_count(c, t, -1);
    return t;
}

struct thread *runq_take_movable(struct sched_cpu *from);
void runq_age(struct sched_cpu *c);

/* place.c */
void sched_enqueue_locked(struct sched_cpu *c, struct thread *t);

/* steal.c */
struct thread *sched_steal(struct sched_cpu *c);
int sched_can_steal(const struct sched_cpu *c);
void sched_balance(struct sched_cpu *c);

/* switch.c */
void sched_reschedule_locked(struct sched_cpu *c);
void sched_reschedule(void);

/* sleep.c */
struct thread *sched_take_due_sleepers(struct sched_cpu *c, uint64_t now);
/* t taken off c's sleep list (c's lock held): 1, or 0 when it is not there. */
int sched_sleep_remove(struct sched_cpu *c, struct thread *t);
/* Every sleeper of `from` onto `to`'s list (one lock at a time); interrupts off. */
void sched_move_sleepers(struct sched_cpu *from, struct sched_cpu *to);

/* tick.c */
void sched_tick_init(void);
void sched_tick_on(struct sched_cpu *c);
void sched_tick_idle(struct sched_cpu *c);

/* idle.c */
__attribute__((noreturn)) void sched_idle_loop(void);
void sched_idle_entry(void *arg);

/* sched.c */
void sched_adopt_running(struct sched_cpu *c, struct thread *t);

/* stats.c */
void sched_count_migration(void);
/* A live thread pinned to cpu other than `except` and cpu's idle thread: 1, its name copied. */
int sched_pinned_thread(int cpu, const struct thread *except, char name[THREAD_NAME_MAX]);
