/*
 * lockcheck.c - the lock debugging checker (see lockcheck.h).
 *
 * A report is formatted once ("WHERE: lockcheck: WHAT 'LOCK'") and either
 * panics or goes to the test's hook. hook_lock guards the hook and the CPU
 * that installed it; the hook itself is called after hook_lock is let go.
 */
#include "arch/cpu_local.h"
#include "format.h"
#include "ksyms.h"
#include "mutant.h"
#include "panic.h"
#include "sync/lockcheck.h"

#define REPORT_MAX 200

static struct spinlock hook_lock = SPINLOCK_INIT("lockcheck hook");
static lockcheck_hook_fn *hook;
static int hook_cpu = -1;

static const char *describe(enum lockcheck_error e)
{
    switch (e) {
    case LOCKCHECK_RECURSIVE:       return "recursive acquisition of";
    case LOCKCHECK_SLEEP_SPINLOCK:  return "blocking with a spinlock held, near";
    case LOCKCHECK_NOT_OWNER:       return "unlock by a non-owner of";
    case LOCKCHECK_NOT_HELD:        return "the caller does not hold";
    default:                        return "misuse of";
    }
}

/* This CPU's hook, or NULL (none, or another CPU's). */
static lockcheck_hook_fn *this_cpu_hook(void)
{
    lockcheck_hook_fn *h;

    spin_lock(&hook_lock);
    h = hook_cpu == (int)percpu_cpu_id() ? hook : 0;
    spin_unlock(&hook_lock);
    return h;
}

static void report(const char *msg)
{
    lockcheck_hook_fn *h = this_cpu_hook();

    if (MUTANT_ENABLED(lockcheck)) return;
    if (!h)
        panic("%s", msg);
    h(msg);
}

void lockcheck_fail(enum lockcheck_error e, const char *lock_name, const char *where)
{
    char msg[REPORT_MAX];

    format_snprintf(msg, sizeof msg, "%s: lockcheck: %s '%s'", where, describe(e),
                    lock_name ? lock_name : "?");
    report(msg);
}

void lockcheck_fail_order(const struct spinlock *l, const struct spinlock *later,
                          const void *caller)
{
    char msg[REPORT_MAX], from[64];

    ksyms_describe((uint64_t)caller, from, sizeof from);
    format_snprintf(msg, sizeof msg,
                    "spin_unlock: lockcheck: '%s' released before '%s', taken after it and "
                    "still held (out of order), called from %s", l->name, later->name, from);
    report(msg);
}

lockcheck_hook_fn *lockcheck_set_hook(lockcheck_hook_fn *h)
{
    lockcheck_hook_fn *old;

    spin_lock(&hook_lock);
    old = hook_cpu == (int)percpu_cpu_id() ? hook : 0;
    hook = h;
    hook_cpu = h ? (int)percpu_cpu_id() : -1;
    spin_unlock(&hook_lock);
    return old;
}

void lockcheck_spin_unlink(struct spinlock *l)
{
    struct spinlock *above = percpu_spin_top();

    while (above && above->held_below != l)
        above = above->held_below;
    if (above)
        above->held_below = l->held_below;
}

unsigned lockcheck_spins_held(void)
{
    uint64_t flags = arch_irq_save();
    unsigned n = 0;

    for (const struct spinlock *l = percpu_spin_top(); l; l = l->held_below)
        n++;
    arch_irq_restore(flags);
    return n;
}

int lockcheck_sleep_refused(const char *where)
{
    if (lockcheck_spins_held() == 0)
        return 0;
    lockcheck_fail(LOCKCHECK_SLEEP_SPINLOCK, "(a spinlock)", where);
    return -1;
}
