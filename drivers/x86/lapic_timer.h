/*
 * lapic_timer.h - the local APIC's timer (Intel SDM vol. 3A, 10.5.4): a
 * 32-bit down-counter clocked by the APIC bus (or core crystal) through a
 * divider, interrupting on VEC_LAPIC_TIMER (0xF0, idt.h). Its rate is told
 * nowhere, so lapic_timer_init measures it: against the TSC over 2 ms
 * when the TSC's rate is known (it is, after clock_init), else against
 * the reference clock (HPET, else PIT: refclock.h) over 10 ms. Three modes:
 *   periodic      reloads itself: the kernel tick (timer.h);
 *   one-shot      counts down once, from a duration in nanoseconds;
 *   TSC-deadline  fires when the TSC reaches a value (IA32_TSC_DEADLINE),
 *                 only where CPUID.1:ECX[24] says so.
 * Arming one mode replaces the other. The handler runs fn(ctx) with
 * interrupts off, then sends the EOI. Needs lapic_init (drivers/apic/).
 * lapic_timer_register_clockevent offers it as a clock event device
 * (clockevent.h) "lapic-timer", per CPU, after measuring it, in APIC mode
 * unless `nolapic_timer` is on the command line: the tick then falls to
 * the PIT. These modes are the boot CPU's. Every other CPU has its own LAPIC timer:
 * lapic_timer_periodic_cpu runs it periodically on VEC_CPU_TICK, a vector
 * of its own, at the boot CPU's measured rate (the same APIC bus clock).
 */
#pragma once

#include <stdint.h>

typedef void lapic_timer_fn(void *ctx);

struct lapic_timer_counts {
    uint64_t periodic, oneshot, deadline;   /* interrupts taken in each mode */
};

/* Measure it and register it as a clock event device; 0, or -1 (logged why). */
int lapic_timer_register_clockevent(void);
/* Measure the counter's rate (against the TSC over 2 ms, else the reference clock over
 * 10 ms); 0, or -1 when it never moved. */
int lapic_timer_init(void);
/* Counter ticks per second after the divider; 0 when never measured (not in use). */
uint64_t lapic_timer_rate(void);
int lapic_timer_has_deadline(void);

void lapic_timer_periodic(uint32_t hz, lapic_timer_fn *fn, void *ctx);
void lapic_timer_oneshot(uint64_t ns, lapic_timer_fn *fn, void *ctx);
/* -1 when the CPU has no TSC-deadline mode. */
int lapic_timer_deadline(uint64_t tsc, lapic_timer_fn *fn, void *ctx);
/* On an AP: this CPU's timer, periodic, calling fn(ctx) on each tick. */
void lapic_timer_periodic_cpu(uint32_t hz, lapic_timer_fn *fn, void *ctx);
/* On an AP: stop this CPU's tick (it idles without one). */
void lapic_timer_stop_cpu(void);
/* Mask and disarm, whatever the mode. */
void lapic_timer_stop(void);
struct lapic_timer_counts lapic_timer_counts(void);
