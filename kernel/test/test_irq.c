/*
 * test_irq.c - ktests for the interrupt controllers (drivers/apic/irq.c,
 * drivers/x86/): the mode chosen matches the machine, real device
 * interrupts arrive through irq_register_isa (the PIT on ISA IRQ 0, on the
 * GSI the MADT's override names, 2 on QEMU; the RTC's periodic interrupt
 * on IRQ 8),
 * are counted, then released; a taken line is refused.
 *
 * Waiting for interrupts spins on the monotonic clock with interrupts on
 * (the tick may be stopped, so hlt could sleep for ever).
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "x86/ioapic.h"
#include "apic/irq.h"
#include "x86/lapic.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "x86/pic.h"
#include "test/ktest.h"
#include "timer/clock.h"
#include "x86/pit.h"
#include "timer/rtc.h"
#include "timer/timer.h"

#define SVR_APIC_ENABLE     (1u << 8)
#define PIT_TEST_HZ         1000
#define RTC_RATE_1024_HZ    6           /* 32768 >> (6 - 1) */
#define WAIT_MS             60
#define QUIET_MS            10
#define PAUSED_TRIES        20      /* windows the host may spoil by pausing the guest */
/*
 * Interrupts a device must deliver in a WAIT_MS window: an eighth of its
 * rate. These tests prove delivery and routing (a wrong line or vector
 * gives none; a rate set wrong by the driver, e.g. the PIT's 18.2 Hz
 * default or the RTC's 2 Hz, gives 0 or 1), not the rate: QEMU's PIT and
 * RTC run in its main-loop thread, which a busy host core shared with
 * eight vCPUs may serve late, and both then drop the ticks they missed,
 * while the guest's own tick, from the same loop, can look regular
 * (seen once in six loaded 8-CPU runs: both tests short together).
 */
#define AT_LEAST(hz)        (WAIT_MS * (hz) / 8000)

static volatile uint64_t seen;

/* ISA IRQ 0 carries the tick: PIC mode, or the LAPIC timer refused (nolapic_timer). */
static int tick_on_pit(void)
{
    return timer_device() == pit_clockevent();
}

static void count_pit(void *ctx)
{
    (void)ctx;
    seen++;
}

static void count_rtc(void *ctx)
{
    (void)ctx;
    rtc_ack();
    seen++;
}

/* Spin `ms` with interrupts on; the count of `seen` over that time. */
static uint64_t count_for_ms(uint64_t ms)
{
    uint64_t start = seen;

    arch_irq_enable();
    clock_spin_ns(ms * NS_PER_MS);
    return seen - start;
}

/*
 * Interrupts in a WAIT_MS window, at least `want` of them. A short count
 * in a window where the tick shows the host paused this CPU (a gap of over
 * 1.5 periods: QEMU then merges the device's interrupts too) says nothing
 * about the device, so that window is measured again, as test_time.c does.
 */
static uint64_t count_window(uint64_t want)
{
    uint64_t n = 0;

    for (int i = 0; i < PAUSED_TRIES; i++) {
        timer_gap_reset();
        n = count_for_ms(WAIT_MS);
        if (n >= want || !timer_paused())
            break;
    }
    return n;
}

void ktest_irq_mode_matches_machine(struct ktest *t)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    const struct acpi_info *a = acpi_get();

    /* irq_init's reasons for the 8259s, read from the command line, the tables and CPUID */
    if (cmdline_has_word(cmdline, len, "noapic") || !a || !a->has_madt || a->ioapic_count == 0 ||
        !(arch_cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_APIC)) {
        KTEST_ASSERT_EQ(t, irq_mode(), IRQ_MODE_PIC);
        KTEST_ASSERT_EQ(t, pic_get_mask() & 1, 0);          /* IRQ 0: the tick */
        return;
    }
    if (!KTEST_ASSERT_EQ(t, irq_mode(), IRQ_MODE_APIC))
        return;
    KTEST_ASSERT_EQ(t, pic_get_mask(), 0xFFFF);             /* the 8259s silenced */
    KTEST_ASSERT_EQ(t, lapic_is_x2apic(), arch_cpu_has_x2apic());
    KTEST_ASSERT_EQ(t, lapic_read(LAPIC_SVR) & 0x1FF, SVR_APIC_ENABLE | VEC_SPURIOUS);
    KTEST_ASSERT_EQ(t, lapic_id(), arch_cpuid(CPUID_LEAF_FEATURES, 0).ebx >> 24);
    KTEST_ASSERT(t, arch_irq_enabled());
}

/* APIC mode: the entry irq_register_isa programmed, read back from the IOAPIC. */
static void check_ioapic_entry(struct ktest *t, int handle, unsigned isa_irq)
{
    struct acpi_iso iso = acpi_isa_irq(acpi_get(), (uint8_t)isa_irq);
    uint64_t rte = ioapic_read_entry(iso.gsi);

    KTEST_ASSERT_EQ(t, irq_line_of(handle), iso.gsi);
    KTEST_ASSERT_EQ(t, rte & IOAPIC_RTE_VECTOR_MASK, (uint64_t)irq_vector_of(handle));
    KTEST_ASSERT_EQ(t, rte & IOAPIC_RTE_MASKED, 0);
    KTEST_ASSERT_EQ(t, !!(rte & IOAPIC_RTE_ACTIVE_LOW), iso.polarity == ACPI_POLARITY_LOW);
    KTEST_ASSERT_EQ(t, !!(rte & IOAPIC_RTE_LEVEL), iso.trigger == ACPI_TRIGGER_LEVEL);
    KTEST_ASSERT_EQ(t, rte >> IOAPIC_RTE_DEST_SHIFT, lapic_id());
}

