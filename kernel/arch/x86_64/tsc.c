/*
 * tsc.c - TSC calibration against PIT channel 2 (see tsc.h).
 */
#include "arch.h"
#include "arch/x86_64/tsc.h"
#include "timer/pit.h"

#define CALIBRATE_MS    10
#define PIT_COUNT       (PIT_HZ * CALIBRATE_MS / 1000)   /* 11931 ticks = 10 ms */
#define SPIN_LIMIT      100000000ULL                     /* PIT missing: give up */

static uint64_t khz;

uint64_t tsc_calibrate(void)
{
    uint64_t t0, t1, spins = 0;

    pit_ch2_start(PIT_COUNT);
    t0 = arch_rdtsc();
    while (!pit_ch2_done())
        if (++spins == SPIN_LIMIT)
            return khz = 0;
    t1 = arch_rdtsc();
    /* ticks per PIT_COUNT PIT periods -> ticks per ms */
    khz = (t1 - t0) * PIT_HZ / ((uint64_t)PIT_COUNT * 1000);
    return khz;
}

uint64_t tsc_khz(void)
{
    return khz;
}

uint64_t tsc_ticks_to_us(uint64_t ticks)
{
    if (!khz)
        return 0;
    /* split to avoid overflow of ticks * 1000 for long intervals */
    return ticks / khz * 1000 + ticks % khz * 1000 / khz;
}
