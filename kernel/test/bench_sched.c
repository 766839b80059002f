/*
 * bench_sched.c - bench=irq's scheduler lines (see bench.h), measured
 * like the rest with the tick stopped (no preemption lands in a trial):
 *   thread_pingpong  a round trip between kmain and a partner thread
 *                    through two wait queues: wake the partner, block;
 *                    the partner wakes us and blocks: two switches, each
 *                    with its FPU save and restore; the partner is pinned
 *                    to kmain's CPU 0. The Linux anchor's sched_yield
 *                    ping-pong round trip (4,430 instructions, two
 *                    switches and two system calls) is its match;
 *   thread_pingpong_cross  the same with the partner pinned to CPU 1 (with
 *                    2 or more CPUs): each wake-up crosses CPUs, sends a
 *                    reschedule IPI, and each side idles between turns;
 *   yield            sched_yield with a partner yielding too: one switch;
 *   mutex_uncontended  mutex_lock + mutex_unlock, nobody waiting.
 */
#include <stdint.h>

#include "printk.h"
#include "sched/sched.h"
#include "sched/waitq.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include "test/bench.h"

static struct spinlock pp_lock = SPINLOCK_INIT("bench pingpong");
static struct waitq pp_main = WAITQ_INIT, pp_partner = WAITQ_INIT;
static volatile int partner_turn, stop;

static void pingpong_partner(void *arg)
{
    (void)arg;
    spin_lock(&pp_lock);
    for (;;) {
        while (!partner_turn)
            waitq_wait(&pp_partner, &pp_lock);
        if (stop)
            break;
        partner_turn = 0;
        waitq_wake_one(&pp_main);
    }
    spin_unlock(&pp_lock);
}

static void op_pingpong(void)
{
    spin_lock(&pp_lock);
    partner_turn = 1;
    waitq_wake_one(&pp_partner);
    while (partner_turn)
        waitq_wait(&pp_main, &pp_lock);
    spin_unlock(&pp_lock);
}

static void yield_partner(void *arg)
{
    (void)arg;
    while (!stop)
        sched_yield();
}

static struct mutex bench_mutex = MUTEX_INIT("bench mutex");

static void op_mutex(void)
{
    mutex_lock(&bench_mutex);
    mutex_unlock(&bench_mutex);
}

static void op_yield(void)
{
    sched_yield();
}

static void stop_pingpong(struct thread *t)
{
    spin_lock(&pp_lock);
    stop = partner_turn = 1;
    waitq_wake_one(&pp_partner);
    spin_unlock(&pp_lock);
    thread_join(t);
}

/* kmain against a partner on `cpu`. */
static int pingpong_on(const char *name, int cpu)
{
    struct thread *t;

    stop = partner_turn = 0;
    if (!(t = thread_create_on("bench partner", pingpong_partner, 0, SCHED_PRIO_DEFAULT, cpu)))
        return 1;
    bench_measure(name, op_pingpong);
    stop_pingpong(t);
    return 0;
}

int bench_sched_run(void)
{
    struct thread *t;

    if (pingpong_on("thread_pingpong", 0))
        return 1;
    if (sched_cpus() > 1 && pingpong_on("thread_pingpong_cross", 1))
        return 1;
    stop = 0;
    if (!(t = thread_create_on("bench yielder", yield_partner, 0, SCHED_PRIO_DEFAULT, 0)))
        return 1;
    bench_measure("yield", op_yield);
    stop = 1;
    thread_join(t);
    bench_measure("mutex_uncontended", op_mutex);
    return 0;
}
