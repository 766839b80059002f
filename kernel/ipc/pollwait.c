/*
 * pollwait.c - the pollers' queue (see pollwait.h).
 *
 * The queue is guarded by poll_lock, the generation and the count of
 * sleepers are atomics (pollwait_notify says why); a deadline is a
 * callout on the sleeper's stack that wakes the queue (cancelled, and
 * waited for, before the sleeper returns). The sleep is waitq_wait: when
 * the signals helper's waitq_wait_intr is on main, it is the call to use
 * here, -EINTR going back to poll's caller.
 */
#include "errno.h"
#include "ipc/pollwait.h"
#include "mutant.h"
#include "sched/callout.h"
#include "sched/waitq.h"
#include "sync/spinlock.h"
#include "timer/clock.h"

static struct spinlock poll_lock = SPINLOCK_INIT("pollwait");
static struct waitq pollers = WAITQ_INIT;
static uint64_t generation;         /* atomic */
static unsigned sleepers;           /* atomic: pollers between their count and their return */

uint64_t pollwait_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_SEQ_CST);
}

/*
 * Every pipe read and write comes here, so the lock is taken only when a
 * poller may be asleep. The generation is advanced first and the sleepers
 * counted after, both sequentially consistent; a poller counts itself
 * first and reads the generation after. So when the count read here is 0,
 * the poller's read of the generation comes after this increment: it sees
 * the change and does not sleep.
 */
void pollwait_notify(void)
{
    __atomic_add_fetch(&generation, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sleepers, __ATOMIC_SEQ_CST) == 0 || MUTANT_ENABLED(pollwait_wake))
        return;
    spin_lock(&poll_lock);
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
    __atomic_add_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    while (pollwait_generation() == gen) {
        uint64_t now = clock_ns();
        if (now >= deadline_ns) {
            r = -ETIMEDOUT;
            break;
        }
        if (deadline_ns != UINT64_MAX)
            callout_arm(&timer, deadline_ns - now);
        waitq_wait(&pollers, &poll_lock);
    }
    __atomic_sub_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    spin_unlock(&poll_lock);
    callout_cancel_wait(&timer);
    return r;
}
