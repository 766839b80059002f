/*
 * runq.c - one CPU's run queues (sched_cpu.h): a FIFO per priority, the
 * counts placement and stealing read, and aging.
 *
 * Every function here is called with the CPU's run-queue lock held. The
 * small accessors (runq_count, runq_push, runq_pop, runq_top_prio,
 * runq_current_prio, runq_load, the last an unlocked read that only serves
 * as a hint, and runq_pop_top) are inline in sched_cpu.h: every switch and
 * wake-up calls them. A bit per level (nonempty) says which queues hold a
 * thread, so the top one is a bit scan; only runq_push, runq_pop and
 * take_out touch the queues, and they keep it. runnable counts
 * the threads on the queues, movable those of them not pinned: what other
 * CPUs may steal. Aging: the head of a queue (its longest waiter) that has
 * waited SCHED_AGING_TICKS moves to the back of the next level up; top
 * down, so a thread climbs at most one level per tick.
 */
#include "mutant.h"
#include "sched/sched_cpu.h"

/* Take t out of level p's queue, from after `before` (NULL: t is the head). */
static void take_out(struct sched_cpu *c, int p, struct thread *before, struct thread *t)
{
    struct thread_fifo *q = &c->queues[p];

    if (before)
        before->qnext = t->qnext;
    else
        q->head = t->qnext;
    if (q->tail == t)
        q->tail = before;
    if (!q->head)
        c->nonempty &= ~(1u << p);
}

/* The highest-priority thread `from` may give away, taken off its queues. */
struct thread *runq_take_movable(struct sched_cpu *from)
{
    for (int p = SCHED_PRIO_MAX; p >= SCHED_PRIO_MIN; p--) {
        struct thread *before = 0;

        for (struct thread *t = from->queues[p].head; t; before = t, t = t->qnext)
            if (t->pinned == THREAD_ANY_CPU) {
                take_out(from, p, before, t);
                runq_count(from, t, -1);
                return t;
            }
    }
    return 0;
}

void runq_age(struct sched_cpu *c)
{
    if (MUTANT_ENABLED(aging)) return;
    for (int p = SCHED_PRIO_MAX - 1; p >= SCHED_PRIO_MIN; p--) {
        struct thread *t = c->queues[p].head;

        if (!t || c->ticks - t->queued_tick < SCHED_AGING_TICKS)
            continue;
        runq_pop(c, p);
        t->prio = p + 1;
        t->queued_tick = c->ticks;
        runq_push(c, p + 1, t);
    }
}
