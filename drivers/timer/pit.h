/*
 * pit.h - the 8254 Programmable Interval Timer, channel 2 as a one-shot.
 *
 * Channel 2 is the one whose gate and output the CPU can see (port 0x61),
 * so it can time an interval by polling, with interrupts off and without
 * touching the channel 0 tick. Used to calibrate the TSC.
 */
#pragma once

#include <stdint.h>

#define PIT_HZ  1193182     /* the 8254 input clock, Hz */

/* Start channel 2 counting down from `count` (mode 0), speaker off. */
void pit_ch2_start(uint16_t count);
/* 1 once the count has reached zero (OUT2 high). */
int pit_ch2_done(void);
