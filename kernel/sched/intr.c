/*
 * intr.c - sched_interrupt: ending a thread's interruptible wait
 * (waitq_wait_intr, sched_sleep_ns_intr) from outside, as a signal does
 * (kernel/proc/signal.c; docs/signals.md).
 *
 * The flag t->sigwake is set first, then t's run-queue lock is taken: the
 * lock of the CPU it last ran on, which is the one it blocked under (a
 * blocked or sleeping thread does not move; a running one may, so t->cpu
 * is read again under the lock). A waiter checks the flag under that same
 * lock before it blocks (sched_block_release_intr, sleep.c), so either it
 * sees the flag and does not block, or it is fully blocked when the lock
 * comes here. A thread on a wait queue may be woken by the queue's owner
 * at the same moment: both sides claim the wake-up with one atomic
 * compare-and-swap (wake_claimed), and only the winner queues the thread;
 * waitq_wake_one passes a lost claim on to the next waiter, so no wake-up
 * is lost. A sleeper is woken when it is still on its CPU's sleep list
 * (the tick takes due sleepers off under the same lock). A sleeper moved
 * by CPU hotplug (sched_move_sleepers) is not found and sleeps its time.
 * A thread running on another CPU gets a reschedule IPI: the way back to
 * ring 3 from that interrupt (trap_dispatch) takes the signal then, not
 * at the CPU's next tick.
 */
#include "arch.h"
#include "sched/sched_cpu.h"

void sched_interrupt(struct thread *t)
{
    struct sched_cpu *c;
    uint64_t flags;
    int cpu, wake = 0, kick = 0;

    __atomic_store_n(&t->sigwake, 1, __ATOMIC_SEQ_CST);
    flags = arch_irq_save();
    for (;;) {
        cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
        if (cpu < 0) {                          /* never ran: it sees the flag when it waits */
            arch_irq_restore(flags);
            return;
        }
        c = &sched_cpu_table[cpu];
        spin_lock_noirq(&c->lock);
        if (t->cpu == cpu)
            break;
        spin_unlock_noirq(&c->lock);
    }
    if (t->wait_intr && t->state == THREAD_BLOCKED) {
        int none = WAKE_NONE;

        wake = __atomic_compare_exchange_n(&t->wake_claimed, &none, WAKE_BY_INTERRUPT, 0, __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE);
    }
    else if (t->wait_intr && t->state == THREAD_SLEEPING)
        wake = sched_sleep_remove(c, t);
    else if (t->state == THREAD_RUNNING && cpu != sched_cpu_id())
        kick = 1;
    spin_unlock_noirq(&c->lock);
    if (wake)
        sched_enqueue(t);
    if (kick)
        arch_reschedule_cpu((unsigned)cpu);     /* its interrupt's return to ring 3 looks at the flag */
    arch_irq_restore(flags);
}
