/*
 * mutex.h - blocking mutexes (mutex.c): a lock a thread may hold while it
 * sleeps, waits or is preempted; contenders block on a wait queue instead
 * of spinning.
 *
 * Rules: thread context only (never interrupt handlers); the holder
 * unlocks; no recursion (lockcheck reports a second mutex_lock by the
 * holder, and a mutex_unlock by anyone else); a mutex may be taken with
 * no spinlock held only (mutex_lock can block). Unlock wakes the longest
 * waiter, which takes the lock when it runs (no hand-off: a running
 * thread can take it first, so wake-ups re-check in a loop).
 */
#pragma once

#include "sched/waitq.h"
#include "sync/spinlock.h"

struct mutex {
    struct spinlock lk;         /* guards owner and waiters */
    struct thread *owner;       /* NULL when free */
    struct waitq waiters;
};

#define MUTEX_INIT(n) { SPINLOCK_INIT(n), 0, WAITQ_INIT }

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
/* 1 when the calling thread holds m. */
int mutex_held(const struct mutex *m);
