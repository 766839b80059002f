/*
 * hotplug.c - the scheduler's side of a CPU going offline and coming
 * back (the CPU's side is kernel/arch/x86_64/smp_offline.c; docs/smp.md).
 *
 * Everything here runs on the CPU that leaves, in the thread that empties
 * it (pinned there, at the top priority), in three steps:
 *   sched_cpu_drain   interrupts on: the CPU's `online` goes to 0 under
 *                     its run-queue lock, so from then on nothing is
 *                     placed there (place.c takes the lock and looks
 *                     again), it steals nothing and is stolen from by
 *                     nobody (steal.c), and no thread can be pinned to it
 *                     (thread_create_on); a thread already pinned there
 *                     refuses the whole thing (its name is given back):
 *                     pinned threads are never unpinned; else every
 *                     thread queued here goes to another CPU.
 *   sched_cpu_park    interrupts off, just before the CPU parks: its
 *                     sleepers and its callouts go to the boot CPU (whose
 *                     tick always runs), and its own tick stops.
 *   sched_cpu_rejoin  interrupts off, back from the park: online again,
 *                     its tick on; it takes threads from the next placement.
 * Rules: the emptying thread never sleeps between drain and park (this
 * CPU's tick no longer looks at its sleepers); it may block on a lock
 * (the CPU idles meanwhile and steals nothing; the thread is pinned, so
 * its wake-up comes back here).
 */
#include "mutant.h"
#include "sched/callout.h"
#include "sched/sched_cpu.h"
#include "timer/timer.h"

#define BOOT_CPU 0

static void set_online(struct sched_cpu *c, int on)
{
    spin_lock_noirq(&c->lock);
    c->online = on;
    spin_unlock_noirq(&c->lock);
}

/* Every thread queued on c, taken off (c's lock held), as a list through qnext. */
static struct thread *take_all_locked(struct sched_cpu *c)
{
    struct thread *list = 0, *t;

    spin_assert_held(&c->lock);
    while ((t = runq_pop_top(c))) {
        t->qnext = list;
        list = t;
    }
    return list;
}

int sched_cpu_drain(char pinned_name[THREAD_NAME_MAX])
{
    uint64_t flags = arch_irq_save();
    struct sched_cpu *c = sched_this_cpu();
    struct thread *list;
    int moved = 0;

    set_online(c, 0);
    if (sched_pinned_thread(sched_cpu_index(c), c->curr, pinned_name)) {
        set_online(c, 1);
        arch_irq_restore(flags);
        return -1;
    }
    spin_lock_noirq(&c->lock);
    list = MUTANT_ENABLED(offline_drain) ? 0 : take_all_locked(c);
    spin_unlock_noirq(&c->lock);
    while (list) {
        struct thread *t = list;

        list = t->qnext;
        sched_enqueue(t);               /* place.c skips this CPU now */
        moved++;
    }
    arch_irq_restore(flags);
    return moved;
}

void sched_cpu_park(void)
{
    struct sched_cpu *c = sched_this_cpu();

    sched_move_sleepers(c, &sched_cpu_table[BOOT_CPU]);
    callout_move_cpu(sched_cpu_index(c), BOOT_CPU);
    timer_stop_cpu();
    c->ticking = 0;
}

void sched_cpu_rejoin(void)
{
    struct sched_cpu *c = sched_this_cpu();

    set_online(c, 1);
    sched_tick_on(c);                   /* the next thread switched to here has its preemption */
}
