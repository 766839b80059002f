/*
 * callout.c - timer callouts (see callout.h).
 *
 * Each CPU has a list sorted by due time under its own lock. The tick
 * takes the head off while it is due, marks it running, lets go of the
 * lock, calls it, and looks again: one at a time, so a callback that
 * cancels a callout due in the same tick finds it still on the list and
 * takes it off before it runs. callout_cancel finds the list through
 * co->cpu and checks it again under that list's lock (a callout may be
 * re-armed onto another CPU meanwhile). After its callback returns the
 * tick writes co->running, so a callback must not free its own callout.
 * A CPU going offline hands its whole list to the boot CPU
 * (callout_move_cpu): the only place two lists' locks are held at once.
 */
#include "arch.h"
#include "sched/callout.h"
#include "sched/sched_cpu.h"
#include "timer/clock.h"

struct callout_cpu {
    struct spinlock lock;
    struct callout *head;
} __attribute__((aligned(64)));

static struct callout_cpu lists[SMP_MAX_CPUS] = {
    [0 ... SMP_MAX_CPUS - 1] = { SPINLOCK_INIT("callout list"), 0 },
};

static struct callout_cpu *list_of(int cpu)
{
    return &lists[cpu];
}

void callout_init(struct callout *co, void (*fn)(void *), void *arg)
{
    *co = (struct callout)CALLOUT_INIT(fn, arg);
}

/* Take co off l if it is there; l's lock held. 1 if it was. */
static int unlink_locked(struct callout_cpu *l, struct callout *co)
{
    struct callout **p = &l->head;

    spin_assert_held(&l->lock);
    while (*p && *p != co)
        p = &(*p)->next;
    if (!*p)
        return 0;
    *p = co->next;
    co->cpu = -1;
    return 1;
}

/* Lock the list co is on and return it, or NULL (not armed). */
static struct callout_cpu *lock_its_list(struct callout *co)
{
    for (;;) {
        int cpu = co->cpu;
        struct callout_cpu *l;

        if (cpu < 0)
            return 0;
        l = list_of(cpu);
        spin_lock(&l->lock);
        if (co->cpu == cpu)
            return l;
        spin_unlock(&l->lock);          /* moved meanwhile: look again */
    }
}

int callout_cancel(struct callout *co)
{
    struct callout_cpu *l = lock_its_list(co);
    int was;

    if (!l)
        return 0;
    was = unlink_locked(l, co);
    spin_unlock(&l->lock);
    return was;
}

int callout_cancel_wait(struct callout *co)
{
    int was = callout_cancel(co);

    while (__atomic_load_n(&co->running, __ATOMIC_ACQUIRE))
        arch_cpu_relax();
    return was;
}

void callout_arm(struct callout *co, uint64_t delay_ns)
{
    uint64_t flags = arch_irq_save();
    struct callout_cpu *l = list_of((int)percpu_cpu_id());
    struct callout **p;

    callout_cancel(co);
    spin_lock(&l->lock);
    co->when_ns = clock_ns() + delay_ns;
    for (p = &l->head; *p && (*p)->when_ns <= co->when_ns;)
        p = &(*p)->next;
    co->next = *p;
    *p = co;
    co->cpu = (int)percpu_cpu_id();
    spin_unlock(&l->lock);
    arch_irq_restore(flags);
}

/* The head of l if it is due, taken off and marked running; else NULL. */
static struct callout *take_due(struct callout_cpu *l, uint64_t now_ns)
{
    struct callout *co;

    spin_lock(&l->lock);
    co = l->head;
    if (co && co->when_ns <= now_ns) {
        l->head = co->next;
        co->cpu = -1;
        co->running = 1;
    } else {
        co = 0;
    }
    spin_unlock(&l->lock);
    return co;
}

void callout_run_due(uint64_t now_ns)
{
    struct callout_cpu *l = list_of((int)percpu_cpu_id());
    struct callout *co;

    if (!l->head)                       /* unlocked peek: the common case costs one load */
        return;
    while ((co = take_due(l, now_ns))) {
        co->fn(co->arg);
        __atomic_store_n(&co->running, 0, __ATOMIC_RELEASE);
    }
}

/* Merge `from`'s list into `to`'s, each keeping its time; both locks, from's first (only here). */
void callout_move_cpu(int from, int to)
{
    struct callout_cpu *f = list_of(from), *t = list_of(to);
    uint64_t flags = arch_irq_save();

    spin_lock(&f->lock);
    spin_lock(&t->lock);
    while (f->head) {
        struct callout *co = f->head, **p = &t->head;

        f->head = co->next;
        while (*p && (*p)->when_ns <= co->when_ns)
            p = &(*p)->next;
        co->next = *p;
        *p = co;
        co->cpu = to;                   /* a cancel waiting on from's lock looks again (lock_its_list) */
    }
    spin_unlock(&t->lock);
    spin_unlock(&f->lock);
    arch_irq_restore(flags);
}

int callout_armed_here(void)
{
    return list_of((int)percpu_cpu_id())->head != 0;
}
