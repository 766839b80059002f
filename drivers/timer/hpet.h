/*
 * hpet.h - the High Precision Event Timer's main counter as a clock
 * (IA-PC HPET specification 1.0a). The ACPI HPET table gives its MMIO
 * address; its capabilities register gives the counter's period in
 * femtoseconds (at most 100 ns) and width (32 or 64 bits). hpet_init
 * starts the counter (without legacy replacement: the PIT and RTC keep
 * ISA IRQ 0 and 8) and never resets it. Its comparators are not used yet.
 *
 * The HPET is the reference the TSC and the LAPIC timer are calibrated
 * against (drivers/timer/refclock.c) and the clock the tests check the
 * monotonic clock with. Reading it is an MMIO access: slow next to rdtsc.
 */
#pragma once

#include <stdint.h>

struct acpi_info;

#define HPET_FS_PER_NS      1000000ull
#define HPET_MAX_PERIOD_FS  100000000ull    /* 100 ns: spec 1.0a, 2.3.4 */

/* Find and start the HPET of the ACPI tables; 0, or -1 when there is none. */
int hpet_init(const struct acpi_info *acpi);
int hpet_present(void);
/* The main counter as it stands. */
uint64_t hpet_read(void);
/* Counter ticks from t0 to t1, across one wrap of a 32-bit counter. */
uint64_t hpet_delta(uint64_t t0, uint64_t t1);
uint64_t hpet_period_fs(void);
uint64_t hpet_ticks_to_ns(uint64_t ticks);
uint64_t hpet_ns_to_ticks(uint64_t ns);
