/*
 * timer.c - the kernel tick (see timer.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "apic/irq.h"
#include "cmdline.h"
#include "printk.h"
#include "timer/clock.h"
#include "x86/lapic_timer.h"
#include "timer/pit.h"
#include "timer/timer.h"

static volatile uint64_t ticks;
static uint32_t hz;
static int pit_handle = -1;     /* PIC mode: the claimed ISA IRQ 0 */
static timer_tick_hook_fn *tick_hook;

int timer_parse_hz(const char *cmdline, size_t len, uint32_t *out)
{
    uint64_t v;
    int r = cmdline_number(cmdline, len, "hz", &v);

    *out = TIMER_HZ_DEFAULT;
    if (r == 0)
        return TIMER_HZ_ABSENT;
    if (r < 0 || v < TIMER_HZ_MIN || v > TIMER_HZ_MAX)
        return TIMER_HZ_BAD;
    *out = (uint32_t)v;
    return TIMER_HZ_GIVEN;
}

/*
 * The longest time between two ticks since timer_gap_reset. A gap of
 * several periods means the CPU was not running: under QEMU's TCG, the host
 * did not schedule this vCPU, and the ticks of that time were merged into
 * one. Timing tests use it to tell a paused guest from a wrong timer.
 */
static volatile uint64_t last_tick_ns, max_gap_ns, merged;

/* Over 1.5 tick periods: the CPU did not run for a while, ticks were merged. */
static int is_long_gap(uint64_t gap)
{
    return gap * 2 * hz > 3 * NS_PER_SEC;
}

static void on_tick(void *ctx)
{
    uint64_t now = clock_ns(), gap = now - last_tick_ns, period = NS_PER_SEC / hz;

    (void)ctx;
    ticks++;
    if (last_tick_ns && gap > max_gap_ns)
        max_gap_ns = gap;
    if (last_tick_ns && is_long_gap(gap))
        merged += (gap + period / 2) / period - 1;
    last_tick_ns = now;
    if (tick_hook)
        tick_hook();
}

/* An AP's tick: only the hook (the tick count and gap figures are the boot CPU's). */
static void on_cpu_tick(void *ctx)
{
    (void)ctx;
    if (tick_hook)
        tick_hook();
}

void timer_start_cpu(void)
{
    if (irq_mode() == IRQ_MODE_APIC && hz)
        lapic_timer_periodic_cpu(hz, on_cpu_tick, 0);
}

void timer_stop_cpu(void)
{
    if (irq_mode() == IRQ_MODE_APIC)
        lapic_timer_stop_cpu();
}

void timer_set_tick_hook(timer_tick_hook_fn *fn)
{
    tick_hook = fn;
}

void timer_gap_reset(void)
{
    last_tick_ns = 0;
    max_gap_ns = 0;
    merged = 0;
}

int timer_paused(void)
{
    return is_long_gap(max_gap_ns);
}

uint64_t timer_merged_ticks(void)
{
    return merged;
}

uint64_t timer_max_gap_ns(void)
{
    return max_gap_ns;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

uint32_t timer_hz(void)
{
    return hz;
}

const char *timer_source(void)
{
    return irq_mode() == IRQ_MODE_APIC ? "LAPIC timer" : "PIT channel 0";
}

void timer_start(void)
{
    if (irq_mode() == IRQ_MODE_APIC)
        lapic_timer_periodic(hz, on_tick, 0);
    else
        pit_ch0_periodic(hz);
}

void timer_stop(void)
{
    if (irq_mode() == IRQ_MODE_APIC)
        lapic_timer_stop();
    else
        pit_ch0_stop();
}

int timer_init(uint32_t rate)
{
    hz = rate;
    if (irq_mode() == IRQ_MODE_APIC) {
        if (lapic_timer_init() != 0) {
            printk(LOG_ERR, "[timer] the LAPIC timer never counted: no tick\n");
            return -1;
        }
    } else if ((pit_handle = irq_register_isa(0, on_tick, 0)) < 0) {
        printk(LOG_ERR, "[timer] cannot claim ISA IRQ 0 for the PIT (error %d): no tick\n",
               pit_handle);
        return -1;
    }
    timer_start();
    printk(LOG_INFO, "[timer] tick: %s, periodic at %u Hz\n", timer_source(), (unsigned)hz);
    return 0;
}
