/*
 * lockcheck.c - the lock debugging checker (see lockcheck.h).
 */
#include "arch/x86_64/percpu.h"
#include "panic.h"
#include "sync/lockcheck.h"

static lockcheck_hook_fn *hook;

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

unsigned lockcheck_spins_held(void)
{
    uint64_t flags = arch_irq_save();
    unsigned n = percpu_this()->spins_held;

    arch_irq_restore(flags);
    return n;
}

int lockcheck_may_sleep(const char *where)
{
    if (lockcheck_spins_held() == 0)
        return 0;
    lockcheck_fail(LOCKCHECK_SLEEP_SPINLOCK, "(a spinlock)", where);
    return -1;
}
