/*
 * callout.h - timer callouts (callout.c): run a function at a time, from
 * the tick of the CPU that armed it, unless cancelled first.
 *
 *   static struct callout co;
 *   callout_init(&co, fn, arg);
 *   callout_arm(&co, 5 * NS_PER_MS);     // fn(arg) in >= 5 ms, on this CPU
 *   callout_cancel(&co);                 // 1: it will not run
 *
 * fn runs in interrupt context (the tick, interrupts off, no spinlock
 * held), on the first tick of the arming CPU at or after clock_ns() +
 * delay: never early, late by up to a tick period plus what runs before
 * it. It may arm or cancel any callout, itself included. A callout is
 * armed on one CPU at a time; arming it again moves it (new time, this
 * CPU). An AP's tick keeps running while it has callouts armed.
 *
 * callout_cancel returns 1 when the callout was armed and now will not
 * run, 0 when it was not armed (never armed, already run, or running
 * right now: a callback cancelling itself gets 0). To free a callout
 * whose callback may be running on another CPU, callout_cancel_wait:
 * cancel, then wait until no CPU runs it (not from its own callback; a
 * callback never frees its own callout: the tick still writes it after).
 *
 * Locking: each CPU's list has a spinlock of its own (a leaf,
 * docs/locking.md); a callout's fields belong to the list it is on.
 */
#pragma once

#include <stdint.h>

struct callout {
    void (*fn)(void *);
    void *arg;
    uint64_t when_ns;           /* clock_ns() it is due at, while armed */
    struct callout *next;       /* its CPU's list, sorted by when_ns */
    volatile int cpu;           /* the list it is on, or -1 */
    volatile int running;       /* its callback runs now (on its last CPU) */
};

#define CALLOUT_INIT(f, a) { (f), (a), 0, 0, -1, 0 }

void callout_init(struct callout *co, void (*fn)(void *), void *arg);
void callout_arm(struct callout *co, uint64_t delay_ns);
int callout_cancel(struct callout *co);
int callout_cancel_wait(struct callout *co);

/* The tick (kernel/sched/tick.c): run this CPU's due callouts. Interrupts off. */
void callout_run_due(uint64_t now_ns);
/* A CPU going offline (kernel/sched/hotplug.c): its callouts move to `to`, due as before. */
void callout_move_cpu(int from, int to);
/* Callouts armed on this CPU (its tick must keep running). Interrupts off. */
int callout_armed_here(void);
