/*
 * semaphore.h - counting semaphores (semaphore.c): sem_down takes one
 * unit, blocking while there are none; sem_up gives one back and wakes a
 * waiter. Thread context for sem_down; sem_up may also be called from an
 * interrupt handler (it only takes the semaphore's spinlock). No owner,
 * so no lockcheck beyond "never block with a spinlock held".
 */
#pragma once

#include <stdint.h>

#include "sched/waitq.h"
#include "sync/spinlock.h"

struct semaphore {
    struct spinlock lk;         /* guards count and waiters */
    uint64_t count;
    struct waitq waiters;
};

void sem_init(struct semaphore *s, uint64_t count, const char *name);
void sem_down(struct semaphore *s);
void sem_up(struct semaphore *s);
