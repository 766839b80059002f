/*
 * sleep.c - sleeping (sched_sleep_ns): a list per CPU sorted by wake
 * time, guarded by that CPU's run-queue lock and checked by its tick
 * (tick.c), which takes the due threads off under the lock and queues
 * them (sched_enqueue) once it has let go. A CPU with sleepers keeps its
 * tick running while it idles (tick.c, sched_tick_idle).
 * sched_sleep_ns_intr sleeps the same way, and sched_interrupt (intr.c)
 * may take it off the list before its time.
 */
#include "arch.h"
#include "errno.h"
#include "sched/sched_cpu.h"
#include "sync/lockcheck.h"
#include "timer/clock.h"

static void sleep_insert(struct sched_cpu *c, struct thread *t)
{
    struct thread **p = &c->sleepers;

    while (*p && (*p)->wake_ns <= t->wake_ns)
        p = &(*p)->qnext;
    t->qnext = *p;
    *p = t;
}

/* Those due, off the list (c's lock held); the caller queues them once it lets go. */
struct thread *sched_take_due_sleepers(struct sched_cpu *c, uint64_t now)
{
    struct thread *due = c->sleepers, **end = &c->sleepers;

    while (*end && (*end)->wake_ns <= now)
        end = &(*end)->qnext;
    c->sleepers = *end;
    *end = 0;
    return c->sleepers == due ? 0 : due;
}

void sched_move_sleepers(struct sched_cpu *from, struct sched_cpu *to)
{
    struct thread *list;

    spin_lock_noirq(&from->lock);
    list = from->sleepers;
    from->sleepers = 0;
    spin_unlock_noirq(&from->lock);
    spin_lock_noirq(&to->lock);
    while (list) {
        struct thread *t = list;

        list = t->qnext;
        sleep_insert(to, t);
    }
    spin_unlock_noirq(&to->lock);
}

int sched_sleep_remove(struct sched_cpu *c, struct thread *t)
{
    struct thread **p = &c->sleepers;

    while (*p && *p != t)
        p = &(*p)->qnext;
    if (!*p)
        return 0;
    *p = t->qnext;
    return 1;
}

/* Sleep; intr: interruptible (sched_interrupt takes it off the list early). */
static int sleep_ns(uint64_t ns, int intr, const char *who)
{
    struct thread *self = sched_current();
    struct sched_cpu *c;
    uint64_t flags;

    if (lockcheck_may_sleep(who))
        return 0;
    flags = arch_irq_save();
    c = sched_this_cpu();
    spin_lock_noirq(&c->lock);
    if (intr && sched_interrupted(self)) {      /* sched_interrupt sets it before taking this lock */
        spin_unlock_noirq(&c->lock);
        arch_irq_restore(flags);
        return -EINTR;
    }
    self->wait_intr = intr;
    self->wake_ns = clock_ns() + ns;
    self->state = THREAD_SLEEPING;
    sleep_insert(c, self);
    sched_reschedule_locked(c);
    self->wait_intr = 0;
    arch_irq_restore(flags);
    return intr && sched_interrupted(self) && clock_ns() < self->wake_ns ? -EINTR : 0;
}

void sched_sleep_ns(uint64_t ns)
{
    sleep_ns(ns, 0, "sched_sleep_ns");
}

int sched_sleep_ns_intr(uint64_t ns)
{
    return sleep_ns(ns, 1, "sched_sleep_ns_intr");
}
