/*
 * mutex.c - blocking mutexes (see mutex.h).
 */
#include "sched/sched.h"
#include "sync/lockcheck.h"
#include "sync/mutex.h"

void mutex_init(struct mutex *m, const char *name)
{
    spin_init(&m->lk, name);
    m->owner = 0;
    waitq_init(&m->waiters);
}

int mutex_held(const struct mutex *m)
{
    return m->owner == sched_current();
}

void mutex_lock(struct mutex *m)
{
    struct thread *self = sched_current();

    if (lockcheck_may_sleep("mutex_lock"))
        return;
    spin_lock(&m->lk);
    if (m->owner == self) {
        spin_unlock(&m->lk);
        lockcheck_fail(LOCKCHECK_RECURSIVE, m->lk.name, "mutex_lock");
        return;
    }
    while (m->owner)
        waitq_wait(&m->waiters, &m->lk);
    m->owner = self;
    spin_unlock(&m->lk);
}

void mutex_unlock(struct mutex *m)
{
    spin_lock(&m->lk);
    if (m->owner != sched_current()) {
        spin_unlock(&m->lk);
        lockcheck_fail(LOCKCHECK_NOT_OWNER, m->lk.name, "mutex_unlock");
        return;
    }
    m->owner = 0;
    waitq_wake_one(&m->waiters);
    spin_unlock(&m->lk);
}
