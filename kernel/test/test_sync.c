/*
 * test_sync.c - ktests for the locks (kernel/sync/): 100 threads add to a
 * mutex-guarded counter and the total is exact; a producer and a consumer
 * pass 50,000 numbered items through a bounded queue (mutex and two
 * condition variables) and the consumer sees each once, in order; a
 * semaphore ping-pong; and the lock checker's complaints, caught through
 * lockcheck_set_hook so the run goes on: recursion, blocking with a
 * spinlock, unlocking what is not held, an out-of-order spin_unlock
 * (interrupts would come back on under the newer lock) and a *_locked
 * function called without its lock (spin_assert_held).
 */
#include <stdint.h>

#include <string.h>

#include "arch.h"
#include "printk.h"
#include "sched/sched.h"
#include "sync/condvar.h"
#include "sync/lockcheck.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"
#include "sync/spinlock.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define COUNTER_THREADS     100
#define COUNTER_ADDS        500
#define ITEMS               50000ull
#define QUEUE_SLOTS         256
#define PINGPONGS           2000

static struct mutex counter_lock = MUTEX_INIT("test counter");
static uint64_t counter;

/* Read, yield now and then, write back: without the mutex, updates would be lost. */
static void add_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < COUNTER_ADDS; i++) {
        mutex_lock(&counter_lock);
        uint64_t v = counter;
        if (i % 64 == 0)
            sched_yield();
        counter = v + 1;
        mutex_unlock(&counter_lock);
    }
}

void ktest_sync_mutex_counter(struct ktest *t)
{
    static struct thread *ts[COUNTER_THREADS];
    int made = 0;

    counter = 0;
    for (; made < COUNTER_THREADS; made++)
        if (!(ts[made] = thread_create("adder", add_many, 0, SCHED_PRIO_DEFAULT)))
            break;
    for (int i = 0; i < made; i++)
        thread_join(ts[i]);
    KTEST_ASSERT_EQ(t, made, COUNTER_THREADS);
    KTEST_ASSERT_EQ(t, counter, (uint64_t)made * COUNTER_ADDS);
}

/* The bounded queue: a ring guarded by a mutex, waited on through two condvars. */
static struct {
    struct mutex lock;
    struct condvar not_full, not_empty;
    uint64_t slots[QUEUE_SLOTS];
    uint64_t head, tail;            /* items put, items taken */
    uint64_t got, sum, out_of_order;
} q;

static void produce(void *arg)
{
    (void)arg;
    for (uint64_t i = 1; i <= ITEMS; i++) {
        mutex_lock(&q.lock);
        while (q.head - q.tail == QUEUE_SLOTS)
            cond_wait(&q.not_full, &q.lock);
        q.slots[q.head++ % QUEUE_SLOTS] = i;
        cond_signal(&q.not_empty);
        mutex_unlock(&q.lock);
    }
}

static void consume(void *arg)
{
    (void)arg;
    for (uint64_t expect = 1; expect <= ITEMS; expect++) {
        uint64_t v;

        mutex_lock(&q.lock);
        while (q.head == q.tail)
            cond_wait(&q.not_empty, &q.lock);
        v = q.slots[q.tail++ % QUEUE_SLOTS];
        cond_signal(&q.not_full);
        mutex_unlock(&q.lock);
        q.out_of_order += v != expect;
        q.sum += v;
        q.got++;
    }
}

void ktest_sync_producer_consumer(struct ktest *t)
{
    struct thread *p, *c;
    uint64_t t0 = clock_ns();

    q.head = q.tail = q.got = q.sum = q.out_of_order = 0;
    mutex_init(&q.lock, "test queue");
    cond_init(&q.not_full, "test not full");
    cond_init(&q.not_empty, "test not empty");
    c = thread_create("consumer", consume, 0, SCHED_PRIO_DEFAULT);
    p = thread_create("producer", produce, 0, SCHED_PRIO_DEFAULT);
    if (!KTEST_ASSERT(t, p && c))
        return;
    thread_join(p);
    thread_join(c);
    printk(LOG_INFO, "[sync] %llu items through a %d-slot queue in %llu ms\n",
           (unsigned long long)q.got, QUEUE_SLOTS,
           (unsigned long long)((clock_ns() - t0) / NS_PER_MS));
    KTEST_ASSERT_EQ(t, q.got, ITEMS);
    KTEST_ASSERT_EQ(t, q.sum, ITEMS * (ITEMS + 1) / 2);
    KTEST_ASSERT_EQ(t, q.out_of_order, 0);
}

static struct semaphore ping, pong;
static volatile uint64_t pongs;

static void ponger(void *arg)
{
    (void)arg;
    for (int i = 0; i < PINGPONGS; i++) {
        sem_down(&ping);
        pongs++;
        sem_up(&pong);
    }
}