/* After irq_release: masked at the controller, and no more interrupts. */
static void check_released(struct ktest *t, int handle, uint32_t line)
{
    KTEST_ASSERT_EQ(t, irq_line_of(handle), (uint64_t)-1);
    if (irq_mode() == IRQ_MODE_APIC)
        KTEST_ASSERT(t, ioapic_read_entry(line) & IOAPIC_RTE_MASKED);
    else
        KTEST_ASSERT(t, pic_get_mask() & (1u << line));
}

/*
 * The PIT on ISA IRQ 0 through the IOAPIC (on the GSI the MADT's override
 * names). When IRQ 0 carries the tick (PIC mode, nolapic_timer) it must be counting.
 */
void ktest_irq_pit_delivered(struct ktest *t)
{
    uint64_t n, total;
    int h;
    uint32_t line;

    if (tick_on_pit()) {
        uint64_t ticks = 0;

        for (int i = 0; i < PAUSED_TRIES; i++) {     /* a window the host paused is measured again */
            uint64_t t0 = timer_ticks();

            timer_gap_reset();
            count_for_ms(WAIT_MS);
            ticks = timer_ticks() - t0;
            if (ticks >= WAIT_MS * timer_hz() / 2000 || !timer_paused())
                break;
        }
        KTEST_ASSERT(t, ticks >= WAIT_MS * timer_hz() / 2000);
        return;
    }
    h = irq_register_isa(0, count_pit, 0);
    if (!KTEST_ASSERT(t, irq_vector_of(h) >= VEC_IRQ_BASE && irq_vector_of(h) <= VEC_IRQ_LAST))
        return;
    check_ioapic_entry(t, h, 0);
    line = (uint32_t)irq_line_of(h);
    total = seen;
    pit_ch0_periodic(PIT_TEST_HZ);
    n = count_window(AT_LEAST(PIT_TEST_HZ));
    pit_ch0_stop();
    irq_release(h);
    total = seen - total;               /* one may land after the window, before the release */
    KTEST_ASSERT(t, n >= AT_LEAST(PIT_TEST_HZ));
    n = total;
    /* one interrupt latched in the local APIC before the mask may still be
     * delivered after the release: the line counts it, the handler is gone */
    KTEST_ASSERT(t, irq_count(h) == n || irq_count(h) == n + 1);
    check_released(t, h, line);
    pit_ch0_periodic(PIT_TEST_HZ);                          /* running, but masked now */
    KTEST_ASSERT_EQ(t, count_for_ms(QUIET_MS), 0);
    pit_ch0_stop();
}

/* The RTC's periodic interrupt on ISA IRQ 8 (the slave 8259 in PIC mode). */
void ktest_irq_rtc_delivered(struct ktest *t)
{
    uint64_t n;
    int h = irq_register_isa(8, count_rtc, 0);
    uint32_t line;

    if (!KTEST_ASSERT(t, irq_vector_of(h) >= VEC_PIC_BASE && irq_vector_of(h) <= VEC_IRQ_LAST))
        return;
    if (irq_mode() == IRQ_MODE_APIC)
        check_ioapic_entry(t, h, 8);
    else
        KTEST_ASSERT_EQ(t, irq_vector_of(h), VEC_PIC_BASE + 8);
    line = (uint32_t)irq_line_of(h);
    rtc_periodic_start(RTC_RATE_1024_HZ);
    n = count_window(AT_LEAST(1024));
    rtc_periodic_stop();
    irq_release(h);
    KTEST_ASSERT(t, n >= AT_LEAST(1024));
    check_released(t, h, line);
}

void ktest_irq_register_refuses_taken(struct ktest *t)
{
    int h8 = irq_register_isa(8, count_rtc, 0);

    if (!KTEST_ASSERT(t, h8 >= 0))
        return;
    KTEST_ASSERT_EQ(t, irq_register_isa(8, count_rtc, 0), IRQ_ERR_BUSY);
    KTEST_ASSERT_EQ(t, irq_register_isa(16, count_rtc, 0), IRQ_ERR_RANGE);
    KTEST_ASSERT_EQ(t, irq_register_isa(9, 0, 0), IRQ_ERR_RANGE);
    if (tick_on_pit())
        KTEST_ASSERT_EQ(t, irq_register_isa(0, count_pit, 0), IRQ_ERR_BUSY);  /* the tick */
    if (irq_mode() == IRQ_MODE_APIC) {
        int h0 = tick_on_pit() ? -1 : irq_register_isa(0, count_pit, 0);
        uint32_t gsi0 = acpi_isa_irq(acpi_get(), 0).gsi;

        KTEST_ASSERT(t, tick_on_pit() || (h0 >= 0 && h0 != h8));
        KTEST_ASSERT_EQ(t, irq_register_gsi(gsi0, 0, count_pit, 0), IRQ_ERR_BUSY);
        KTEST_ASSERT_EQ(t, irq_register_gsi(acpi_isa_irq(acpi_get(), 8).gsi, 0, count_rtc, 0),
                        IRQ_ERR_BUSY);
        KTEST_ASSERT_EQ(t, irq_register_gsi(100000, 0, count_rtc, 0), IRQ_ERR_RANGE);
        if (h0 >= 0)
            irq_release(h0);
    }
    irq_release(h8);
    h8 = irq_register_isa(8, count_rtc, 0);                 /* free again */
    KTEST_ASSERT(t, h8 >= 0);
    irq_release(h8);
}
