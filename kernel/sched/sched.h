/*
 * sched.h - the scheduler (sched.c): which thread runs, and when.
 *
 * Policy: SCHED_PRIO_LEVELS fixed priorities (higher runs first),
 * round-robin within one: a thread runs for SCHED_SLICE_TICKS ticks of the
 * kernel tick (timer.h) and goes to the back of its queue. Aging: a
 * runnable thread that has waited SCHED_AGING_TICKS at the head of its
 * queue moves up one level, again and again, so no runnable thread
 * starves; it drops back to its own priority once it has run. An idle
 * thread (per CPU) halts when nothing is runnable.
 *
 * Preemption: the tick (sched_tick, in the timer interrupt) only sets
 * this CPU's need_resched flag; the switch happens as the interrupt
 * returns: trap_dispatch (trap.c) calls sched_preempt on its way out of
 * every interrupt (vectors 32..255), after the handler and its EOI, so
 * the preempted thread keeps its trap frame on its own stack and resumes
 * through iretq when it is next chosen (docs/scheduling.md).
 *
 * Locking: the scheduler's data (run queues, sleep list, thread states)
 * is guarded by interrupts being off on this CPU; with SMP it becomes a
 * per-CPU run-queue lock. "This CPU's" state is reached only through
 * sched_current() and sched_cpu_id(), which will read the GS base.
 */
#pragma once

#include <stdint.h>

#include "sched/thread.h"

#define SCHED_PRIO_LEVELS   8
#define SCHED_PRIO_MIN      0
#define SCHED_PRIO_DEFAULT  4
#define SCHED_PRIO_MAX      (SCHED_PRIO_LEVELS - 1)
#define SCHED_SLICE_TICKS   4
#define SCHED_AGING_TICKS   20

/* Make the running code the first thread ("kmain"), start the idle thread,
 * hook the tick and the interrupt return path. After fpu_init and timer_init. */
void sched_init(void);
int sched_ready(void);

struct thread *sched_current(void);
int sched_cpu_id(void);

/* Give the CPU to the next thread of the same or a higher priority. */
void sched_yield(void);
/* Block for at least ns nanoseconds of clock_ns(). */
void sched_sleep_ns(uint64_t ns);

/* Print every thread as a table, "[sched] ..." lines. */
void sched_ps(void);

/* Counters for tests and the soak: switches and threads alive. */
uint64_t sched_switches(void);
unsigned sched_threads(void);

/* --- for thread.c and waitq.c; interrupts off (the scheduler's lock) --- */
void sched_enqueue(struct thread *t);           /* make runnable */
void sched_block(enum thread_state why);        /* current leaves the CPU as `why` */
void sched_add_thread(struct thread *t);        /* onto the all-threads list */
void sched_remove_thread(struct thread *t);
