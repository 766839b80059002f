/*
 * condvar.h - condition variables (condvar.c), used with a mutex:
 *     mutex_lock(&m);
 *     while (!condition)
 *         cond_wait(&cv, &m);
 *     ...
 *     mutex_unlock(&m);
 * cond_wait releases m and sleeps as one step (no signal sent in between
 * is lost: the condvar's spinlock is taken before m is released, and
 * cond_signal takes it too), and holds m again on return. Wake-ups may be
 * spurious: always wait in a loop. cond_signal wakes one waiter,
 * cond_broadcast all; signal with or without m held.
 * Lock order: cv.lk, then m.lk (inside mutex_unlock) (docs/locking.md).
 */
#pragma once

#include "sched/waitq.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

struct condvar {
    struct spinlock lk;         /* guards waiters */
    struct waitq waiters;
};

void cond_init(struct condvar *cv, const char *name);
void cond_wait(struct condvar *cv, struct mutex *m);
void cond_signal(struct condvar *cv);
void cond_broadcast(struct condvar *cv);
