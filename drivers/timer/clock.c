/*
 * clock.c - the monotonic clock and the waits (see clock.h).
 *
 * Nanoseconds from TSC ticks: ns = ticks * mult >> 32 with
 * mult = 10^6 * 2^32 / kHz, worked out once. The product is taken in 128
 * bits (one mul instruction), so it neither overflows after hours nor loses
 * the fraction a plain integer ns-per-tick would.
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "arch.h"
#include "panic.h"
#include "printk.h"
#include "timer/clock.h"
#include "timer/hpet.h"

#define MULT_SHIFT  32

static uint64_t base_tsc;
static uint64_t mult;           /* ns per tick, 32.32 fixed point */

uint64_t clock_ns(void)
{
    uint64_t d = arch_rdtsc() - base_tsc;

    return (uint64_t)((unsigned __int128)d * mult >> MULT_SHIFT);
}

void clock_spin_ns(uint64_t ns)
{
    uint64_t end;

    if (!mult)
        panic("clock_spin_ns: called before clock_init");
    end = clock_ns() + ns;
    while (clock_ns() < end)
        arch_cpu_relax();
}

void clock_delay_us(uint64_t us)
{
    clock_spin_ns(us * NS_PER_US);
}

void clock_sleep_ms(uint64_t ms)
{
    uint64_t end = clock_ns() + ms * NS_PER_MS;

    if (!arch_irq_enabled()) {
        clock_spin_ns(ms * NS_PER_MS);
        return;
    }
    while (clock_ns() < end)
        arch_wait_for_interrupt();      /* the tick (or any interrupt) wakes us */
}

static int tsc_invariant(void)
{
    if (arch_cpuid(CPUID_LEAF_EXT_MAX, 0).eax < CPUID_LEAF_EXT_POWER)
        return 0;
    return (arch_cpuid(CPUID_LEAF_EXT_POWER, 0).edx & CPUID_80000007_EDX_INVARIANT_TSC) != 0;
}

void clock_init(uint64_t boot_tsc)
{
    uint64_t khz;

    hpet_init(acpi_get());
    khz = tsc_calibrate();
    if (!khz)
        panic("clock_init: the TSC rate is unknown (no CPUID leaf, no HPET, PIT silent)");
    base_tsc = boot_tsc;
    mult = (NS_PER_MS << MULT_SHIFT) / khz;
    printk(LOG_INFO, "[timer] TSC at %llu.%03llu MHz (%s)%s\n", (unsigned long long)(khz / 1000),
           (unsigned long long)(khz % 1000), tsc_source(),
           tsc_invariant() ? ", invariant" : ", not marked invariant");
    printk(LOG_INFO, "[timer] monotonic clock: TSC-based, %llu ms since kernel entry\n",
           (unsigned long long)(clock_ns() / NS_PER_MS));
}
