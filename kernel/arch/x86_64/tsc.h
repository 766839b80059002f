/*
 * tsc.h - the time-stamp counter as a clock: its rate, and conversions.
 *
 * tsc_calibrate finds the rate once, at boot, in the first way that works:
 *   1. CPUID leaf 0x15 (the TSC/crystal ratio times the crystal's Hz),
 *   2. CPUID leaf 0x16 (the base frequency in MHz: the TSC's rate on the
 *      CPUs that have the leaf but give no crystal rate in 0x15),
 *   3. counting TSC ticks over 20 ms of the reference clock
 *      (drivers/timer/refclock.h: the HPET, else PIT channel 2).
 * Call it after hpet_init. Under QEMU TCG the guest TSC is the host's (or,
 * with -icount, one tick per guest instruction), so the CPUID leaves are
 * rarely there and the measurement is what counts.
 * The monotonic clock (drivers/timer/clock.h) is built on this rate.
 */
#pragma once

#include <stdint.h>

/* Find the rate; returns it in kHz (0 if nothing could measure it). */
uint64_t tsc_calibrate(void);
uint64_t tsc_khz(void);
/* Where the rate came from: "CPUID leaf 0x15", "measured against the HPET over 20 ms", ... */
const char *tsc_source(void);
/* Ticks to microseconds and nanoseconds with the rate (0 before calibration). */
uint64_t tsc_ticks_to_us(uint64_t ticks);
uint64_t tsc_ticks_to_ns(uint64_t ticks);
uint64_t tsc_ns_to_ticks(uint64_t ns);
/* The CPUID answer alone, in kHz (0 when the CPU does not give one). */
uint64_t tsc_khz_from_cpuid(const char **leaf);
