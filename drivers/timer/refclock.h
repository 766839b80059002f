/*
 * refclock.h - the reference clock every calibration is measured against:
 * the HPET main counter when there is one (hpet.h), else PIT channel 2
 * as a one-shot read back by latching (pit.h). Both run from a crystal of known rate; the
 * TSC and the LAPIC timer do not tell theirs (except through CPUID leaf
 * 0x15, tsc.c), so kernel/arch/x86_64/tsc.c and drivers/x86/lapic_timer.c
 * count their own ticks over an interval of this clock.
 *
 * refclock_measure polls: call it with interrupts off, or an interrupt
 * handler's time at either end lands in one count and not the other.
 */
#pragma once

#include <stdint.h>

#define REFCLOCK_PIT_MAX_MS 50      /* PIT channel 2 counts at most 65536 / 1.193182 MHz = 54.9 ms */

/* "the HPET" or "PIT channel 2": what refclock_measure uses. */
const char *refclock_name(void);

/*
 * How far `read(ctx)` (an up-counter) advances over about `ms` milliseconds
 * of the reference clock (at most REFCLOCK_PIT_MAX_MS with the PIT). *ns
 * gets the interval as the reference measured it. Returns 0 and *ns = 0
 * when the reference never moved (no working PIT).
 */
uint64_t refclock_measure(uint64_t (*read)(void *ctx), void *ctx, unsigned ms, uint64_t *ns);

/*
 * The same with interrupts on, halting between reads of the reference: for
 * counting interrupts (the tick test). Needs an interrupt at least every
 * few milliseconds to wake it. Polling without a pause would, under QEMU,
 * keep the device lock busy and delay the very timer interrupts counted.
 */
uint64_t refclock_measure_halting(uint64_t (*read)(void *ctx), void *ctx, unsigned ms,
                                  uint64_t *ns);
