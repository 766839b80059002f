/*
 * condvar.c - condition variables on wait queues (see condvar.h).
 */
#include "sync/condvar.h"
#include "sync/lockcheck.h"

void cond_init(struct condvar *cv, const char *name)
{
    spin_init(&cv->lk, name);
    waitq_init(&cv->waiters);
}

void cond_wait(struct condvar *cv, struct mutex *m)
{
    if (lockcheck_may_sleep("cond_wait"))
        return;
    spin_lock(&cv->lk);
    mutex_unlock(m);
    waitq_wait(&cv->waiters, &cv->lk);
    spin_unlock(&cv->lk);
    mutex_lock(m);
}

void cond_signal(struct condvar *cv)
{
    spin_lock(&cv->lk);
    waitq_wake_one(&cv->waiters);
    spin_unlock(&cv->lk);
}

void cond_broadcast(struct condvar *cv)
{
    spin_lock(&cv->lk);
    waitq_wake_all(&cv->waiters);
    spin_unlock(&cv->lk);
}
