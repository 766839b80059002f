/*
 * clockevent.h - clock event devices: the hardware timers that can
 * interrupt a CPU at a rate, named by what they can do rather than by
 * what they are, so the tick (timer.c) and the scheduler never name one.
 * The idea is Linux's clockevents, in small.
 *
 * A driver fills a struct clockevent and hands it to clockevent_register
 * once the device is known to work (the LAPIC timer after it measured its
 * rate, drivers/x86/lapic_timer.c; PIT channel 0, drivers/x86/pit.c).
 * Which drivers register is the platform's business: timer_init calls
 * clockevent_register_platform (drivers/x86/pc_clockevents.c on a PC).
 * timer_init then takes the best device (clockevent_best): the highest
 * rating among those that can run periodically; a per-CPU device also
 * ticks the other CPUs (clockevent_best_per_cpu).
 *
 * Rules: register at boot, interrupts off, one CPU running; a device is
 * never unregistered. The handler fn(ctx) runs in the interrupt, with
 * interrupts off, before the end of interrupt; keep it short.
 */
#pragma once

#include <stdint.h>

typedef void clockevent_fn(void *ctx);

#define CLOCKEVENT_PERIODIC     1u  /* set_periodic works */
#define CLOCKEVENT_ONESHOT      2u  /* set_oneshot works */
#define CLOCKEVENT_PER_CPU      4u  /* one per CPU: set_periodic_cpu/stop_cpu on the others */

#define CLOCKEVENT_MAX          8

struct clockevent {
    const char *name;           /* short, for the log: "lapic-timer", "pit" */
    int rating;                 /* higher is better: finer, cheaper to program, per CPU */
    unsigned features;          /* CLOCKEVENT_* */
    /* Interrupt fn(ctx) `hz` times a second on the boot CPU; 0, or < 0 on failure. */
    int (*set_periodic)(uint32_t hz, clockevent_fn *fn, void *ctx);
    /* One interrupt `ns` from now (ONESHOT devices; may be NULL otherwise). */
    void (*set_oneshot)(uint64_t ns, clockevent_fn *fn, void *ctx);
    /* No more interrupts, whatever the mode. */
    void (*stop)(void);
    /* PER_CPU devices, called on the CPU concerned: its own periodic tick, and its stop. */
    void (*set_periodic_cpu)(uint32_t hz, clockevent_fn *fn, void *ctx);
    void (*stop_cpu)(void);
};

/* Add a working device; refused (and logged) when the table is full or it cannot tick. */
int clockevent_register(const struct clockevent *dev);
/* The platform's drivers register their devices (defined by the platform). */
void clockevent_register_platform(void);

/* The periodic device of highest rating, or NULL when none registered. */
const struct clockevent *clockevent_best(void);
/* The periodic per-CPU device of highest rating, or NULL. */
const struct clockevent *clockevent_best_per_cpu(void);
/* The registered devices, in order of registration (the tests list them). */
unsigned clockevent_count(void);
const struct clockevent *clockevent_at(unsigned i);
