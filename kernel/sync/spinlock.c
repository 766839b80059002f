/*
 * spinlock.c - spinlocks (see spinlock.h).
 *
 * The wait loop reads the flag until it looks free before trying the
 * atomic exchange again (no cache-line ping-pong while waiting), and
 * serves TLB shootdowns meanwhile (tlb.h): the CPU holding the lock may
 * be the one waiting for this CPU's answer, with interrupts off.
 */
#include <stdint.h>

#include "arch.h"
#include "arch/cpu_local.h"
#include "sync/lockcheck.h"
#include "sync/spinlock.h"

void spin_init(struct spinlock *l, const char *name)
{
    *l = (struct spinlock)SPINLOCK_INIT(name);
}

void spin_assert_failed(const struct spinlock *l, const char *where)
{
    lockcheck_fail(LOCKCHECK_NOT_HELD, l->name, where);
}

int spin_wait_flag(struct spinlock *l, const char *who)
{
    if (spin_held(l)) {
        lockcheck_fail(LOCKCHECK_RECURSIVE, l->name, who);
        return 0;
    }
    do
        while (l->locked) {
            tlb_shootdown_poll();
            arch_cpu_relax();
        }
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE));
    return 1;
}

static void drop_flag(struct spinlock *l)
{
    l->owner_cpu = -1;
    lockcheck_spin_released(l);
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* spin_unlock of a lock that is not this CPU's newest: not held, or out of order. */
static __attribute__((noinline)) void unlock_refused(struct spinlock *l, const void *caller)
{
    if (!spin_held(l))
        lockcheck_fail(LOCKCHECK_NOT_OWNER, l->name, "spin_unlock");
    else
        lockcheck_fail_order(l, lockcheck_spin_top(), caller);
}

void spin_lock(struct spinlock *l)
{
    uint64_t flags = arch_irq_save();

    if (!spin_take_flag(l, "spin_lock")) {
        arch_irq_restore(flags);
        return;
    }
    l->saved_flags = flags;
}

void spin_unlock(struct spinlock *l)
{
    uint64_t flags = l->saved_flags;

    if (__builtin_expect(percpu_spin_top() != l, 0)) {
        unlock_refused(l, __builtin_return_address(0));
        return;
    }
    spin_drop_top(l);
    arch_irq_restore(flags);
}

uint64_t spin_release_keep_irq(struct spinlock *l)
{
    uint64_t flags = l->saved_flags;

    drop_flag(l);
    return flags;
}

void spin_reacquire(struct spinlock *l, uint64_t saved_flags)
{
    if (spin_take_flag(l, "spin_reacquire"))
        l->saved_flags = saved_flags;
}

int spin_trylock_noirq(struct spinlock *l)
{
    if (l->locked || __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        return 0;
    l->owner_cpu = (int)percpu_cpu_id();
    spin_held_push(l);
    return 1;
}

void spin_unlock_noirq_below(struct spinlock *l)
{
    if (!spin_held(l)) {
        lockcheck_fail(LOCKCHECK_NOT_OWNER, l->name, "spin_unlock_noirq");
        return;
    }
    drop_flag(l);
}
