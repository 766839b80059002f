/*
 * test_futex.c - in-kernel tests of the futex core (kernel/proc/futex.h),
 * driven directly: kernel threads made in a user address space of their
 * own (thread_create_in over uspace_create), so the word they wait on is
 * a real user word read through the user copies, while this thread (on
 * the kernel's tables) wakes, requeues and counts by key. Before clone
 * there is no other way to have two user threads on one futex.
 */
#include <stdint.h>

#include "errno.h"
#include "mm/uspace.h"
#include "proc/futex.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define WORD_VA     0x20000000ull
#define WAIT_MAX_NS (2 * NS_PER_SEC)

struct waiter {
    struct uspace *us;
    uint64_t uaddr, deadline_ns, ended_ns;
    uint32_t val, bitset;
    volatile int done, result;
    struct thread *thread;
};

static void wait_body(void *arg)
{
    struct waiter *w = arg;

    w->result = futex_wait(w->us, w->uaddr, w->val, w->deadline_ns, w->bitset);
    w->ended_ns = clock_ns();
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
}

static void start(struct waiter *w, struct uspace *us, uint64_t uaddr, uint32_t val, uint64_t deadline_ns,
                  uint32_t bitset)
{
    *w = (struct waiter){ .us = us, .uaddr = uaddr, .val = val, .deadline_ns = deadline_ns, .bitset = bitset };
    w->thread = thread_create_in(us->vm, "futex waiter", wait_body, w, SCHED_PRIO_DEFAULT, THREAD_ANY_CPU);
}

/* 1 once n threads wait on (us, uaddr), 0 after WAIT_MAX_NS. */
static int await_waiters(struct uspace *us, uint64_t uaddr, int n)
{
    uint64_t until = clock_ns() + WAIT_MAX_NS;

    while (futex_waiters(us, uaddr) != n)
        if (clock_ns() > until)
            return 0;
        else
            sched_sleep_ns(NS_PER_MS);
    return 1;
}

static int await_done(struct waiter *w)
{
    uint64_t until = clock_ns() + WAIT_MAX_NS;

    while (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
        if (clock_ns() > until)
            return 0;
        else
            sched_sleep_ns(NS_PER_MS);
    return 1;
}

/* A space with one page at WORD_VA, its first word `value`. */
static struct uspace *space_with_word(uint32_t value)
{
    struct uspace *us = uspace_create();

    if (us && (uspace_map(us, WORD_VA, 4096, USPACE_R | USPACE_W, USPACE_MMAP) != 0 ||
               uspace_write(us, WORD_VA, &value, sizeof value) != 0)) {
        uspace_destroy(us);
        return 0;
    }
    return us;
}

static void finish(struct ktest *t, struct uspace *us, struct waiter *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (!w[i].thread)
            continue;
        if (!w[i].done) {                       /* a failed test: let it go before joining */
            ktest_fail(t, __FILE__, __LINE__, "waiter %d still waits", i);
            futex_wake(us, w[i].uaddr, 1 << 30);
        }
        thread_join(w[i].thread);
    }
    uspace_destroy(us);
}

