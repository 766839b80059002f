/*
 * pit.h - the 8254 Programmable Interval Timer: three 16-bit down-counters
 * fed by one 1.193182 MHz clock.
 *
 * Channel 2 is the one whose gate the CPU controls (port 0x61) and that
 * drives no interrupt line, so it times an interval by reading its count
 * back, with interrupts off and without touching channel 0: the reference
 * clock for calibrations when there is no HPET (drivers/timer/refclock.c).
 * Channel 0 drives ISA IRQ 0: pit_register_clockevent offers it as the
 * clock event device "pit" (clockevent.h), periodic, for the boot CPU
 * only, rated below the LAPIC timer: the tick when the 8259 PICs are the
 * fallback interrupt controller or the LAPIC timer is refused. It is also
 * the tests' interrupt source through the IOAPIC (ISA IRQ 0, on the GSI
 * the MADT's override names: GSI 2 on QEMU).
 */
#pragma once

#include <stdint.h>

#define PIT_HZ          1193182     /* the 8254 input clock, Hz */
#define PIT_MAX_COUNT   65536       /* a count of 0 means 65536 */

/* Start channel 2 counting down from `count` (mode 0), speaker off. */
void pit_ch2_start(uint16_t count);
/* Channel 2's count as it stands (latched: both bytes from one instant). */
uint16_t pit_ch2_read(void);

/* Register channel 0 as a clock event device (it claims IRQ 0 when first started). */
int pit_register_clockevent(void);
struct clockevent;
/* That device (the tests ask whether the tick is on it). */
const struct clockevent *pit_clockevent(void);

/* Channel 0 as a rate generator at about `hz` (19..PIT_HZ): IRQ 0 `hz` times a second. */
void pit_ch0_periodic(uint32_t hz);
/* Channel 0 one-shot with the longest count: stops the periodic interrupts. */
void pit_ch0_stop(void);
