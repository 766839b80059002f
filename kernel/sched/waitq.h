/*
 * waitq.h - wait queues (waitq.c): where threads block until another
 * thread or an interrupt wakes them. The mutex, semaphore and condition
 * variable (kernel/sync/) and thread_join are built on them.
 *
 * A wait queue is guarded by a spinlock its user chooses (the mutex's,
 * the semaphore's, ...). Rules:
 *   - waitq_wait: the caller holds `lk` and no other spinlock; the thread
 *     joins the queue, lets go of `lk` and blocks, atomically with respect
 *     to a wake-up on any CPU (its CPU's run-queue lock is taken before
 *     `lk` is let go: sched_block_release), and holds `lk` again when it
 *     returns. Wake-ups can be spurious: re-check the condition in
 *     a loop;
 *   - waitq_wake_one / waitq_wake_all: the caller holds the same lock;
 *     woken threads become runnable (FIFO order: the longest waiter first),
 *     on the CPU the scheduler places them on (sched.h).
 */
#pragma once

#include "sync/spinlock.h"

struct thread;

/* A first-in first-out list of threads linked through their qnext: a wait
 * queue, and each of the scheduler's run queues. Its operations are in
 * thread.h (they need struct thread). */
struct thread_fifo {
    struct thread *head, *tail;
};

struct waitq {
    struct thread_fifo threads;
};

#define WAITQ_INIT { { 0, 0 } }

void waitq_init(struct waitq *wq);
void waitq_wait(struct waitq *wq, struct spinlock *lk);
/*
 * The same, interruptible: -EINTR when sched_interrupt (a signal sent to
 * the thread: kernel/proc/signal.c) came before or during the wait, 0 when
 * waitq_wake_* woke it (the caller re-checks its condition; a signal still
 * pending ends the next wait at once). `lk` is held again on return either way.
 */
int waitq_wait_intr(struct waitq *wq, struct spinlock *lk);
/* 1 when a thread was woken, 0 when none waited. */
int waitq_wake_one(struct waitq *wq);
/* How many were woken. */
int waitq_wake_all(struct waitq *wq);
int waitq_empty(const struct waitq *wq);