void ktest_sync_semaphore_pingpong(struct ktest *t)
{
    struct thread *th;

    sem_init(&ping, 0, "test ping");
    sem_init(&pong, 0, "test pong");
    pongs = 0;
    if (!KTEST_ASSERT(t, (th = thread_create("ponger", ponger, 0, SCHED_PRIO_DEFAULT))))
        return;
    for (int i = 0; i < PINGPONGS; i++) {
        sem_up(&ping);
        sem_down(&pong);
        if (pongs != (uint64_t)i + 1)
            break;
    }
    thread_join(th);
    KTEST_ASSERT_EQ(t, pongs, PINGPONGS);
}

static int complaints;
static char last_complaint[200];

static void count_complaint(const char *what)
{
    size_t n = strlen(what) < sizeof last_complaint - 1 ? strlen(what) : sizeof last_complaint - 1;

    memcpy(last_complaint, what, n);
    last_complaint[n] = 0;
    complaints++;
}

void ktest_sync_lockcheck(struct ktest *t)
{
    static struct spinlock s = SPINLOCK_INIT("test spin");
    static struct mutex m = MUTEX_INIT("test mutex");
    lockcheck_hook_fn *old = lockcheck_set_hook(count_complaint);
    int irq_on = arch_irq_enabled();

    complaints = 0;
    spin_lock(&s);
    spin_lock(&s);                      /* recursive */
    KTEST_ASSERT_EQ(t, complaints, 1);
    sched_sleep_ns(NS_PER_MS);          /* sleeping with a spinlock held */
    KTEST_ASSERT_EQ(t, complaints, 2);
    mutex_lock(&m);                     /* a mutex can block: the same complaint */
    KTEST_ASSERT_EQ(t, complaints, 3);
    spin_unlock(&s);
    spin_unlock(&s);                    /* not held any more */
    KTEST_ASSERT_EQ(t, complaints, 4);
    KTEST_ASSERT_EQ(t, arch_irq_enabled(), irq_on);
    mutex_lock(&m);
    mutex_lock(&m);                     /* recursive */
    KTEST_ASSERT_EQ(t, complaints, 5);
    mutex_unlock(&m);
    mutex_unlock(&m);                   /* not the owner any more */
    KTEST_ASSERT_EQ(t, complaints, 6);
    KTEST_ASSERT_EQ(t, lockcheck_spins_held(), 0);
    lockcheck_set_hook(old);
}

/*
 * Unlocking A while B, taken after it, is held would restore A's saved
 * flags (interrupts on) under B: refused and reported with both names and
 * the caller; A and B stay held, interrupts stay off, and the unlocks in
 * order then work and restore the flag.
 */
void ktest_sync_unlock_order(struct ktest *t)
{
    static struct spinlock a = SPINLOCK_INIT("test A"), b = SPINLOCK_INIT("test B");
    lockcheck_hook_fn *old = lockcheck_set_hook(count_complaint);
    int irq_on = arch_irq_enabled();

    complaints = 0;
    spin_lock(&a);
    spin_lock(&b);
    spin_unlock(&a);                    /* out of order */
    KTEST_ASSERT_EQ(t, complaints, 1);
    KTEST_ASSERT(t, strstr(last_complaint, "'test A' released before 'test B'") != 0);
    KTEST_ASSERT(t, strstr(last_complaint, "ktest_sync_unlock_order") != 0);
    KTEST_ASSERT_EQ(t, arch_irq_enabled(), 0);
    KTEST_ASSERT(t, spin_held(&a) && spin_held(&b));
    spin_unlock(&b);
    spin_unlock(&a);
    KTEST_ASSERT_EQ(t, complaints, 1);
    KTEST_ASSERT_EQ(t, arch_irq_enabled(), irq_on);
    KTEST_ASSERT_EQ(t, lockcheck_spins_held(), 0);
    lockcheck_set_hook(old);
    printk(LOG_INFO, "[sync] caught: %s\n", last_complaint);
}

/* A *_locked function's first line, as in the kernel's own. */
static __attribute__((noinline)) void test_counter_bump_locked(struct spinlock *l, int *n)
{
    spin_assert_held(l);
    (*n)++;
}

/* spin_assert_held: silent with the lock held here, a report naming the function without it. */
void ktest_sync_assert_held(struct ktest *t)
{
    static struct spinlock a = SPINLOCK_INIT("test A");
    lockcheck_hook_fn *old = lockcheck_set_hook(count_complaint);
    int n = 0;

    complaints = 0;
    spin_lock(&a);
    test_counter_bump_locked(&a, &n);
    spin_unlock(&a);
    KTEST_ASSERT_EQ(t, complaints, 0);
    test_counter_bump_locked(&a, &n);
    KTEST_ASSERT_EQ(t, complaints, 1);
    KTEST_ASSERT_STR_EQ(t, last_complaint,
                        "test_counter_bump_locked: lockcheck: the caller does not hold 'test A'");
    KTEST_ASSERT_EQ(t, n, 2);
    lockcheck_set_hook(old);
}
