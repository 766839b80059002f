/*
 * lockcheck.h - the lock debugging checker (lockcheck.c).
 *
 * The locks (spinlock.c, mutex.c) and the scheduler report misuse here:
 *   - a recursive acquisition (a spinlock this CPU holds, a mutex this
 *     thread holds): a deadlock for certain;
 *   - blocking (sleep, wait, join, yield) with a spinlock held: interrupts
 *     are off and another thread may spin on it for ever;
 *   - unlocking a lock the caller does not hold;
 *   - spin_unlock of a lock while a spinlock taken after it is still held
 *     here (out of order: its saved flags would turn interrupts back on
 *     under the newer lock), reported with both names and the caller;
 *   - a function that needs a lock held called without it
 *     (spin_assert_held, spinlock.h).
 * By default a report panics ("WHERE: lockcheck: ..."). A test installs a
 * hook with lockcheck_set_hook: the hook is called with the report instead
 * (only for misuse on the CPU that installed it: any other CPU still
 * panics), and the offending operation returns without doing anything (no
 * lock taken or released, no sleep), so the test can count and carry on.
 * The hook and its CPU are guarded by hook_lock (lockcheck.c).
 *
 * It reads the spinlocks held on this CPU, a stack linked through each
 * lock's held_below (struct percpu's spin_top is the newest; spinlock.h
 * pushes and pops): it gives the order, and the blocking paths check that
 * it is empty. A thread holding a spinlock cannot move to another CPU
 * (interrupts are off), so both are the running thread's; a run-queue lock
 * handed over across a switch stays on the CPU it was taken on.
 */
#pragma once

#include "arch/cpu_local.h"
#include "sync/spinlock.h"

/* what: the whole report, as the panic would print it. */
typedef void lockcheck_hook_fn(const char *what);

enum lockcheck_error {
    LOCKCHECK_OK = 0,
    LOCKCHECK_RECURSIVE,
    LOCKCHECK_SLEEP_SPINLOCK,
    LOCKCHECK_NOT_OWNER,
    LOCKCHECK_NOT_HELD,
};

/* Report misuse: panics, or calls the test's hook and returns. */
void lockcheck_fail(enum lockcheck_error e, const char *lock_name, const char *where);
/* spin_unlock(l) from `caller` while `later`, taken after l, is still held here. */
void lockcheck_fail_order(const struct spinlock *l, const struct spinlock *later,
                          const void *caller);
/* Install (NULL: remove) this CPU's hook; returns the previous one. */
lockcheck_hook_fn *lockcheck_set_hook(lockcheck_hook_fn *hook);

/* The newest spinlock this CPU holds, or NULL. One %gs read (percpu.h). */
static inline struct spinlock *lockcheck_spin_top(void)
{
    return percpu_spin_top();
}

/* A release below the top of the stack (noirq locks may: sched_block_release). */
void lockcheck_spin_unlink(struct spinlock *l);

/* A release of l by whatever order (spin_release_keep_irq): off the stack.
 * Inline up to one below the top: a wait queue's lock under the run-queue
 * lock (sched_block_release), on every wait. */
static inline void lockcheck_spin_released(struct spinlock *l)
{
    struct spinlock *top = percpu_spin_top();

    if (top == l)
        spin_held_pop(l);
    else if (top && top->held_below == l)
        top->held_below = l->held_below;
    else
        lockcheck_spin_unlink(l);
}

/* How many: the stack's depth (tests, waitq_wait). */
unsigned lockcheck_spins_held(void);

/* lockcheck_may_sleep's slow path: reports blocking with a spinlock held. */
int lockcheck_sleep_refused(const char *where);

/*
 * Before blocking: 0 when allowed, else reported (and the caller must not
 * block). Inline, one %gs read: every yield, wait and sleep asks. Safe with
 * interrupts on: a thread that holds no spinlock may move between CPUs, but
 * then the CPU it reads holds none either (a spinlock keeps interrupts off
 * while held, so no other thread runs there meanwhile).
 */
static inline int lockcheck_may_sleep(const char *where)
{
    if (__builtin_expect(percpu_spin_top() == 0, 1))
        return 0;
    return lockcheck_sleep_refused(where);
}