/* Two waiters; wakes on another space or another word find nobody; one wake wakes exactly one. */
void ktest_futex_wake_one_by_key(struct ktest *t)
{
    struct uspace *us = space_with_word(0), *other = space_with_word(0);
    struct waiter w[2];

    if (!KTEST_ASSERT(t, us && other))
        return;
    start(&w[0], us, WORD_VA, 0, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    KTEST_ASSERT(t, await_waiters(us, WORD_VA, 1));
    start(&w[1], us, WORD_VA, 0, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    KTEST_ASSERT(t, await_waiters(us, WORD_VA, 2));
    KTEST_ASSERT_EQ(t, futex_wake(other, WORD_VA, 1 << 30), 0);       /* same address, other space */
    KTEST_ASSERT_EQ(t, futex_wake(us, WORD_VA + 4, 1 << 30), 0);      /* same space, other word */
    KTEST_ASSERT_EQ(t, futex_wake(us, WORD_VA, 1), 1);
    sched_sleep_ns(20 * NS_PER_MS);
    KTEST_ASSERT_EQ(t, w[0].done + w[1].done, 1);
    KTEST_ASSERT_EQ(t, w[0].done, 1);                                 /* the oldest first */
    KTEST_ASSERT_EQ(t, futex_waiters(us, WORD_VA), 1);
    KTEST_ASSERT_EQ(t, futex_wake(us, WORD_VA, 1 << 30), 1);
    KTEST_ASSERT(t, await_done(&w[1]));
    KTEST_ASSERT_EQ(t, w[0].result, 0);
    KTEST_ASSERT_EQ(t, w[1].result, 0);
    finish(t, us, w, 2);
    uspace_destroy(other);
}

/* The word holds another value: -EAGAIN at once; an unaligned word: -EINVAL; unmapped: -EFAULT. */
void ktest_futex_value_and_errors(struct ktest *t)
{
    struct uspace *us = space_with_word(7);
    struct waiter w[3];

    if (!KTEST_ASSERT(t, us != 0))
        return;
    start(&w[0], us, WORD_VA, 8, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    start(&w[1], us, WORD_VA + 2, 7, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    start(&w[2], us, WORD_VA + 4096, 0, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    for (int i = 0; i < 3; i++)
        KTEST_ASSERT(t, await_done(&w[i]));
    KTEST_ASSERT_EQ(t, w[0].result, -EAGAIN);
    KTEST_ASSERT_EQ(t, w[1].result, -EINVAL);
    KTEST_ASSERT_EQ(t, w[2].result, -EFAULT);
    KTEST_ASSERT_EQ(t, futex_waiters(us, WORD_VA), 0);
    finish(t, us, w, 3);
}

/* A deadline 30 ms away: -ETIMEDOUT, not before it, and the waiter is gone from its bucket. */
void ktest_futex_timeout(struct ktest *t)
{
    struct uspace *us = space_with_word(0);
    struct waiter w[1];

    if (!KTEST_ASSERT(t, us != 0))
        return;
    uint64_t deadline = clock_ns() + 30 * NS_PER_MS;

    start(&w[0], us, WORD_VA, 0, deadline, FUTEX_BITSET_ANY);
    KTEST_ASSERT(t, await_done(&w[0]));
    KTEST_ASSERT_EQ(t, w[0].result, -ETIMEDOUT);
    KTEST_ASSERT(t, w[0].ended_ns >= deadline);                       /* never before the deadline */
    KTEST_ASSERT_EQ(t, futex_waiters(us, WORD_VA), 0);
    finish(t, us, w, 1);
}

/* futex_requeue's compare reads the word: it runs in a thread of the space. */
struct requeue_call {
    struct uspace *us;
    uint32_t val;
    volatile int result;
};

static void requeue_body(void *arg)
{
    struct requeue_call *c = arg;

    c->result = futex_requeue(c->us, WORD_VA, WORD_VA + 64, 0, 2, 1, c->val);
}

static int requeue_in(struct uspace *us, uint32_t val)
{
    struct requeue_call c = { us, val, 1 };
    struct thread *th = thread_create_in(us->vm, "futex requeue", requeue_body, &c, SCHED_PRIO_DEFAULT,
                                         THREAD_ANY_CPU);

    if (!th)
        return 1;
    thread_join(th);
    return c.result;
}

/* Bitsets: a wake whose bits miss the waiter's leaves it; requeue moves waiters to another word
 * when the word holds the value it is given, and no one when it does not. */
void ktest_futex_bitset_and_requeue(struct ktest *t)
{
    struct uspace *us = space_with_word(0);
    struct waiter w[3];

    if (!KTEST_ASSERT(t, us != 0))
        return;
    start(&w[0], us, WORD_VA, 0, FUTEX_FOREVER, 0x1);
    KTEST_ASSERT(t, await_waiters(us, WORD_VA, 1));
    KTEST_ASSERT_EQ(t, futex_wake_bitset(us, WORD_VA, 1, 0x2), 0);
    KTEST_ASSERT_EQ(t, futex_wake_bitset(us, WORD_VA, 1, 0x3), 1);
    KTEST_ASSERT(t, await_done(&w[0]));
    start(&w[1], us, WORD_VA, 0, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    start(&w[2], us, WORD_VA, 0, FUTEX_FOREVER, FUTEX_BITSET_ANY);
    KTEST_ASSERT(t, await_waiters(us, WORD_VA, 2));
    KTEST_ASSERT_EQ(t, requeue_in(us, 1), -EAGAIN);                    /* the word is 0 */
    KTEST_ASSERT_EQ(t, futex_waiters(us, WORD_VA), 2);
    KTEST_ASSERT_EQ(t, requeue_in(us, 0), 2);
    KTEST_ASSERT_EQ(t, futex_waiters(us, WORD_VA), 0);
    KTEST_ASSERT_EQ(t, futex_waiters(us, WORD_VA + 64), 2);
    KTEST_ASSERT_EQ(t, w[1].done + w[2].done, 0);
    KTEST_ASSERT_EQ(t, futex_wake(us, WORD_VA + 64, 2), 2);
    KTEST_ASSERT(t, await_done(&w[1]) && await_done(&w[2]));
    finish(t, us, w, 3);
}
