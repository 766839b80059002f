/*
 * futex.c - futexes (futex.h): waiters in a hash table of buckets keyed
 * by (address space, user address), or, for a word in MAP_SHARED memory,
 * by (the shared object, offset in it), so that processes mapping the same
 * object meet on it (key_of).
 *
 * Each bucket is a doubly linked list of waiters under a spinlock. A
 * waiter is a record on the waiting thread's own stack: its key, bitset,
 * state (WAITING until a waker or its timeout ends the wait) and a
 * callout for the deadline. Whoever ends a wait (futex_wake, the timeout,
 * futex_requeue's wake) does it under the bucket's lock: off the list,
 * state set, and the thread made runnable if it has already blocked;
 * a waiter that has not blocked yet sees the state when it takes the
 * lock to block, and does not.
 *
 * A waiter's bucket changes only by requeue, under both buckets' locks;
 * whoever needs a waiter's lock takes the bucket it reads and checks that
 * the waiter is still there (lock_bucket_of).
 *
 * A blocked waiter is in an interruptible wait (thread.h wait_intr): a
 * signal's sched_interrupt and a waker may both try to end it, and the one
 * that wins wake_claimed's compare-and-swap makes it runnable (intr.c); a
 * waker that loses passes its wake-up on to the next waiter.
 *
 * Lock order: two buckets by address (requeue); a bucket before the
 * callout lists (callout_arm under it); the timeout's callback takes a
 * bucket with no other lock held.
 */
#include <stdint.h>

#include "arch.h"
#include "errno.h"
#include "mm/uobj.h"
#include "mm/uspace.h"
#include "mm/vma_tree.h"
#include "mutant.h"
#include "proc/futex.h"
#include "proc/uaccess.h"
#include "sched/callout.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sync/spinlock.h"
#include "timer/clock.h"

#define FUTEX_BUCKETS   64

enum futex_state { FUTEX_WAITING, FUTEX_WOKEN, FUTEX_TIMED_OUT, FUTEX_INTERRUPTED };

struct futex_bucket;

/*
 * A futex's name: (address space, user address), or (shared object, byte
 * offset in it) for a word of a MAP_SHARED mapping. Linux keys a shared
 * mapping's futex by its page too; it does so only without
 * FUTEX_PRIVATE_FLAG, but keying a private futex by the object as well
 * loses nothing: the threads of one process find the same key, and a wake
 * that reaches another process's waiter is a spurious wake-up, which
 * every futex user must take anyway. No reference is held on the object:
 * if it is freed while a waiter sleeps, a new object at the same address
 * can only wake it spuriously.
 */
struct futex_key {
    const void *space;
    uint64_t addr;
};

struct futex_waiter {
    struct futex_key key;
    uint32_t bitset;
    struct thread *thread;
    struct futex_bucket *bucket;    /* changed by requeue under both buckets' locks */
    volatile int state;             /* enum futex_state */
    int blocked;                    /* the thread gave up its CPU (or is giving it up) */
    struct futex_waiter *prev, *next;
    struct callout timer;           /* the deadline, when there is one */
};

struct futex_bucket {
    struct spinlock lock;
    struct futex_waiter *head, *tail;
};

static struct futex_bucket buckets[FUTEX_BUCKETS] = {
    [0 ... FUTEX_BUCKETS - 1] = { SPINLOCK_INIT("futex"), 0, 0 },
};

/* The key of the word at uaddr in us (see struct futex_key). */
static struct futex_key key_of(struct uspace *us, uint64_t uaddr)
{
    struct futex_key k = { us, uaddr };
    struct uvma *v;

    spin_lock(&us->lock);
    v = vma_tree_floor(us->tree, uaddr);

    if (v && uaddr < v->end && v->shared && v->obj) {
        k.space = v->obj;
        k.addr = v->pgoff * 4096 + (uaddr - v->start);
    }
    spin_unlock(&us->lock);
    return k;
}

static int same_key(struct futex_key a, struct futex_key b)
{
    return (a.space == b.space || MUTANT_ENABLED(futex_key)) && a.addr == b.addr;
}

static struct futex_bucket *bucket_of(struct futex_key k)
{
    uint64_t h = (MUTANT_ENABLED(futex_key) ? 0 : (uint64_t)(uintptr_t)k.space >> 6) ^ (k.addr >> 2);

    h *= 0x9E3779B97F4A7C15ull;     /* Fibonacci hashing: the top bits are well mixed */
    return &buckets[h >> (64 - 6)];
}

