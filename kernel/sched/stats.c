/*
 * stats.c - the list of every thread, the scheduler's counters and the
 * ps table (sched_ps).
 *
 * The list is guarded by threads_lock (docs/locking.md: taken alone,
 * interrupts off, never with a run-queue lock). The counters are read
 * without locks: a test or the bench reads them after the threads it
 * measures have been joined, or as a rough figure.
 */
#include <string.h>

#include "printk.h"
#include "sched/sched_cpu.h"
#include "timer/clock.h"

static struct spinlock threads_lock = SPINLOCK_INIT("thread list");
static struct thread *all_threads;
static unsigned thread_count;
static uint64_t migrations;

void sched_add_thread(struct thread *t)
{
    static uint64_t next_id;

    spin_lock(&threads_lock);
    t->id = next_id++;
    t->all_next = all_threads;
    all_threads = t;
    thread_count++;
    spin_unlock(&threads_lock);
}

void sched_remove_thread(struct thread *t)
{
    struct thread **p;

    spin_lock(&threads_lock);
    for (p = &all_threads; *p && *p != t;)
        p = &(*p)->all_next;
    if (*p) {
        *p = t->all_next;
        thread_count--;
    }
    spin_unlock(&threads_lock);
}

int sched_pinned_thread(int cpu, const struct thread *except, char name[THREAD_NAME_MAX])
{
    const struct thread *found = 0;

    spin_lock(&threads_lock);
    for (struct thread *t = all_threads; t && !found; t = t->all_next)
        if (t->pinned == cpu && t != except && t != sched_cpu_table[cpu].idle && t->state != THREAD_ZOMBIE)
            found = t;
    if (found)
        for (unsigned i = 0; i < THREAD_NAME_MAX; i++)
            name[i] = found->name[i];
    spin_unlock(&threads_lock);
    return found != 0;
}

/* switch.c: a thread ran on another CPU than last time. */
void sched_count_migration(void)
{
    __atomic_fetch_add(&migrations, 1, __ATOMIC_RELAXED);
}

uint64_t sched_switches(void)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < sched_ncpus; i++)
        n += sched_cpu_table[i].switches;
    return n;
}

uint64_t sched_cpu_switches(unsigned cpu)
{
    return cpu < sched_ncpus ? sched_cpu_table[cpu].switches : 0;
}

uint64_t sched_migrations(void)
{
    return migrations;
}

unsigned sched_threads(void)
{
    return thread_count;
}

const char *sched_state_name(enum thread_state s)
{
    static const char *const names[] = { "ready", "run", "block", "sleep", "zombie" };

    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* A copy of each thread's row, taken under threads_lock (the caller prints it at leisure). */
unsigned sched_thread_list(struct sched_thread_info *out, unsigned max)
{
    uint64_t now = clock_ns();
    unsigned n = 0;

    spin_lock(&threads_lock);
    for (struct thread *t = all_threads; t; t = t->all_next, n++) {
        struct sched_thread_info *i = &out[n];

        if (n >= max)
            continue;
        memcpy(i->name, t->name, sizeof i->name);
        i->id = t->id;
        i->state = t->state;
        i->cpu = t->cpu;
        i->prio = t->prio;
        i->base_prio = t->base_prio;
        i->run_ns = t->run_ns + (t->state == THREAD_RUNNING ? now - t->ran_since_ns : 0);
        i->switches = t->switches;
    }
    spin_unlock(&threads_lock);
    return n;
}

void sched_ps(void)
{
    uint64_t now = clock_ns();

    spin_lock(&threads_lock);
    printk(LOG_INFO, "[sched] %4s %-20s %-6s %3s %4s %12s %10s\n", "id", "name", "state", "cpu",
           "prio", "run_us", "switches");
    for (struct thread *t = all_threads; t; t = t->all_next) {
        uint64_t run = t->run_ns + (t->state == THREAD_RUNNING ? now - t->ran_since_ns : 0);

        printk(LOG_INFO, "[sched] %4llu %-20s %-6s %3d %2d/%d %12llu %10llu\n",
               (unsigned long long)t->id, t->name, sched_state_name(t->state), t->cpu, t->prio,
               t->base_prio, (unsigned long long)(run / NS_PER_US),
               (unsigned long long)t->switches);
    }
    spin_unlock(&threads_lock);
}
