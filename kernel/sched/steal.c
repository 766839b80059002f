/*
 * steal.c - stealing and balancing: threads move between CPUs.
 *
 * A CPU with nothing to run steals the highest-priority movable thread of
 * the busiest other CPU (sched_steal, from pick_next in switch.c); every
 * SCHED_BALANCE_TICKS its tick pulls one from a CPU at least two threads
 * busier (sched_balance). The caller holds its own run-queue lock, so the
 * other CPU's lock is only ever tried, never waited for: two CPUs stealing
 * from each other cannot deadlock. Which CPU is busiest is an unlocked
 * read (a hint); a steal that finds the lock taken simply gives up. An
 * offline CPU (hotplug.c) neither steals nor is stolen from.
 */
#include "mutant.h"
#include "sched/sched_cpu.h"

/* The other CPU with the most threads it may give away, or NULL. Unlocked reads: a hint. */
static struct sched_cpu *busiest(const struct sched_cpu *c)
{
    struct sched_cpu *from = 0;

    for (unsigned i = 0; i < sched_ncpus; i++) {
        struct sched_cpu *o = &sched_cpu_table[i];

        if (o != c && o->online && o->movable && (!from || o->movable > from->movable))
            from = o;
    }
    return from;
}

/* One thread off `from`, if its lock is free right now (we hold our own). */
static struct thread *steal_from(struct sched_cpu *from)
{
    struct thread *t;

    if (!from || !spin_trylock_noirq(&from->lock))
        return 0;
    t = runq_take_movable(from);
    spin_unlock_noirq(&from->lock);
    return t;
}

struct thread *sched_steal(struct sched_cpu *c)
{
    return MUTANT_ENABLED(steal) || !c->online ? 0 : steal_from(busiest(c));
}

int sched_can_steal(const struct sched_cpu *c)
{
    return !MUTANT_ENABLED(steal) && c->online && busiest(c) != 0;
}

/* Every SCHED_BALANCE_TICKS: pull one thread from a CPU two or more threads busier. */
void sched_balance(struct sched_cpu *c)
{
    struct sched_cpu *from;
    struct thread *t;

    if (MUTANT_ENABLED(steal) || c->ticks % SCHED_BALANCE_TICKS || !(from = busiest(c)) ||
        runq_load(from) < runq_load(c) + 2)
        return;
    if ((t = steal_from(from)))
        sched_enqueue_locked(c, t);
}
