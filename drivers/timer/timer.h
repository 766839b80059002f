/*
 * timer.h - the kernel tick: a periodic interrupt `timer_hz()` times a
 * second, counted in timer_ticks(). It wakes clock_sleep_ms, lets the
 * tests count, and calls the tick hook: the scheduler's (sched_tick in
 * kernel/sched/tick.c), which accounts time slices and wakes sleepers.
 *
 * Its source is a clock event device (clockevent.h), never named here:
 * timer_init has the platform register its devices and takes the best
 * one. On a PC that is the local APIC timer, per CPU (drivers/x86/
 * lapic_timer.c), when the interrupt controller is in APIC mode, the
 * timer counted during its measurement and `nolapic_timer` is not on the
 * command line; else PIT channel 0 on ISA IRQ 0 (drivers/x86/pit.c),
 * for the boot CPU only.
 * The rate is TIMER_HZ_DEFAULT, or `hz=N` on the command line when N lies
 * in TIMER_HZ_MIN..TIMER_HZ_MAX (anything else is reported and ignored).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define TIMER_HZ_DEFAULT    1000
#define TIMER_HZ_MIN        20      /* the PIT's slowest is 18.2 Hz */
#define TIMER_HZ_MAX        10000   /* 100 µs: faster is all interrupt overhead under TCG */

/* timer_parse_hz results */
#define TIMER_HZ_GIVEN      1       /* hz= present and good */
#define TIMER_HZ_ABSENT     0       /* no hz=: the default */
#define TIMER_HZ_BAD        (-1)    /* not a number, or out of range: the default */

/* The rate the command line asks for, in *hz (TIMER_HZ_DEFAULT unless GIVEN). */
int timer_parse_hz(const char *cmdline, size_t len, uint32_t *hz);

/* Choose the best clock event device and tick at `hz` on it; 0, or -1. */
int timer_init(uint32_t hz);
/* Stop and restart it (the tests borrow the device for one-shots). */
void timer_stop(void);
void timer_start(void);
/* On an AP: its own periodic tick at the same rate, calling the tick hook
 * only (nothing when no per-CPU device is registered). */
void timer_start_cpu(void);
/* On an AP: no tick while it idles (the scheduler restarts it). */
void timer_stop_cpu(void);

uint64_t timer_ticks(void);

/* Called on every tick, in the interrupt, interrupts off, before the EOI:
 * keep it short; never switch threads from it. One hook; NULL removes it. */
typedef void timer_tick_hook_fn(void);
void timer_set_tick_hook(timer_tick_hook_fn *fn);

/* The longest time between two ticks since the last reset (0 before two
 * ticks): far above a period, the CPU was paused (a busy host, under TCG). */
void timer_gap_reset(void);
uint64_t timer_max_gap_ns(void);
/* 1 when that gap is over 1.5 periods: the host paused this CPU meanwhile. */
int timer_paused(void);
/* Since timer_gap_reset: ticks QEMU merged into others while this CPU was
 * not running (each gap of over 1.5 periods counts its missing ticks). */
uint64_t timer_merged_ticks(void);
uint32_t timer_hz(void);
/* The tick device's name ("lapic-timer", "pit"), "none" before timer_init. */
const char *timer_source(void);
struct clockevent;
/* The device ticking the boot CPU, and the other CPUs' (NULL: none). */
const struct clockevent *timer_device(void);
const struct clockevent *timer_cpu_device(void);
