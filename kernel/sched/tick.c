/*
 * tick.c - the scheduler's tick and preemption.
 *
 * sched_tick is the timer's tick hook on every CPU (interrupt context,
 * interrupts off): under this CPU's run-queue lock it counts the tick,
 * takes the due sleepers off (sleep.c), ages the queues (runq.c),
 * balances (steal.c) and sets need_resched when the slice is used up or
 * a higher priority waits. It never switches: sched_preempt, trap.c's
 * exit hook, does that as the interrupt returns. VEC_RESCHEDULE, sent by
 * place.c, only makes an interrupt happen so that hook runs.
 *
 * An AP's tick runs while it runs threads and stops while it idles with
 * no sleepers (sched_tick_on from switch.c, sched_tick_off from idle.c);
 * the boot CPU's tick always runs (the clock and the timer tests use it).
 */
#include "apic/lapic.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/trap.h"
#include "mutant.h"
#include "panic.h"
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

void sched_tick_off(struct sched_cpu *c)
{
    if (c->ticking && !c->sleepers) {
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

/* trap_dispatch's exit hook: every interrupt's last step before iretq. */
static void sched_preempt(struct trap_frame *f)
{
    struct sched_cpu *c = sched_this_cpu();

    (void)f;
    if (c->online && c->need_resched && !MUTANT_ENABLED(preempt))
        sched_reschedule();
}

/* VEC_RESCHEDULE: the sender set need_resched; the exit hook acts on it. */
static void on_reschedule(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    lapic_eoi();
}

/* The reschedule vector, the tick hook, the interrupt-return hook. */
void sched_tick_init(void)
{
    if (trap_register(VEC_RESCHEDULE, on_reschedule, 0) != 0)
        panic("sched_tick_init: vector 0x%x taken", VEC_RESCHEDULE);
    timer_set_tick_hook(sched_tick);
    trap_set_exit_hook(sched_preempt);
}
