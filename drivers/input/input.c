/*
 * input.c - the input event layer (see input/input.h): listeners, and
 * queues that readers block on.
 *
 * A queue is a ring of INPUT_QUEUE_EVENTS events with its own spinlock
 * and wait queue. input_report runs in the reporter's context (usually an
 * interrupt handler): it calls the listeners, then, under queues_lock,
 * copies the event into each open queue (queue_put: the queue's lock, a
 * full ring drops the event and counts it) and wakes one reader of that
 * queue. A reader (input_read) takes the queue's lock and waits on its
 * wait queue while the ring is empty; the wake-up cannot be lost because
 * waitq_wait lets go of the lock atomically with blocking (waitq.h), the
 * same pattern as sem_up from an interrupt (kernel/sync/semaphore.c).
 *
 * Lock order: queues_lock, then a queue's lk (both leaves otherwise).
 * Listeners are an append-only array: a slot is written before the count
 * that publishes it, so input_report reads them without a lock.
 */
#include <stdint.h>

#include "input/input.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"
#include "sched/waitq.h"
#include "sync/lockcheck.h"
#include "sync/spinlock.h"
#include "timer/clock.h"

struct input_queue {
    struct spinlock lk;         /* guards everything below */
    struct input_event ring[INPUT_QUEUE_EVENTS];
    unsigned head, count;       /* the oldest event's slot, events held */
    uint64_t dropped;           /* events that found the ring full */
    struct waitq readers;
    struct input_queue *next;   /* on open_queues, under queues_lock */
};

struct input_listener {
    void (*fn)(const struct input_event *ev, void *ctx);
    void *ctx;
};

static struct spinlock queues_lock = SPINLOCK_INIT("input_queues");
static struct input_queue *open_queues;        /* guarded by queues_lock */

static struct input_listener listeners[INPUT_MAX_LISTENERS];
static volatile unsigned listener_count;

#define INPUT_MAX_DEVICES 8
static const char *device_names[INPUT_MAX_DEVICES + 1] = { "none" };
static unsigned device_count;          /* device 0 is "none" */

/* Boot only (input_init, one CPU at a time): no lock. */
uint16_t input_device_add(const char *name)
{
    if (device_count == INPUT_MAX_DEVICES)
        return 0;
    device_names[++device_count] = name;
    return (uint16_t)device_count;
}

const char *input_device_name(uint16_t device)
{
    return device <= device_count ? device_names[device] : "none";
}

int input_add_listener(void (*fn)(const struct input_event *ev, void *ctx), void *ctx)
{
    static struct spinlock add_lock = SPINLOCK_INIT("input_listeners");
    int rc = -1;

    spin_lock(&add_lock);
    if (listener_count < INPUT_MAX_LISTENERS) {
        listeners[listener_count] = (struct input_listener){ fn, ctx };
        __atomic_store_n(&listener_count, listener_count + 1, __ATOMIC_RELEASE);
        rc = 0;
    }
    spin_unlock(&add_lock);
    return rc;
}

/* One event into one queue's ring, or counted as dropped; caller holds q->lk. */
static void queue_put(struct input_queue *q, const struct input_event *ev)
{
    spin_assert_held(&q->lk);
    if (q->count == INPUT_QUEUE_EVENTS && MUTANT_ENABLED(input_drop_count)) {
        q->head = (q->head + 1) % INPUT_QUEUE_EVENTS;  /* (the oldest overwritten, uncounted) */
        q->count--;
    }
    if (q->count == INPUT_QUEUE_EVENTS) {
        q->dropped++;
        return;
    }
    q->ring[(q->head + q->count) % INPUT_QUEUE_EVENTS] = *ev;
    q->count++;
    if (!MUTANT_ENABLED(input_wake))
        waitq_wake_one(&q->readers);
}

/* An event with time_ns 0 is stamped with clock_ns() here. */
void input_report(const struct input_event *ev)
{
    unsigned n = __atomic_load_n(&listener_count, __ATOMIC_ACQUIRE);
    struct input_event e = *ev;

    if (!e.time_ns)
        e.time_ns = clock_ns();
    for (unsigned i = 0; i < n; i++)
        listeners[i].fn(&e, listeners[i].ctx);
    spin_lock(&queues_lock);
    for (struct input_queue *q = open_queues; q; q = q->next) {
        spin_lock(&q->lk);
        queue_put(q, &e);
        spin_unlock(&q->lk);
    }
    spin_unlock(&queues_lock);
}

struct input_queue *input_open(void)
{
    struct input_queue *q = kcalloc(1, sizeof *q);

    if (!q)
        return NULL;
    spin_init(&q->lk, "input_queue");
    waitq_init(&q->readers);
    spin_lock(&queues_lock);
    q->next = open_queues;
    open_queues = q;
    spin_unlock(&queues_lock);
    return q;
}

int input_read(struct input_queue *q, struct input_event *ev, int nonblock)
{
    if (!nonblock && lockcheck_may_sleep("input_read"))
        return -INPUT_EAGAIN;
    spin_lock(&q->lk);
    while (q->count == 0) {
        if (nonblock) {
            spin_unlock(&q->lk);
            return -INPUT_EAGAIN;
        }
        waitq_wait(&q->readers, &q->lk);
    }
    *ev = q->ring[q->head];
    q->head = (q->head + 1) % INPUT_QUEUE_EVENTS;
    q->count--;
    spin_unlock(&q->lk);
    return 0;
}

uint64_t input_dropped(const struct input_queue *q)
{
    return __atomic_load_n(&q->dropped, __ATOMIC_RELAXED);
}

/* The caller must know no thread is blocked in input_read on q. */
void input_close(struct input_queue *q)
{
    struct input_queue **pp;

    spin_lock(&queues_lock);
    for (pp = &open_queues; *pp && *pp != q; pp = &(*pp)->next)
        ;
    if (*pp)
        *pp = q->next;
    spin_unlock(&queues_lock);
    kfree(q);
}
