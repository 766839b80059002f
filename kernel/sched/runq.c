/*
 * runq.c - one CPU's run queues (sched_cpu.h): a FIFO per priority, the
 * counts placement and stealing read, and aging.
 *
 * Every function here is called with the CPU's run-queue lock held. The
 * small accessors (runq_count, runq_top_prio, runq_current_prio, runq_load,
 * the last an unlocked read that only serves as a hint) are inline in
 * sched_cpu.h: every switch and wake-up calls them. runnable counts
 * the threads on the queues, movable those of them not pinned: what other
 * CPUs may steal. Aging: the head of a queue (its longest waiter) that has
 * waited SCHED_AGING_TICKS moves to the back of the next level up; top
 * down, so a thread climbs at most one level per tick.
 */
#include "mutant.h"
#include "sched/sched_cpu.h"

/* Take t out from after `before` (NULL: t is the head). */
void runq_unlink(struct thread_fifo *q, struct thread *before, struct thread *t)
{
    if (before)
        before->qnext = t->qnext;
    else
        q->head = t->qnext;
    if (q->tail == t)
        q->tail = before;
}

/* The oldest thread of the highest level, taken off; NULL when all are empty. */
struct thread *runq_pop_top(struct sched_cpu *c)
{
    int p = runq_top_prio(c);
    struct thread *t;

    if (p < 0)
        return 0;
    t = thread_fifo_pop(&c->queues[p]);
    runq_count(c, t, -1);
    return t;
}

/* The highest-priority thread `from` may give away, taken off its queues. */
struct thread *runq_take_movable(struct sched_cpu *from)
{
    for (int p = SCHED_PRIO_MAX; p >= SCHED_PRIO_MIN; p--) {
        struct thread *before = 0;

        for (struct thread *t = from->queues[p].head; t; before = t, t = t->qnext)
            if (t->pinned == THREAD_ANY_CPU) {
                runq_unlink(&from->queues[p], before, t);
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
        thread_fifo_pop(&c->queues[p]);
        t->prio = p + 1;
        t->queued_tick = c->ticks;
        thread_fifo_push(&c->queues[p + 1], t);
    }
}
