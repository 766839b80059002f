/*
 * waitq.c - wait queues (see waitq.h). A FIFO of blocked threads linked
 * through their wnext, guarded by the caller's spinlock. A waiter lets go
 * of that lock only once its CPU's run-queue lock is taken
 * (sched_block_release), so a waker holding it never sees a thread that
 * is queued here but not yet switched out where it cannot wait for that.
 * waitq_wait_intr waits the same way but ends early, -EINTR, when
 * sched_interrupt (intr.c, for a signal) comes; intr.c says how the two
 * wakers agree on who queues the thread.
 */
#include "errno.h"
#include "mutant.h"
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

/*
 * The queue is linked through the threads' wnext, not qnext: a waiter
 * sched_interrupt made runnable sits on a run queue (qnext) until it takes
 * itself off this one.
 */
static void wq_push(struct thread_fifo *q, struct thread *t)
{
    t->wnext = 0;
    if (q->tail)
        q->tail->wnext = t;
    else
        q->head = t;
    q->tail = t;
}

static struct thread *wq_pop(struct thread_fifo *q)
{
    struct thread *t = q->head;

    if (t && !(q->head = t->wnext))
        q->tail = 0;
    return t;
}

/* t taken out of the queue wherever it is (nothing when it is not there). */
static void wq_remove(struct thread_fifo *q, struct thread *t)
{
    struct thread *prev = 0, *p = q->head;

    while (p && p != t) {
        prev = p;
        p = p->wnext;
    }
    if (!p)
        return;
    if (prev)
        prev->wnext = t->wnext;
    else
        q->head = t->wnext;
    if (q->tail == t)
        q->tail = prev;
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
    wq_push(&wq->threads, self);
    flags = sched_block_release(THREAD_BLOCKED, lk);
    spin_reacquire(lk, flags);
}

int waitq_wait_intr(struct waitq *wq, struct spinlock *lk)
{
    struct thread *self = sched_current();
    uint64_t flags;
    int err;

    if ((lockcheck_spin_top() != lk || lk->held_below) && lockcheck_spins_held() > 1) {
        lockcheck_fail(LOCKCHECK_SLEEP_SPINLOCK, lk->name, "waitq_wait_intr");
        return -EINTR;
    }
    if (sched_interrupted(self))
        return -EINTR;
    self->wait_intr = 1;
    self->wake_claimed = WAKE_NONE;
    wq_push(&wq->threads, self);
    err = sched_block_release_intr(lk, &flags);
    if (!err)
        spin_reacquire(lk, flags);
    self->wait_intr = 0;
    if (err || __atomic_load_n(&self->wake_claimed, __ATOMIC_ACQUIRE) == WAKE_BY_INTERRUPT) {
        wq_remove(&wq->threads, self);          /* still queued, or popped and passed over */
        return -EINTR;
    }
    return 0;
}

int waitq_wake_one(struct waitq *wq)
{
    struct thread *t;

    while ((t = wq_pop(&wq->threads)) != 0) {
        int none = WAKE_NONE;

        /* an interruptible waiter sched_interrupt already woke: the next one gets this wake-up */
        if (t->wait_intr && !MUTANT_ENABLED(sigwait_pass_on) && !__atomic_compare_exchange_n(&t->wake_claimed, &none, WAKE_BY_QUEUE, 0,
                                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            continue;
        sched_enqueue(t);
        return 1;
    }
    return 0;
}

int waitq_wake_all(struct waitq *wq)
{
    int n = 0;

    while (waitq_wake_one(wq))
        n++;
    return n;
}
