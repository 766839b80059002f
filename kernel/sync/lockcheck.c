/*
 * lockcheck.c - the lock debugging checker (see lockcheck.h).
 */
#include "panic.h"
#include "sync/lockcheck.h"

static lockcheck_hook_fn *hook;
static unsigned spins_held;            /* this CPU's: per CPU with SMP */

static const char *describe(enum lockcheck_error e)
{
    switch (e) {
    case LOCKCHECK_RECURSIVE:       return "recursive acquisition of";
    case LOCKCHECK_SLEEP_SPINLOCK:  return "blocking with a spinlock held, near";
    case LOCKCHECK_NOT_OWNER:       return "unlock by a non-owner of";
    default:                        return "misuse of";
    }
}

void lockcheck_fail(enum lockcheck_error e, const char *lock_name, const char *where)
{
    if (hook) {
        hook(describe(e));
        return;
    }
    panic("%s: lockcheck: %s '%s'", where, describe(e), lock_name ? lock_name : "?");
}

lockcheck_hook_fn *lockcheck_set_hook(lockcheck_hook_fn *h)
{
    lockcheck_hook_fn *old = hook;

    hook = h;
    return old;
}

void lockcheck_spin_acquired(void)
{
    spins_held++;
}

void lockcheck_spin_released(void)
{
    spins_held--;
}

unsigned lockcheck_spins_held(void)
{
    return spins_held;
}

int lockcheck_may_sleep(const char *where)
{
    if (spins_held == 0)
        return 0;
    lockcheck_fail(LOCKCHECK_SLEEP_SPINLOCK, "(a spinlock)", where);
    return -1;
}
