/*
 * switch.c - choosing the next thread and switching to it: yield, block,
 * preemption (through tick.c's exit hook) and sleep all end here.
 *
 * sched_reschedule_locked is entered with this CPU's run-queue lock held
 * and interrupts off; the lock stays held across arch_switch and the
 * thread that runs next releases it (sched_finish_switch), which keeps the
 * invariant of sched.c: a thread on a run queue has finished switching out.
 * The FPU state is switched eagerly, both ways; the address space (CR3,
 * and the spaces' CPU masks that TLB shootdowns go by) through
 * vmm_space_switch, only when the next thread's space is another than the
 * previous one's; the kernel stack for entries from ring 3 (TSS.RSP0)
 * through arch_thread_enter, only when it is another than the one this CPU
 * loaded last (sched_cpu.kstack_top); a user thread's FS base through
 * arch_thread_tls, which writes it only when it changes. A thread's space is NULL for
 * kernel-only threads, which run on the kernel's tables; every space
 * shares the kernel half (vmm.h), so the switch itself never faults.
 */
#include "arch.h"
#include "errno.h"
#include "sched/sched_cpu.h"
#include "sync/lockcheck.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "timer/clock.h"

/* The address space t runs in: its own, or the kernel's. */
static struct vmm_space *thread_space(const struct thread *t)
{
    return t->space ? t->space : vmm_kernel_space();
}

/* The highest queued thread here, else one stolen, else idle. */
static struct thread *pick_next(struct sched_cpu *c)
{
    struct thread *t = runq_pop_top(c);

    if (t)
        return t;
    return (t = sched_steal(c)) ? t : c->idle;
}

/* CR3 and TSS.RSP0 for next, each only when it changes; c's lock held. */
static void enter_space(struct sched_cpu *c, struct thread *prev, struct thread *next)
{
    uint64_t top = next->stack ? next->stack + THREAD_STACK_SIZE : 0;

    if (prev->space != next->space)
        vmm_space_switch(thread_space(prev), thread_space(next));
    if (top && top != c->kstack_top) {
        arch_thread_enter(top);
        c->kstack_top = top;
    }
    if (next->space && !MUTANT_ENABLED(fs_base))
        arch_thread_tls(next->tls);
}

/* Accounting, the FPU state, the registers; c's lock held throughout. */
static void switch_to(struct sched_cpu *c, struct thread *prev, struct thread *next)
{
    uint64_t now = clock_ns();

    if (prev == c->idle)
        sched_tick_on(c);
    prev->run_ns += now - prev->ran_since_ns;
    next->ran_since_ns = now;
    next->state = THREAD_RUNNING;
    next->prio = next->base_prio;
    if (next->cpu != sched_cpu_index(c) && next->cpu >= 0)
        sched_count_migration();
    next->cpu = sched_cpu_index(c);
    next->switches++;
    next->on_cpu = 1;
    c->switches++;
    c->curr = next;
    c->prev = prev;
    percpu_set_current(next);
    enter_space(c, prev, next);
    fpu_save(prev->fpu);
    fpu_restore(next->fpu);
    arch_switch(&prev->sp, next->sp);
    sched_finish_switch();
}

/*
 * Runs in the thread just switched to, on whatever CPU that is now (a
 * stolen thread resumes elsewhere): the previous thread is off this CPU
 * for good, so others may run or free it; then the lock its chooser took
 * is released. Interrupts stay off.
 */
void sched_finish_switch(void)
{
    struct sched_cpu *c = sched_this_cpu();

    __atomic_store_n(&c->prev->on_cpu, 0, __ATOMIC_RELEASE);
    spin_unlock_noirq(&c->lock);
}

/*
 * Choose and switch; c's lock held, released on return. The caller has set
 * curr's state: RUNNING means "still runnable" (yield, preemption) and
 * puts it at the back of its queue; anything else leaves it where the
 * caller put it.
 */
void sched_reschedule_locked(struct sched_cpu *c)
{
    struct thread *prev = c->curr, *next;

    spin_assert_held(&c->lock);
    if (prev->state == THREAD_RUNNING && prev != c->idle)
        sched_enqueue_locked(c, prev);
    else if (prev == c->idle)
        prev->state = THREAD_RUNNABLE;          /* idle waits off the queues */
    next = pick_next(c);
    c->need_resched = 0;
    c->slice = SCHED_SLICE_TICKS;
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        prev->prio = prev->base_prio;
        spin_unlock_noirq(&c->lock);
        return;
    }
    switch_to(c, prev, next);
}

void sched_reschedule(void)
{
    struct sched_cpu *c = sched_this_cpu();

    spin_lock_noirq(&c->lock);
    sched_reschedule_locked(c);
}

uint64_t sched_block_release(enum thread_state why, struct spinlock *lk)
{
    struct sched_cpu *c = sched_this_cpu();
    uint64_t flags = 0;

    spin_lock_noirq(&c->lock);
    c->curr->state = why;
    if (lk)
        flags = spin_release_keep_irq(lk);
    sched_reschedule_locked(c);
    return flags;
}

int sched_block_release_intr(struct spinlock *lk, uint64_t *flags)
{
    struct sched_cpu *c = sched_this_cpu();

    spin_lock_noirq(&c->lock);
    if (sched_interrupted(c->curr)) {           /* sched_interrupt sets it before taking this lock */
        spin_unlock_noirq(&c->lock);
        return -EINTR;
    }
    c->curr->state = THREAD_BLOCKED;
    *flags = spin_release_keep_irq(lk);
    sched_reschedule_locked(c);
    return 0;
}

void sched_yield(void)
{
    uint64_t flags;

    if (lockcheck_may_sleep("sched_yield"))
        return;
    flags = arch_irq_save();
    sched_reschedule();
    arch_irq_restore(flags);
}
