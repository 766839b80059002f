/*
 * place.c - where a thread that becomes runnable goes (sched_enqueue):
 * its pinned CPU; the CPU it is still switching out on (the invariant of
 * sched.c, third rule); else the CPU it last ran on if that is idle, else
 * the first idle CPU after it, else the least loaded (its own on a tie);
 * never an offline CPU (hotplug.c), unless the thread is pinned there.
 *
 * The loads are read without the other CPUs' locks (a hint); only the
 * chosen CPU's lock is taken. A thread queued above what that CPU runs
 * makes it reschedule (arch_reschedule_cpu, an IPI, when it is another CPU); a movable
 * thread that must wait while another CPU idles (without a tick, so it
 * would not look) wakes that CPU to steal it.
 */
#include "mutant.h"
#include "sched/sched_cpu.h"

static void send_reschedule(struct sched_cpu *c)
{
    arch_reschedule_cpu((unsigned)sched_cpu_index(c));
}

/* An idle CPU other than c, or NULL. Unlocked reads: a hint. */
static struct sched_cpu *idle_cpu_besides(const struct sched_cpu *c)
{
    for (unsigned i = 0; i < sched_ncpus; i++) {
        struct sched_cpu *o = &sched_cpu_table[i];

        if (o != c && o->online && runq_load(o) == 0)
            return o;
    }
    return 0;
}

/* Onto c's queue at its own priority; c's lock held. */
void sched_enqueue_locked(struct sched_cpu *c, struct thread *t)
{
    struct sched_cpu *idle;

    spin_assert_held(&c->lock);
    t->state = THREAD_RUNNABLE;
    t->prio = t->base_prio;
    t->queued_tick = c->ticks;
    t->cpu = sched_cpu_index(c);
    runq_push(c, t->prio, t);
    runq_count(c, t, 1);
    if (t->prio > runq_current_prio(c)) {
        if (!c->need_resched && c != sched_this_cpu())
            send_reschedule(c);
        c->need_resched = 1;
    } else if (t->pinned == THREAD_ANY_CPU && (idle = idle_cpu_besides(c))) {
        send_reschedule(idle);
    }
}

/* Home first (the CPU it last ran on), unless that one is offline (hotplug.c). */
static struct sched_cpu *select_cpu(const struct thread *t)
{
    int home = t->cpu >= 0 ? t->cpu : sched_cpu_id();
    unsigned n = sched_ncpus;
    struct sched_cpu *best = &sched_cpu_table[home];

    if (t->pinned != THREAD_ANY_CPU)
        return &sched_cpu_table[t->pinned];
    if (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
        return &sched_cpu_table[t->cpu];
    if (best->online && (runq_load(best) == 0 || MUTANT_ENABLED(placement)))
        return best;
    for (unsigned i = 1; i < n; i++) {
        struct sched_cpu *c = &sched_cpu_table[(unsigned)(home + (int)i) % n];

        if (c->online && (!best->online || runq_load(c) < runq_load(best)))
            best = c;
        if (c->online && runq_load(c) == 0)
            break;
    }
    return best;
}

/* The choice was an unlocked look: a CPU that went offline meanwhile is looked past again. */
void sched_enqueue(struct thread *t)
{
    struct sched_cpu *c;

    for (;;) {
        c = select_cpu(t);
        spin_lock_noirq(&c->lock);
        if (c->online || t->pinned == sched_cpu_index(c) || t->on_cpu)
            break;
        spin_unlock_noirq(&c->lock);
    }
    sched_enqueue_locked(c, t);
    spin_unlock_noirq(&c->lock);
}
