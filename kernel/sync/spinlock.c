/*
 * spinlock.c - spinlocks (see spinlock.h).
 */
#include <stdint.h>

#include "arch.h"
#include "sched/sched.h"
#include "sync/lockcheck.h"
#include "sync/spinlock.h"

void spin_init(struct spinlock *l, const char *name)
{
    *l = (struct spinlock)SPINLOCK_INIT(name);
}

int spin_held(const struct spinlock *l)
{
    return l->locked && l->owner_cpu == sched_cpu_id();
}

static void take_flag(struct spinlock *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            arch_cpu_relax();
    l->owner_cpu = sched_cpu_id();
    lockcheck_spin_acquired();
}

static void drop_flag(struct spinlock *l)
{
    l->owner_cpu = -1;
    lockcheck_spin_released();
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

void spin_lock(struct spinlock *l)
{
    uint64_t flags = arch_irq_save();

    if (spin_held(l)) {
        lockcheck_fail(LOCKCHECK_RECURSIVE, l->name, "spin_lock");
        arch_irq_restore(flags);
        return;
    }
    take_flag(l);
    l->saved_flags = flags;
}

void spin_unlock(struct spinlock *l)
{
    uint64_t flags = l->saved_flags;

    if (!spin_held(l)) {
        lockcheck_fail(LOCKCHECK_NOT_OWNER, l->name, "spin_unlock");
        return;
    }
    drop_flag(l);
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
    take_flag(l);
    l->saved_flags = saved_flags;
}
