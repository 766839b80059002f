/*
 * lockcheck.h - the lock debugging checker (lockcheck.c).
 *
 * The locks (spinlock.c, mutex.c) and the scheduler report misuse here:
 *   - a recursive acquisition (a spinlock this CPU holds, a mutex this
 *     thread holds): a deadlock for certain;
 *   - blocking (sleep, wait, join, yield) with a spinlock held: interrupts
 *     are off and another thread may spin on it for ever;
 *   - unlocking a lock the caller does not hold.
 * By default lockcheck_fail panics ("lockcheck: ..."). A test installs a
 * hook with lockcheck_set_hook: the hook is called instead, and the
 * offending operation returns without doing anything (no lock taken or
 * released, no sleep), so the test can count and carry on.
 *
 * It also counts the spinlocks held on this CPU (struct percpu's
 * spins_held), which the blocking paths check. A thread holding a spinlock
 * cannot move to another CPU (interrupts are off), so the count is the
 * running thread's.
 */
#pragma once

#include "arch/x86_64/percpu.h"

typedef void lockcheck_hook_fn(const char *what);

enum lockcheck_error {
    LOCKCHECK_OK = 0,
    LOCKCHECK_RECURSIVE,
    LOCKCHECK_SLEEP_SPINLOCK,
    LOCKCHECK_NOT_OWNER,
};

/* Report misuse: panics, or calls the test's hook and returns. */
void lockcheck_fail(enum lockcheck_error e, const char *lock_name, const char *where);
lockcheck_hook_fn *lockcheck_set_hook(lockcheck_hook_fn *hook);

/* Spinlocks held on this CPU (spinlock.c keeps it, interrupts off: the
 * caller stays on this CPU). Inline: every spinlock operation counts. */
static inline void lockcheck_spin_acquired(void)
{
    percpu_this()->spins_held++;
}

static inline void lockcheck_spin_released(void)
{
    percpu_this()->spins_held--;
}

unsigned lockcheck_spins_held(void);

/* Before blocking: 0 when allowed, else reported (and the caller must not block). */
int lockcheck_may_sleep(const char *where);
