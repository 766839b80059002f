/*
 * thread.h - kernel threads (thread.c): made, run by the scheduler
 * (sched.h), exited and joined.
 *
 * thread_create(name, fn, arg, prio) gives the thread a stack of
 * THREAD_STACK_SIZE from kva_alloc with a guard page below it (an
 * overflow is reported as "stack overflow on 'NAME'"), an FPU/SIMD save
 * area (fpu.h) and makes it runnable at `prio` (SCHED_PRIO_MIN..MAX).
 * The thread runs fn(arg) with interrupts on; returning from fn is
 * thread_exit. thread_create_on does the same but pins the thread to one
 * CPU: it runs there and nowhere else (tests, per-CPU work). Every thread
 * must be joined exactly once, by another thread: thread_join waits for
 * the exit and for the zombie's CPU to have switched away from it (its
 * stack is in use until then), then gives back the stack, the save area
 * and the record. Not from interrupt handlers.
 *
 * Fields are guarded by the run-queue lock of the CPU the thread is on or
 * queued at (sched_cpu.h); a thread's own code only reads its record.
 */
#pragma once

#include <stdint.h>

#include "sched/waitq.h"

struct vmm_space;
struct proc;
struct uthread;

#define THREAD_NAME_MAX     24
#define THREAD_STACK_SIZE   (16 * 1024)
#define THREAD_ANY_CPU      (-1)

enum thread_state {
    THREAD_RUNNABLE,        /* on a run queue */
    THREAD_RUNNING,         /* on a CPU */
    THREAD_BLOCKED,         /* on a wait queue */
    THREAD_SLEEPING,        /* on the sleep list until wake_ns */
    THREAD_ZOMBIE,          /* exited, waiting for thread_join */
};

struct thread {
    char name[THREAD_NAME_MAX];
    uint64_t id;
    enum thread_state state;
    int cpu;                    /* where it runs, last ran, or is queued; -1 before its first run */
    int pinned;                 /* the one CPU it may run on, or THREAD_ANY_CPU */
    volatile int on_cpu;        /* 1 from being chosen until its CPU has switched away from it */
    int base_prio, prio;        /* prio: base_prio raised by aging while it waits */
    uint64_t sp;                /* saved RSP while not running (switch.asm) */
    uint64_t stack;             /* kva_alloc'd bottom; 0 for the boot thread */
    void *fpu;                  /* FPU/SIMD save area (fpu.h) */
    void (*fn)(void *);
    void *arg;
    struct thread *qnext;       /* run queue or sleep list: one at a time */
    struct thread *all_next;    /* every thread, for sched_ps */
    uint64_t queued_tick;       /* tick it joined its run queue: aging */
    uint64_t wake_ns;           /* SLEEPING: clock_ns() to wake at */
    uint64_t run_ns;            /* time on a CPU */
    uint64_t ran_since_ns;      /* RUNNING: when it got the CPU */
    uint64_t switches;          /* times switched to */
    struct waitq joiners;       /* thread_join waits here */
    struct vmm_space *space;    /* its address space's lower half; NULL: kernel only (switch.c loads it) */
    uint64_t tls;               /* a user thread's FS base (arch_prctl), loaded by the switch */
    struct proc *proc;          /* the process it runs for (kernel/proc/proc.h); NULL: a kernel thread */
    struct uthread *uthread;    /* its record in that process */
    struct thread *reap_next;   /* an ended process thread, on the reaper's list (kernel/proc/proc.c) */
    /* Interruptible waits (waitq_wait_intr, sched_sleep_ns_intr; sched_interrupt wakes them) */
    volatile int sigwake;       /* a signal waits for it: such waits end, the return to ring 3 delivers */
    int wait_intr;              /* in such a wait (set under the wait queue's lock, or the run-queue lock) */
    int wake_claimed;           /* WAKE_*: who made it runnable (intr.c) */
    struct thread *wnext;       /* its wait queue (waitq.c) */
};

/* wake_claimed: in an interruptible wait on a queue, the one waker that queues the thread. */
#define WAKE_NONE           0
#define WAKE_BY_QUEUE       1   /* waitq_wake_one, waitq_wake_all */
#define WAKE_BY_INTERRUPT   2   /* sched_interrupt */

/* The thread FIFO (waitq.h): the owner's lock held. */
static inline void thread_fifo_push(struct thread_fifo *q, struct thread *t)
{
    t->qnext = 0;
    if (q->tail)
        q->tail->qnext = t;
    else
        q->head = t;
    q->tail = t;
}

/* The oldest thread, taken off; NULL when empty. */
static inline struct thread *thread_fifo_pop(struct thread_fifo *q)
{
    struct thread *t = q->head;

    if (t && !(q->head = t->qnext))
        q->tail = 0;
    return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, int prio);
/* Pinned to `cpu`, or THREAD_ANY_CPU; NULL if cpu is not running the scheduler (or is offline). */
struct thread *thread_create_on(const char *name, void (*fn)(void *), void *arg, int prio, int cpu);
/*
 * In an address space of its own: while it runs, CR3 holds space's tables
 * (its lower half; the kernel half is every space's), and the switch loads
 * them (switch.c, vmm_space_switch). NULL: the kernel's tables, as
 * thread_create_on. The thread holds a reference on the space
 * (vmm_space_get) until it is freed, so the caller may drop its own
 * (vmm_space_put) whenever it likes. The first step
 * towards processes: a user thread will be one of these whose lower half
 * holds its program.
 */
struct thread *thread_create_in(struct vmm_space *space, const char *name, void (*fn)(void *),
                                void *arg, int prio, int cpu);
/* Run the calling thread in `space` from now on (execve: a new program's space); the old
 * space's reference is dropped. */
void thread_set_space(struct vmm_space *space);
__attribute__((noreturn)) void thread_exit(void);
void thread_join(struct thread *t);
