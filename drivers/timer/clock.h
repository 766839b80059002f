/*
 * clock.h - time since boot, and waiting.
 *
 * clock_init (once, at boot, after the ACPI tables) sets up the clocks in
 * dependency order:
 *   1. the HPET, when the ACPI tables list one (hpet.h): the reference;
 *   2. the TSC's rate: CPUID, else measured against the HPET or, without
 *      one, PIT channel 2 (kernel/arch/x86_64/tsc.h);
 *   3. the monotonic clock: clock_ns() = TSC ticks since kernel entry
 *      (kmain's first rdtsc) scaled to nanoseconds by a multiply and a
 *      shift, no division: an rdtsc and a few instructions, callable
 *      from any context, interrupts on or off. It never goes backwards on
 *      one CPU; across CPUs it relies on the TSCs being in step
 *      (invariant TSC: checked and said at boot).
 * Before clock_init, clock_ns() returns 0.
 *
 * Waiting: clock_spin_ns/clock_delay_us busy-wait (for device timing:
 * short, exact, any context); clock_sleep_ms waits for at least `ms`,
 * halting between timer ticks when interrupts are on (it becomes a
 * blocking sleep with the scheduler issue).
 */
#pragma once

#include <stdint.h>

#define NS_PER_US   1000ull
#define NS_PER_MS   1000000ull
#define NS_PER_SEC  1000000000ull

void clock_init(uint64_t boot_tsc);
uint64_t clock_ns(void);
void clock_spin_ns(uint64_t ns);
void clock_delay_us(uint64_t us);
void clock_sleep_ms(uint64_t ms);
