/*
 * sched.h - the scheduler (sched.c and the files beside it, listed in
 * sched_cpu.h): which thread runs, where and when.
 *
 * Policy, per CPU: SCHED_PRIO_LEVELS fixed priorities (higher runs
 * first), round-robin within one: a thread runs for SCHED_SLICE_TICKS
 * ticks of its CPU's tick and goes to the back of its queue. Aging: a
 * runnable thread that has waited SCHED_AGING_TICKS at the head of its
 * queue moves up one level, again and again, so no runnable thread
 * starves; it drops back to its own priority once it has run. An idle
 * thread per CPU halts when nothing is runnable there.
 *
 * Several CPUs: each has its own run queues and lock (struct sched_cpu).
 * A thread that wakes goes to the CPU it last ran on if that one is idle,
 * else to an idle CPU, else back to its own; a CPU with nothing to run
 * steals a thread from the busiest other one, and every
 * SCHED_BALANCE_TICKS a CPU pulls one from a CPU with at least two more
 * threads than it has. A wake-up that should preempt another CPU sends it
 * VEC_RESCHEDULE. Pinned threads (thread_create_on) never move.
 *
 * Preemption: the tick (sched_tick, in the timer interrupt) only sets
 * this CPU's need_resched flag; the switch happens as the interrupt
 * returns: trap_dispatch (trap.c) calls sched_preempt on its way out of
 * every interrupt (vectors 32..255), after the handler and its EOI, so
 * the preempted thread keeps its trap frame on its own stack and resumes
 * through iretq when it is next chosen (docs/scheduling.md walks through
 * a switch).
 *
 * Locking (docs/locking.md): a CPU's run-queue lock guards its queues,
 * sleep list and counters, and the state of the threads queued there. It
 * is taken with interrupts off, after any wait-queue lock, and is held
 * across the switch: the thread that runs next releases it
 * (sched_finish_switch). Two run-queue locks are never both waited for:
 * the second is only ever tried (stealing).
 */
#pragma once

#include <stdint.h>

#include "sched/thread.h"
#include "sync/spinlock.h"

#define SCHED_PRIO_LEVELS   8
#define SCHED_PRIO_MIN      0
#define SCHED_PRIO_DEFAULT  4
#define SCHED_PRIO_MAX      (SCHED_PRIO_LEVELS - 1)
#define SCHED_SLICE_TICKS   4
#define SCHED_AGING_TICKS   20
#define SCHED_BALANCE_TICKS 8

/* Make the running code the first thread ("kmain", pinned to CPU 0), start
 * the idle thread, hook the tick and the interrupt return path. After
 * fpu_init and timer_init, on the boot CPU. */
void sched_init(void);
/* On an AP as it starts: its boot context becomes its idle thread, and its
 * queues take threads (interrupts still off). */
void sched_init_cpu(void);
/* Then, once the AP may run them: its tick starts, interrupts on, idle. Never returns. */
__attribute__((noreturn)) void sched_run_cpu(void);

/* The running thread: one %gs read, so safe with interrupts on. */
struct thread *sched_current(void);
/* This CPU: meaningful while the caller cannot move (interrupts off, or pinned). */
int sched_cpu_id(void);
/* CPUs running threads (the boot CPU, then each AP as sched_start_cpu runs). */
unsigned sched_cpus(void);

/* Give the CPU to the next thread of the same or a higher priority. */
void sched_yield(void);
/* Block for at least ns nanoseconds of clock_ns(). */
void sched_sleep_ns(uint64_t ns);
/* The same, ended early by sched_interrupt: 0 after the full time, else -EINTR. */
int sched_sleep_ns_intr(uint64_t ns);
/*
 * Interruptible waits (waitq_wait_intr, sched_sleep_ns_intr): t->sigwake is
 * set, and t is made runnable if it is in such a wait, which then returns
 * -EINTR; a wait begun later returns -EINTR at once, until the flag is
 * cleared (sched_clear_interrupt, by t itself; kernel/proc/signal.c sets and
 * clears it as signals become pending and are taken). Any context.
 */
void sched_interrupt(struct thread *t);
static inline int sched_interrupted(const struct thread *t)
{
    return __atomic_load_n(&t->sigwake, __ATOMIC_ACQUIRE);
}
static inline void sched_clear_interrupt(struct thread *t)
{
    __atomic_store_n(&t->sigwake, 0, __ATOMIC_RELEASE);
}

/* The CPU runs the scheduler and is not offline: threads may be placed or pinned there. */
int sched_cpu_online(int cpu);

/*
 * A CPU going offline and back (hotplug.c; kernel/arch/x86_64/smp_offline.c
 * calls them, on that CPU, from the thread that empties it):
 * sched_cpu_drain (interrupts on) stops placement there and moves its
 * queued threads away: how many, or -1 when a thread is pinned there
 * (named in pinned_name; the CPU stays online); sched_cpu_park (interrupts
 * off) hands its sleepers and callouts to the boot CPU and stops its tick;
 * sched_cpu_rejoin (interrupts off) makes it take threads again.
 */
int sched_cpu_drain(char pinned_name[THREAD_NAME_MAX]);
void sched_cpu_park(void);
void sched_cpu_rejoin(void);

/* Print every thread as a table, "[sched] ..." lines. */
void sched_ps(void);
/* The same rows as data (the monitor's ps): up to max copied to out, newest thread first;
 * returns how many threads there are. */
struct sched_thread_info {
    uint64_t id;
    char name[THREAD_NAME_MAX];
    enum thread_state state;
    int cpu, prio, base_prio;
    uint64_t run_ns, switches;
};
unsigned sched_thread_list(struct sched_thread_info *out, unsigned max);
const char *sched_state_name(enum thread_state s);       /* "ready", "run", "block", ... */

/* Counters for tests, the soak and the bench. */
uint64_t sched_switches(void);          /* all CPUs */
uint64_t sched_cpu_switches(unsigned cpu);
uint64_t sched_migrations(void);        /* a thread ran on another CPU than last time */
unsigned sched_threads(void);

/* --- for thread.c and waitq.c; interrupts off --- */
void sched_enqueue(struct thread *t);   /* make runnable, on the CPU place.c chooses */
/*
 * The running thread leaves the CPU as `why` (BLOCKED, ZOMBIE): this CPU's
 * run-queue lock is taken, then `lk` (which the caller holds, or NULL) is
 * let go with interrupts kept off, so a waker that needs `lk` finds the
 * thread either not yet waiting or fully switched out. Returns lk's saved
 * interrupt flags, once the thread runs again (never for ZOMBIE).
 */
uint64_t sched_block_release(enum thread_state why, struct spinlock *lk);
/* The same as BLOCKED in an interruptible wait: -EINTR without blocking (lk still held) when
 * sched_interrupt came first; else 0 once woken, lk's flags in *flags (lk let go). */
int sched_block_release_intr(struct spinlock *lk, uint64_t *flags);
/* The first thing a thread does once switched to (thread.c's start too). */
void sched_finish_switch(void);
void sched_add_thread(struct thread *t);        /* onto the all-threads list */
void sched_remove_thread(struct thread *t);
