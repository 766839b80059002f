/*
 * semaphore.c - counting semaphores (see semaphore.h).
 */
#include "sync/lockcheck.h"
#include "sync/semaphore.h"

void sem_init(struct semaphore *s, uint64_t count, const char *name)
{
    spin_init(&s->lk, name);
    s->count = count;
    waitq_init(&s->waiters);
}

void sem_down(struct semaphore *s)
{
    if (lockcheck_may_sleep("sem_down"))
        return;
    spin_lock(&s->lk);
    while (s->count == 0)
        waitq_wait(&s->waiters, &s->lk);
    s->count--;
    spin_unlock(&s->lk);
}

void sem_up(struct semaphore *s)
{
    spin_lock(&s->lk);
    s->count++;
    waitq_wake_one(&s->waiters);
    spin_unlock(&s->lk);
}
