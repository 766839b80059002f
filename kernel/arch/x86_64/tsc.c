/*
 * tsc.c - the TSC's rate (see tsc.h): CPUID leaves 0x15 and 0x16 (Intel
 * SDM vol. 2A, CPUID; vol. 3B 18.7.3), else a measurement against the
 * reference clock of drivers/timer/refclock.c.
 */
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/tsc.h"
#include "format.h"
#include "timer/refclock.h"
#include "timer/timemath.h"

#define CALIBRATE_MS    20
#define KHZ_MIN         1000ull             /* 1 MHz: anything slower is nonsense */
#define HZ_PER_KHZ      1000ull
#define NS_PER_MS       1000000ull

static uint64_t khz;
static const char *source = "not calibrated";
static char measured[48];

/* Leaf 0x15: EAX = denominator, EBX = numerator of TSC/crystal, ECX = crystal Hz. */
static uint64_t khz_leaf_15(void)
{
    struct arch_cpuid_regs r = arch_cpuid(CPUID_LEAF_TSC_CRYSTAL, 0);

    if (r.eax == 0 || r.ebx == 0 || r.ecx == 0)
        return 0;
    return (uint64_t)r.ecx * r.ebx / r.eax / HZ_PER_KHZ;
}

/* Leaf 0x16: EAX[15:0] = processor base frequency, MHz. */
static uint64_t khz_leaf_16(void)
{
    return (uint64_t)(arch_cpuid(CPUID_LEAF_FREQUENCY, 0).eax & 0xFFFF) * HZ_PER_KHZ;
}

uint64_t tsc_khz_from_cpuid(const char **leaf)
{
    uint32_t max = arch_cpuid_max_leaf();
    uint64_t k;

    if (max >= CPUID_LEAF_TSC_CRYSTAL && (k = khz_leaf_15()) >= KHZ_MIN) {
        *leaf = "CPUID leaf 0x15";
        return k;
    }
    if (max >= CPUID_LEAF_FREQUENCY && (k = khz_leaf_16()) >= KHZ_MIN) {
        *leaf = "CPUID leaf 0x16";
        return k;
    }
    return 0;
}

static uint64_t read_tsc(void *ctx)
{
    (void)ctx;
    return arch_rdtsc();
}

uint64_t tsc_calibrate(void)
{
    uint64_t ticks, ns;

    khz = tsc_khz_from_cpuid(&source);
    if (khz)
        return khz;
    ticks = refclock_measure(read_tsc, 0, CALIBRATE_MS, &ns);
    khz = time_mul_div(ticks, NS_PER_MS, ns);
    if (khz) {
        format_snprintf(measured, sizeof measured, "measured against %s over %u ms",
                        refclock_name(), CALIBRATE_MS);
        source = measured;
    }
    return khz;
}

uint64_t tsc_khz(void)
{
    return khz;
}

const char *tsc_source(void)
{
    return source;
}

uint64_t tsc_ticks_to_us(uint64_t ticks)
{
    return time_mul_div(ticks, HZ_PER_KHZ, khz);
}

uint64_t tsc_ticks_to_ns(uint64_t ticks)
{
    return time_mul_div(ticks, NS_PER_MS, khz);
}

uint64_t tsc_ns_to_ticks(uint64_t ns)
{
    return time_mul_div(ns, khz, NS_PER_MS);
}
