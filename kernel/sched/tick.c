/*
 * tick.c - the scheduler's tick and preemption.
 *
 * sched_tick is the timer's tick hook on every CPU (interrupt context,
 * interrupts off): under this CPU's run-queue lock it counts the tick,
 * takes the due sleepers off (sleep.c), ages the queues (runq.c),
 * balances (steal.c) and sets need_resched when the slice is used up or
 * a higher priority waits. It never switches: sched_preempt, the
 * interrupt-return hook (arch_sched_init, sched_arch.h), does that as the
 * interrupt returns. The reschedule IPI (arch_reschedule_cpu, from
 * place.c) only makes an interrupt happen so that hook runs.
 *
 * It first runs this CPU's due callouts (callout.c). An AP's tick runs
 * while it runs threads and stops while it idles with no sleepers and no
 * callouts (sched_tick_on from switch.c, sched_tick_idle from idle.c);
 * the boot CPU's tick always runs (the clock and the timer tests use it).
 */
#include "mutant.h"
#include "sched/callout.h"
#include "sched/sched_cpu.h"
#include "timer/clock.h"
#include "timer/timer.h"

void sched_tick_on(struct sched_cpu *c)
{
    if (!c->ticking && sched_cpu_index(c) != 0) {
        timer_start_cpu();
        c->ticking = 1;
    }
}

/* An idle AP: its tick runs only while something here waits for a time. */
void sched_tick_idle(struct sched_cpu *c)
{
    if (c->sleepers || callout_armed_here())
        sched_tick_on(c);
    else if (c->ticking) {
        timer_stop_cpu();
        c->ticking = 0;
    }
}

/* The timer's tick hook on every CPU: interrupt context, interrupts off. Never switches. */
static void sched_tick(void)
{
    struct sched_cpu *c = sched_this_cpu();
    struct thread *due = 0;

    if (!c->online)
        return;
    callout_run_due(clock_ns());         /* before the run-queue lock: callbacks may wake threads */
    spin_lock_noirq(&c->lock);
    c->ticks++;
    if (c->sleepers && c->sleepers->wake_ns <= clock_ns())
        due = sched_take_due_sleepers(c, clock_ns());
    runq_age(c);
    sched_balance(c);
    if ((--c->slice <= 0 && !MUTANT_ENABLED(slice)) || runq_top_prio(c) > runq_current_prio(c))
        c->need_resched = c->runnable > 0;
    spin_unlock_noirq(&c->lock);
    while (due) {
        struct thread *t = due;

        due = t->qnext;
        sched_enqueue(t);
    }
}

/* The interrupt-return hook (arch_sched_init): every interrupt's last step. */
static void sched_preempt(void)
{
    struct sched_cpu *c = sched_this_cpu();

    if (c->online && c->need_resched && !MUTANT_ENABLED(preempt))
        sched_reschedule();
}

/* The tick hook; the interrupt-return hook and the reschedule IPI (arch). */
void sched_tick_init(void)
{
    timer_set_tick_hook(sched_tick);
    arch_sched_init(sched_preempt);
}
