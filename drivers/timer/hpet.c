/*
 * hpet.c - the HPET main counter (see hpet.h). Register offsets and bits:
 * IA-PC HPET specification 1.0a, 2.3 (General Capabilities and ID at 0x000,
 * General Configuration at 0x010, Main Counter Value at 0x0F0).
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "arch.h"
#include "printk.h"
#include "timer/hpet.h"
#include "timer/timemath.h"

#define HPET_CAPS           0x000
#define HPET_CONFIG         0x010
#define HPET_COUNTER        0x0F0
#define CAPS_PERIOD_SHIFT   32          /* COUNTER_CLK_PERIOD, fs */
#define CAPS_COUNT_SIZE_64  (1ull << 13)
#define CAPS_NUM_TIM_SHIFT  8           /* NUM_TIM_CAP: last timer's index */
#define CAPS_NUM_TIM_MASK   0x1F
#define CONFIG_ENABLE       (1ull << 0) /* ENABLE_CNF: the main counter runs */
#define CONFIG_LEGACY       (1ull << 1) /* LEG_RT_CNF: timers 0/1 take IRQ 0/8 */

static volatile uint8_t *regs;          /* through the direct map, see mmio.h */
static uint64_t period_fs;
static int wide;                        /* 64-bit main counter */

int hpet_present(void)
{
    return regs != 0;
}

uint64_t hpet_read(void)
{
    return wide ? arch_mmio_read64(regs + HPET_COUNTER) : arch_mmio_read32(regs + HPET_COUNTER);
}

uint64_t hpet_delta(uint64_t t0, uint64_t t1)
{
    return wide ? t1 - t0 : (uint32_t)(t1 - t0);
}

uint64_t hpet_period_fs(void)
{
    return period_fs;
}

uint64_t hpet_ticks_to_ns(uint64_t ticks)
{
    return time_mul_div(ticks, period_fs, HPET_FS_PER_NS);
}

uint64_t hpet_ns_to_ticks(uint64_t ns)
{
    return time_mul_div(ns, HPET_FS_PER_NS, period_fs);
}

int hpet_init(const struct acpi_info *acpi)
{
    volatile uint8_t *r;
    uint64_t caps, config;

    if (!acpi || !acpi->has_hpet || !acpi->hpet_addr || acpi->hpet_addr >= 1ull << 32) {
        printk(LOG_INFO, "[timer] no HPET in the ACPI tables: the PIT is the reference clock\n");
        return -1;
    }
    r = arch_phys_to_virt(acpi->hpet_addr);
    caps = arch_mmio_read64(r + HPET_CAPS);
    if ((caps >> CAPS_PERIOD_SHIFT) == 0 || (caps >> CAPS_PERIOD_SHIFT) > HPET_MAX_PERIOD_FS) {
        printk(LOG_WARN, "[timer] HPET at 0x%llx: period %llu fs out of spec: not used\n",
               (unsigned long long)acpi->hpet_addr, (unsigned long long)(caps >> CAPS_PERIOD_SHIFT));
        return -1;
    }
    period_fs = caps >> CAPS_PERIOD_SHIFT;
    wide = (caps & CAPS_COUNT_SIZE_64) != 0;
    config = arch_mmio_read64(r + HPET_CONFIG);
    arch_mmio_write64(r + HPET_CONFIG, (config & ~CONFIG_LEGACY) | CONFIG_ENABLE);
    regs = r;
    printk(LOG_INFO, "[timer] HPET at 0x%llx: %llu.%03llu MHz, %u-bit counter, %u comparators\n",
           (unsigned long long)acpi->hpet_addr,
           (unsigned long long)(1000000000ull / period_fs),
           (unsigned long long)(1000000000000ull / period_fs % 1000), wide ? 64 : 32,
           (unsigned)((caps >> CAPS_NUM_TIM_SHIFT & CAPS_NUM_TIM_MASK) + 1));
    return 0;
}
