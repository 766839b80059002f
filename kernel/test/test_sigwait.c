/*
 * test_sigwait.c - ktests for interruptible waits (kernel/sched/intr.c,
 * waitq_wait_intr, sched_sleep_ns_intr): sched_interrupt ends a wait on a
 * wait queue and a sleep early with -EINTR; an ordinary wake-up still
 * returns 0; a wait begun with the flag set ends at once; a wake-up that
 * finds its first waiter already interrupted goes to the next one, so no
 * wake-up is lost to a signal.
 */
#include <stdint.h>

#include "errno.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/waitq.h"
#include "sync/spinlock.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define WAIT_LIMIT_NS   (5 * NS_PER_SEC)        /* a failure's bound only */

struct waiter {
    struct spinlock *lk;
    struct waitq *wq;
    int result;                 /* 1 until the wait returns */
    uint64_t ns;                /* sleep: how long; 0: wait on wq */
};

static void waiter_run(void *arg)
{
    struct waiter *w = arg;
    int r;

    if (w->ns) {
        r = sched_sleep_ns_intr(w->ns);
    } else {
        spin_lock(w->lk);
        r = waitq_wait_intr(w->wq, w->lk);
        spin_unlock(w->lk);
    }
    __atomic_store_n(&w->result, r, __ATOMIC_RELEASE);
}

/* Until t is blocked or sleeping (or the bound passed): 1 when it is. */
static int until_waiting(struct thread *t)
{
    uint64_t end = clock_ns() + WAIT_LIMIT_NS;

    while (clock_ns() < end) {
        enum thread_state s = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);

        if (s == THREAD_BLOCKED || s == THREAD_SLEEPING)
            return 1;
        sched_yield();
    }
    return 0;
}

static struct thread *start(struct waiter *w)
{
    w->result = 1;
    return thread_create("sigwait", waiter_run, w, SCHED_PRIO_DEFAULT);
}

void ktest_waitq_wait_intr_interrupted(struct ktest *t)
{
    struct spinlock lk = SPINLOCK_INIT("ktest-sigwait");
    struct waitq wq = WAITQ_INIT;
    struct waiter w = { &lk, &wq, 1, 0 };
    struct thread *th = start(&w);

    if (!KTEST_ASSERT(t, th))
        return;
    KTEST_ASSERT(t, until_waiting(th));
    KTEST_ASSERT_EQ(t, __atomic_load_n(&w.result, __ATOMIC_ACQUIRE), 1);     /* still waiting */
    sched_interrupt(th);
    thread_join(th);
    KTEST_ASSERT_EQ(t, w.result, -EINTR);
    KTEST_ASSERT(t, waitq_empty(&wq));          /* it took itself off the queue */
}

void ktest_waitq_wait_intr_woken(struct ktest *t)
{
    struct spinlock lk = SPINLOCK_INIT("ktest-sigwait");
    struct waitq wq = WAITQ_INIT;
    struct waiter w = { &lk, &wq, 1, 0 };
    struct thread *th = start(&w);

    if (!KTEST_ASSERT(t, th))
        return;
    KTEST_ASSERT(t, until_waiting(th));
    spin_lock(&lk);
    KTEST_ASSERT_EQ(t, waitq_wake_one(&wq), 1);
    spin_unlock(&lk);
    thread_join(th);
    KTEST_ASSERT_EQ(t, w.result, 0);
}

void ktest_waitq_wait_intr_flag_first(struct ktest *t)
{
    struct spinlock lk = SPINLOCK_INIT("ktest-sigwait");
    struct waitq wq = WAITQ_INIT;
    struct thread *self = sched_current();
    int r;

    __atomic_store_n(&self->sigwake, 1, __ATOMIC_RELEASE);
    spin_lock(&lk);
    r = waitq_wait_intr(&wq, &lk);              /* never blocks: nobody would wake it */
    spin_unlock(&lk);
    KTEST_ASSERT_EQ(t, sched_sleep_ns_intr(10 * NS_PER_SEC), -EINTR);
    sched_clear_interrupt(self);
    KTEST_ASSERT_EQ(t, r, -EINTR);
    KTEST_ASSERT(t, waitq_empty(&wq));
}

/* Two waiters; the first is interrupted and a wake-up comes before it runs: the second gets it. */
void ktest_waitq_wake_passes_on(struct ktest *t)
{
    struct spinlock lk = SPINLOCK_INIT("ktest-sigwait");
    struct waitq wq = WAITQ_INIT;
    struct waiter a = { &lk, &wq, 1, 0 }, b = { &lk, &wq, 1, 0 };
    struct thread *ta = start(&a), *tb;

    if (!KTEST_ASSERT(t, ta))
        return;
    KTEST_ASSERT(t, until_waiting(ta));
    tb = start(&b);
    if (!KTEST_ASSERT(t, tb))
        return;
    KTEST_ASSERT(t, until_waiting(tb));
    spin_lock(&lk);
    sched_interrupt(ta);                        /* ta is runnable, still first in the queue */
    KTEST_ASSERT_EQ(t, waitq_wake_one(&wq), 1);
    spin_unlock(&lk);
    thread_join(ta);
    thread_join(tb);
    KTEST_ASSERT_EQ(t, a.result, -EINTR);
    KTEST_ASSERT_EQ(t, b.result, 0);
    KTEST_ASSERT(t, waitq_empty(&wq));
}

void ktest_sched_sleep_intr(struct ktest *t)
{
    struct waiter w = { 0, 0, 1, 60 * NS_PER_SEC };
    struct thread *th = start(&w);
    uint64_t before;

    if (!KTEST_ASSERT(t, th))
        return;
    KTEST_ASSERT(t, until_waiting(th));
    before = clock_ns();
    sched_interrupt(th);
    thread_join(th);
    KTEST_ASSERT_EQ(t, w.result, -EINTR);
    KTEST_ASSERT(t, clock_ns() - before < WAIT_LIMIT_NS);
    w.ns = NS_PER_MS;                           /* not interrupted: the whole time, 0 */
    th = start(&w);
    if (!KTEST_ASSERT(t, th))
        return;
    thread_join(th);
    KTEST_ASSERT_EQ(t, w.result, 0);
}
