/*
 * pollwait.c - the pollers' queue (see pollwait.h).
 *
 * The generation and the queue are guarded by poll_lock; a deadline is a
 * callout on the sleeper's stack that wakes the queue (cancelled, and
 * waited for, before the sleeper returns). The sleep is waitq_wait: when
 * the signals helper's waitq_wait_intr is on main, it is the call to use
 * here, -EINTR going back to poll's caller.
 */
#include "errno.h"
#include "ipc/pollwait.h"
#include "sched/callout.h"
#include "sched/waitq.h"
#include "sync/spinlock.h"
#include "timer/clock.h"

static struct spinlock poll_lock = SPINLOCK_INIT("pollwait");
static struct waitq pollers = WAITQ_INIT;
static uint64_t generation;

uint64_t pollwait_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

void pollwait_notify(void)
{
    spin_lock(&poll_lock);
    __atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
    waitq_wake_all(&pollers);
    spin_unlock(&poll_lock);
}

static void deadline_passed(void *arg)
{
    (void)arg;
    spin_lock(&poll_lock);
    waitq_wake_all(&pollers);
    spin_unlock(&poll_lock);
}

int pollwait_sleep(uint64_t gen, uint64_t deadline_ns)
{
    struct callout timer;
    int r = 0;

    callout_init(&timer, deadline_passed, NULL);
    spin_lock(&poll_lock);
    while (generation == gen) {
        uint64_t now = clock_ns();
        if (now >= deadline_ns) {
            r = -ETIMEDOUT;
            break;
        }
        if (deadline_ns != UINT64_MAX)
            callout_arm(&timer, deadline_ns - now);
        waitq_wait(&pollers, &poll_lock);
    }
    spin_unlock(&poll_lock);
    callout_cancel_wait(&timer);
    return r;
}
