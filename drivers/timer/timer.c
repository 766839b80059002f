/*
 * timer.c - the kernel tick (see timer.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "cmdline.h"
#include "printk.h"
#include "timer/clock.h"
#include "timer/clockevent.h"
#include "timer/timer.h"

static volatile uint64_t ticks;
static uint32_t hz;
static const struct clockevent *tick_dev;      /* the boot CPU's tick */
static const struct clockevent *cpu_dev;       /* the other CPUs' ticks; NULL: they have none */
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
    if (cpu_dev && hz)
        cpu_dev->set_periodic_cpu(hz, on_cpu_tick, 0);
}

void timer_stop_cpu(void)
{
    if (cpu_dev)
        cpu_dev->stop_cpu();
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
    return tick_dev ? tick_dev->name : "none";
}

const struct clockevent *timer_device(void)
{
    return tick_dev;
}

const struct clockevent *timer_cpu_device(void)
{
    return cpu_dev;
}

void timer_start(void)
{
    if (tick_dev)
        tick_dev->set_periodic(hz, on_tick, 0);
}

void timer_stop(void)
{
    if (tick_dev)
        tick_dev->stop();
}

/* One line: the device chosen, its rate, and whether the other CPUs tick too. */
static void report_choice(void)
{
    printk(LOG_INFO, "[timer] tick: %s at %u Hz, %s (best of %u clock event devices)\n",
           tick_dev->name, (unsigned)hz,
           tick_dev == cpu_dev ? "per CPU" : cpu_dev ? "boot CPU; the others on their own"
                                                     : "boot CPU only: the other CPUs have no tick",
           clockevent_count());
}

int timer_init(uint32_t rate)
{
    int r;

    hz = rate;
    clockevent_register_platform();
    tick_dev = clockevent_best();
    cpu_dev = clockevent_best_per_cpu();
    if (!tick_dev) {
        printk(LOG_ERR, "[timer] timer_init: no clock event device registered: no tick\n");
        return -1;
    }
    if ((r = tick_dev->set_periodic(hz, on_tick, 0)) != 0) {
        printk(LOG_ERR, "[timer] timer_init: %s would not start (error %d): no tick\n", tick_dev->name, r);
        tick_dev = 0;
        return -1;
    }
    report_choice();
    return 0;
}
