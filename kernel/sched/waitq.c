/*
 * waitq.c - wait queues (see waitq.h). A FIFO of blocked threads linked
 * through their qnext; the guarding spinlock keeps interrupts off, which
 * is also the scheduler's lock on one CPU.
 */
#include "sched/sched.h"
#include "sched/waitq.h"
#include "sync/lockcheck.h"

void waitq_init(struct waitq *wq)
{
    wq->head = wq->tail = 0;
}

int waitq_empty(const struct waitq *wq)
{
    return wq->head == 0;
}

void waitq_wait(struct waitq *wq, struct spinlock *lk)
{
    struct thread *self = sched_current();
    uint64_t flags;

    if (lockcheck_spins_held() > 1) {
        lockcheck_fail(LOCKCHECK_SLEEP_SPINLOCK, lk->name, "waitq_wait");
        return;
    }
    self->qnext = 0;
    if (wq->tail)
        wq->tail->qnext = self;
    else
        wq->head = self;
    wq->tail = self;
    flags = spin_release_keep_irq(lk);
    sched_block(THREAD_BLOCKED);
    spin_reacquire(lk, flags);
}

int waitq_wake_one(struct waitq *wq)
{
    struct thread *t = wq->head;

    if (!t)
        return 0;
    if (!(wq->head = t->qnext))
        wq->tail = 0;
    sched_enqueue(t);
    return 1;
}

int waitq_wake_all(struct waitq *wq)
{
    int n = 0;

    while (waitq_wake_one(wq))
        n++;
    return n;
}
