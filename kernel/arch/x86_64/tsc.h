/*
 * tsc.h - the time-stamp counter as a clock.
 *
 * tsc_calibrate measures the TSC against PIT channel 2 over about 10 ms and
 * remembers the rate. The result is approximate: the PIT is read by polling
 * (a few µs of slack at each end), and under QEMU TCG the guest TSC follows
 * the host clock loosely. Good for boot timelines, not for timekeeping.
 */
#pragma once

#include <stdint.h>

/* Calibrate; returns the TSC rate in kHz (0 if the PIT never fired). */
uint64_t tsc_calibrate(void);
uint64_t tsc_khz(void);
/* Ticks to microseconds with the calibrated rate (0 before calibration). */
uint64_t tsc_ticks_to_us(uint64_t ticks);
