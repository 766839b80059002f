/*
 * clockevent.c - the table of clock event devices and the choice among
 * them (see clockevent.h). Filled at boot on one CPU, read-only after.
 */
#include <stddef.h>

#include "printk.h"
#include "timer/clockevent.h"

static const struct clockevent *devices[CLOCKEVENT_MAX];
static unsigned device_count;

static int can_tick(const struct clockevent *d)
{
    return (d->features & CLOCKEVENT_PERIODIC) && d->set_periodic && d->stop;
}

static int can_tick_per_cpu(const struct clockevent *d)
{
    return can_tick(d) && (d->features & CLOCKEVENT_PER_CPU) && d->set_periodic_cpu && d->stop_cpu;
}

int clockevent_register(const struct clockevent *dev)
{
    if (device_count == CLOCKEVENT_MAX || !can_tick(dev)) {
        printk(LOG_ERR, "clockevent_register: %s refused (%s)\n", dev->name,
               device_count == CLOCKEVENT_MAX ? "table full" : "no periodic mode");
        return -1;
    }
    devices[device_count++] = dev;
    return 0;
}

static const struct clockevent *best_where(int (*fits)(const struct clockevent *))
{
    const struct clockevent *best = NULL;

    for (unsigned i = 0; i < device_count; i++)
        if (fits(devices[i]) && (!best || devices[i]->rating > best->rating))
            best = devices[i];
    return best;
}

const struct clockevent *clockevent_best(void)
{
    return best_where(can_tick);
}

const struct clockevent *clockevent_best_per_cpu(void)
{
    return best_where(can_tick_per_cpu);
}

unsigned clockevent_count(void)
{
    return device_count;
}

const struct clockevent *clockevent_at(unsigned i)
{
    return i < device_count ? devices[i] : NULL;
}