_Static_assert(FUTEX_BUCKETS == 1 << 6, "bucket_of takes the top 6 bits");

static void link_tail(struct futex_bucket *b, struct futex_waiter *w)
{
    w->next = 0;
    w->prev = b->tail;
    if (b->tail)
        b->tail->next = w;
    else
        b->head = w;
    b->tail = w;
    w->bucket = b;
}

static void unlink(struct futex_bucket *b, struct futex_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        b->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        b->tail = w->prev;
    w->prev = w->next = 0;
}

/* The bucket w is on, locked (requeue may move w between the read and the lock). */
static struct futex_bucket *lock_bucket_of(struct futex_waiter *w)
{
    for (;;) {
        struct futex_bucket *b = __atomic_load_n(&w->bucket, __ATOMIC_ACQUIRE);

        spin_lock(&b->lock);
        if (b == w->bucket)
            return b;
        spin_unlock(&b->lock);
    }
}

/*
 * End w's wait as `state`: 1, or 0 when a signal already ended it (sched_interrupt claimed the
 * wake-up first: intr.c; the waiter takes itself off), so a wake passes on to the next waiter.
 * Caller holds b's lock, w is on b.
 */
static int end_wait(struct futex_bucket *b, struct futex_waiter *w, enum futex_state state)
{
    struct thread *t = w->thread;
    int blocked = w->blocked, none = WAKE_NONE;

    if (blocked && t->wait_intr &&
        !__atomic_compare_exchange_n(&t->wake_claimed, &none, WAKE_BY_QUEUE, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return 0;
    unlink(b, w);
    __atomic_store_n(&w->state, state, __ATOMIC_RELEASE);
    if (blocked)
        sched_enqueue(t);   /* after this w may be gone: its thread returns */
    return 1;
}

static void timeout_fire(void *arg)
{
    struct futex_waiter *w = arg;
    struct futex_bucket *b = lock_bucket_of(w);

    if (w->state == FUTEX_WAITING)
        end_wait(b, w, FUTEX_TIMED_OUT);
    spin_unlock(&b->lock);
}

static int result_of(int state)
{
    return state == FUTEX_WOKEN ? 0 : state == FUTEX_TIMED_OUT ? -ETIMEDOUT : -EINTR;
}

/* Take w off its bucket after a signal ended the wait, unless a waker ended it first: -EINTR or its result. */
static int interrupted(struct futex_waiter *w)
{
    struct futex_bucket *b = lock_bucket_of(w);
    int r;

    if (w->state == FUTEX_WAITING) {
        unlink(b, w);
        w->state = FUTEX_INTERRUPTED;       /* the timeout's callback, if it runs now, leaves it */
    }
    r = result_of(w->state);
    spin_unlock(&b->lock);
    return r;
}

/*
 * Block until w's wait ends (b locked on entry, unlocked on return): by a waker, the deadline,
 * or a signal (an interruptible wait, as waitq_wait_intr's: sched_interrupt ends it, -EINTR).
 */
static int block(struct futex_bucket *b, struct futex_waiter *w, uint64_t deadline_ns)
{
    struct thread *self = w->thread;
    uint64_t now = clock_ns(), flags;
    int err;

    if (deadline_ns != FUTEX_FOREVER) {
        if (deadline_ns <= now) {
            end_wait(b, w, FUTEX_TIMED_OUT);
            spin_unlock(&b->lock);
            return -ETIMEDOUT;
        }
        callout_arm(&w->timer, deadline_ns - now);
    }
    w->blocked = 1;
    self->wait_intr = 1;
    self->wake_claimed = WAKE_NONE;
    err = sched_block_release_intr(&b->lock, &flags);
    self->wait_intr = 0;
    if (err) {                                  /* a signal came before it blocked: b still locked */
        w->blocked = 0;
        unlink(b, w);
        w->state = FUTEX_INTERRUPTED;
        spin_unlock(&b->lock);
    } else {
        arch_irq_restore(flags);
    }
    if (deadline_ns != FUTEX_FOREVER)
        callout_cancel_wait(&w->timer);
    if (err)
        return -EINTR;
    if (__atomic_load_n(&self->wake_claimed, __ATOMIC_ACQUIRE) == WAKE_BY_INTERRUPT)
        return interrupted(w);
    return result_of(__atomic_load_n(&w->state, __ATOMIC_ACQUIRE));
}

int futex_wait(struct uspace *us, uint64_t uaddr, uint32_t val, uint64_t deadline_ns, uint32_t bitset)
{
    struct futex_waiter w = { .bitset = bitset, .thread = sched_current() };
    struct futex_bucket *b;
    uint32_t now_val;
    int err;

    if ((uaddr & 3) || !bitset)
        return -EINVAL;
    w.key = key_of(us, uaddr);
    b = bucket_of(w.key);
    callout_init(&w.timer, timeout_fire, &w);
    spin_lock(&b->lock);
    link_tail(b, &w);
    spin_unlock(&b->lock);
    /* Queued first, then the word read: a wake after the change finds us (futex.h). */
    err = copy_from_user(&now_val, uaddr, sizeof now_val);
    if (!err && now_val != val)
        err = -EAGAIN;
    b = lock_bucket_of(&w);
    if (w.state != FUTEX_WAITING) {         /* woken already: that wake is ours, whatever we read */
        spin_unlock(&b->lock);
        return result_of(w.state);
    }
    if (err) {
        unlink(b, &w);
        spin_unlock(&b->lock);
        return err;
    }
    return block(b, &w, deadline_ns);
}

/* Wake up to n of b's waiters on key k meeting bitset. Caller holds b's lock. */
static int wake_locked(struct futex_bucket *b, struct futex_key k, int n, uint32_t bitset)
{
    int woken = 0;

    for (struct futex_waiter *w = b->head, *next; w && woken < n; w = next) {
        next = w->next;
        if (same_key(w->key, k) && (w->bitset & bitset))
            woken += end_wait(b, w, FUTEX_WOKEN);
    }
    return woken;
}

int futex_wake_bitset(struct uspace *us, uint64_t uaddr, int n, uint32_t bitset)
{
    struct futex_key k;
    struct futex_bucket *b;
    int woken;

    if ((uaddr & 3) || !bitset)
        return -EINVAL;
    k = key_of(us, uaddr);
    b = bucket_of(k);
    spin_lock(&b->lock);
    woken = wake_locked(b, k, n, bitset);
    spin_unlock(&b->lock);
    return woken;
}

int futex_wake(struct uspace *us, uint64_t uaddr, int n)
{
    return futex_wake_bitset(us, uaddr, n, FUTEX_BITSET_ANY);
}

/* Move up to n waiters of key k from b to key k2 on b2. Both locks held. */
static int move_locked(struct futex_bucket *b, struct futex_bucket *b2, struct futex_key k, struct futex_key k2,
                       int n)
{
    int moved = 0;

    for (struct futex_waiter *w = b->head, *next; w && moved < n; w = next) {
        next = w->next;
        if (!same_key(w->key, k))
            continue;
        w->key = k2;
        if (b2 != b) {
            unlink(b, w);
            link_tail(b2, w);
        }
        moved++;
    }
    return moved;
}

int futex_requeue(struct uspace *us, uint64_t uaddr, uint64_t uaddr2, int n_wake, int n_move, int check,
                  uint32_t val)
{
    struct futex_key k, k2;
    struct futex_bucket *b, *b2, *first, *second;
    uint32_t now_val;
    int err = 0, done;

    if ((uaddr & 3) || (uaddr2 & 3) || n_wake < 0 || n_move < 0)
        return -EINVAL;
    k = key_of(us, uaddr);
    k2 = key_of(us, uaddr2);
    b = bucket_of(k);
    b2 = bucket_of(k2);
    first = b < b2 ? b : b2;
    second = b < b2 ? b2 : b;
    /* The word is read under the locks (as Linux does) after a first read outside them has
     * mapped its page: a fault under a spinlock would have to map it there. */
    if (check && copy_from_user(&now_val, uaddr, sizeof now_val))
        return -EFAULT;
    spin_lock(&first->lock);
    if (second != first)
        spin_lock(&second->lock);
    if (check && copy_from_user(&now_val, uaddr, sizeof now_val))
        err = -EFAULT;
    else if (check && now_val != val)
        err = -EAGAIN;
    done = err ? err : wake_locked(b, k, n_wake, FUTEX_BITSET_ANY) + move_locked(b, b2, k, k2, n_move);
    if (second != first)
        spin_unlock(&second->lock);
    spin_unlock(&first->lock);
    return done;
}

int futex_waiters(struct uspace *us, uint64_t uaddr)
{
    struct futex_key k = key_of(us, uaddr);
    struct futex_bucket *b = bucket_of(k);
    int n = 0;

    spin_lock(&b->lock);
    for (struct futex_waiter *w = b->head; w; w = w->next)
        n += same_key(w->key, k);
    spin_unlock(&b->lock);
    return n;
}
