/*
 * bench_sched.c - bench=irq's scheduler lines (see bench.h), measured
 * like the rest with the tick stopped (no preemption lands in a trial):
 *   thread_pingpong  a round trip between kmain and a partner thread
 *                    through two wait queues: wake the partner, block;
 *                    the partner wakes us and blocks: two switches, each
 *                    with its FPU save and restore. The Linux anchor's
 *                    sched_yield ping-pong round trip (4,430 instructions,
 *                    two switches and two system calls) is its match;
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

int bench_sched_run(void)
{
    struct thread *t;

    stop = partner_turn = 0;
    if (!(t = thread_create("bench partner", pingpong_partner, 0, SCHED_PRIO_DEFAULT)))
        return 1;
    bench_measure("thread_pingpong", op_pingpong);
    stop_pingpong(t);
    stop = 0;
    if (!(t = thread_create("bench yielder", yield_partner, 0, SCHED_PRIO_DEFAULT)))
        return 1;
    bench_measure("yield", op_yield);
    stop = 1;
    thread_join(t);
    bench_measure("mutex_uncontended", op_mutex);
    return 0;
}
