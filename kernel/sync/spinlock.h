/*
 * spinlock.h - spinlocks that save and restore the interrupt flag
 * (spinlock.c).
 *
 * spin_lock disables interrupts on this CPU, then takes the lock's atomic
 * flag (an xchg loop: on one CPU it is always free, since holding it
 * means interrupts are off; with several the loop is what waits); spin_unlock
 * releases the flag and restores the interrupt flag as spin_lock found
 * it. So a spinlock may be taken anywhere, interrupt handlers included.
 *
 * Rules: hold a spinlock briefly; never block while holding one
 * (lockcheck panics); release in the reverse order of acquisition (the
 * saved flags nest that way: spin_unlock of a lock while one taken after
 * it is still held would turn interrupts back on under that one, and
 * lockcheck reports it, naming both locks and the caller); the lock order
 * is in docs/locking.md. Recursion and unlocking a lock this CPU does not
 * hold go to lockcheck too.
 *
 * Each CPU keeps the spinlocks it holds as a stack linked through
 * held_below (struct percpu's spin_top is the newest: spin_held_push,
 * spin_held_pop), which is how spin_unlock knows the order. A function
 * that expects its caller to hold a lock (the *_locked ones) says so with
 * spin_assert_held(l): one compare of the owner CPU, lockcheck's report
 * when it fails.
 */
#pragma once

#include <stdint.h>

#include "arch/cpu_local.h"

struct spinlock {
    volatile uint32_t locked;   /* 1 while held: the atomic flag */
    int owner_cpu;              /* valid while locked */
    uint64_t saved_flags;       /* RFLAGS at spin_lock, restored at spin_unlock */
    const char *name;
    struct spinlock *held_below; /* while held: the lock this CPU took before it (lockcheck.h) */
};

#define SPINLOCK_INIT(n) { 0, -1, 0, (n), 0 }

void spin_init(struct spinlock *l, const char *name);
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);

/* 1 when this CPU holds l. */
static inline int spin_held(const struct spinlock *l)
{
    return l->locked && l->owner_cpu == (int)percpu_cpu_id();
}

/* Report (lockcheck) unless this CPU holds l; `where` names the function asking. */
void spin_assert_failed(const struct spinlock *l, const char *where);
#define spin_assert_held(l)                         \
    do {                                            \
        if (!spin_held(l))                          \
            spin_assert_failed((l), __func__);      \
    } while (0)

/*
 * For waitq_wait (kernel/sched/waitq.c): let go of the flag but keep
 * interrupts off, and take it back later, keeping saved_flags: the
 * caller's spin_unlock restores them as if nothing happened.
 */
uint64_t spin_release_keep_irq(struct spinlock *l);
void spin_reacquire(struct spinlock *l, uint64_t saved_flags);

/*
 * The stack of spinlocks this CPU holds (the lock checker's, lockcheck.h):
 * push makes l the newest; pop takes l off when it is the newest (the
 * caller checked). One %gs access each (percpu_spin_top).
 */
static inline void spin_held_push(struct spinlock *l)
{
    l->held_below = percpu_spin_top();
    percpu_set_spin_top(l);
}

static inline void spin_held_pop(struct spinlock *l)
{
    percpu_set_spin_top(l->held_below);
}

/* The common release: l is this CPU's newest lock (so this CPU holds it). */
static inline void spin_drop_top(struct spinlock *l)
{
    l->owner_cpu = -1;
    spin_held_pop(l);
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/*
 * The flag was taken when l was tried: this CPU's own (recursion: reported,
 * 0 returned, nothing taken; `who` names the caller) or another's (waits
 * for it and takes it: 1). Only here does taking a lock look for recursion:
 * a free lock cannot be this CPU's.
 */
int spin_wait_flag(struct spinlock *l, const char *who);

/* Take l's flag and push it on this CPU's stack; 0 on recursion (reported). */
static inline int spin_take_flag(struct spinlock *l, const char *who)
{
    if (__builtin_expect(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0, 0) &&
        !spin_wait_flag(l, who))
        return 0;
    l->owner_cpu = (int)percpu_cpu_id();
    spin_held_push(l);
    return 1;
}

/*
 * With interrupts already off and left alone (the scheduler's run-queue
 * locks, kernel/sched/): no flags saved or restored. Inline: every switch
 * takes and releases one. trylock takes the lock only if it is free at
 * once: 1 if taken. Unlocking a lock that is not this CPU's newest goes
 * out of line (spin_unlock_noirq_below: not held, or a release below the
 * top, which the noirq locks may do: sched_block_release).
 */
static inline void spin_lock_noirq(struct spinlock *l)
{
    (void)spin_take_flag(l, "spin_lock_noirq");
}

int spin_trylock_noirq(struct spinlock *l);
void spin_unlock_noirq_below(struct spinlock *l);

static inline void spin_unlock_noirq(struct spinlock *l)
{
    if (__builtin_expect(percpu_spin_top() != l, 0)) {
        spin_unlock_noirq_below(l);
        return;
    }
    spin_drop_top(l);
}
