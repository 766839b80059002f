/*
 * waitq.c - wait queues (see waitq.h). A FIFO of blocked threads linked
 * through their qnext, guarded by the caller's spinlock. A waiter lets go
 * of that lock only once its CPU's run-queue lock is taken
 * (sched_block_release), so a waker holding it never sees a thread that
 * is queued here but not yet switched out where it cannot wait for that.
 */
#include "sched/sched.h"
#include "sched/waitq.h"
#include "sync/lockcheck.h"

void waitq_init(struct waitq *wq)
{
    wq->threads.head = wq->threads.tail = 0;
}

int waitq_empty(const struct waitq *wq)
{
    return wq->threads.head == 0;
}

void waitq_wait(struct waitq *wq, struct spinlock *lk)
{
    struct thread *self = sched_current();
    uint64_t flags;

    /* lk alone (the common case, read inline) or else counted: more than lk is refused */
    if ((lockcheck_spin_top() != lk || lk->held_below) && lockcheck_spins_held() > 1) {
        lockcheck_fail(LOCKCHECK_SLEEP_SPINLOCK, lk->name, "waitq_wait");
        return;
    }
    thread_fifo_push(&wq->threads, self);
    flags = sched_block_release(THREAD_BLOCKED, lk);
    spin_reacquire(lk, flags);
}

int waitq_wake_one(struct waitq *wq)
{
    struct thread *t = thread_fifo_pop(&wq->threads);

    if (!t)
        return 0;
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
