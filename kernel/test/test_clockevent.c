/*
 * test_clockevent.c - ktests for the choice of the tick's clock event
 * device (drivers/timer/clockevent.c, timer.c): the device ticking is the
 * one the machine and the command line call for, worked out here from
 * the interrupt controller's mode and the words on the command line, not
 * from the code that chose; it is the best registered; it ticks.
 *
 * On a PC: the LAPIC timer ("lapic-timer", per CPU) in APIC mode, PIT
 * channel 0 ("pit", boot CPU only) in PIC mode or with `nolapic_timer`;
 * the cell boot/q35-nolapictimer-1cpu (tests/cases.sh) boots the latter
 * in APIC mode, so the PIT's IRQ 0 reaches the CPU through the IOAPIC, on
 * the GSI the MADT names for it.
 */
#include <stdint.h>
#include <string.h>

#include "acpi/acpi_kernel.h"
#include "apic/irq.h"
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "printk.h"
#include "test/ktest.h"
#include "timer/clock.h"
#include "timer/clockevent.h"
#include "timer/timer.h"
#include "x86/ioapic.h"

#define TICK_WAIT_MS    50

/* The device the machine and the command line call for. */
static const char *expected_device(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    if (irq_mode() == IRQ_MODE_APIC && !cmdline_has_word(cmdline, len, "nolapic_timer"))
        return "lapic-timer";
    return "pit";
}

/* No registered periodic device is rated above the one ticking. */
static int is_best(const struct clockevent *tick)
{
    for (unsigned i = 0; i < clockevent_count(); i++) {
        const struct clockevent *d = clockevent_at(i);

        if ((d->features & CLOCKEVENT_PERIODIC) && d->rating > tick->rating)
            return 0;
    }
    return 1;
}

/* The ticks over TICK_WAIT_MS, interrupts on. */
static uint64_t ticks_in_wait(void)
{
    uint64_t t0 = timer_ticks();

    arch_irq_enable();
    clock_spin_ns(TICK_WAIT_MS * NS_PER_MS);
    return timer_ticks() - t0;
}

/* APIC mode with the PIT ticking: ISA IRQ 0's GSI (from the MADT) is open at the IOAPIC. */
static void check_pit_routed(struct ktest *t)
{
    uint32_t gsi = acpi_isa_irq(acpi_get(), 0).gsi;

    KTEST_ASSERT(t, ioapic_has_gsi(gsi));
    KTEST_ASSERT_EQ(t, ioapic_read_entry(gsi) & IOAPIC_RTE_MASKED, 0);
}

void ktest_timer_clockevent_choice(struct ktest *t)
{
    const struct clockevent *tick = timer_device();
    const char *want = expected_device();

    if (!KTEST_ASSERT(t, tick != NULL))
        return;
    printk(LOG_INFO, "[timer] tick on %s (rating %d), %u devices registered, %s expected\n",
           tick->name, tick->rating, clockevent_count(), want);
    KTEST_ASSERT_STR_EQ(t, tick->name, want);
    KTEST_ASSERT(t, is_best(tick));
    KTEST_ASSERT_STR_EQ(t, timer_source(), tick->name);
    if (!strcmp(want, "pit")) {
        KTEST_ASSERT_EQ(t, tick->features & CLOCKEVENT_PER_CPU, 0);
        KTEST_ASSERT(t, timer_cpu_device() == NULL);
        if (irq_mode() == IRQ_MODE_APIC)
            check_pit_routed(t);
    } else {
        KTEST_ASSERT(t, timer_cpu_device() == tick);
    }
    KTEST_ASSERT(t, ticks_in_wait() > 0);
}
