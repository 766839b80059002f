/*
 * test_madt.c - host tests for reading interrupt routing out of the MADT
 * (drivers/acpi/madt.c, acpi_isa_irq, drivers/apic/irq_route.c) on
 * machines QEMU cannot be made into: an IOAPIC at another address and GSI
 * base, two IOAPICs splitting the GSIs, no override for IRQ 0 (so it is
 * GSI 0, not QEMU's 2), overrides with polarity and trigger flags, and a
 * local APIC address override (entry type 5). Each MADT is built entry by
 * entry here; the expected answers are this file's own numbers, never the
 * code's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/acpi_parsers.h"
#include "acpi/acpi_tables.h"
#include "apic/irq_route.h"
#include "x86/ioapic.h"

#define INTI_HIGH_EDGE  0x5     /* MPS INTI flags: polarity 01 (high), trigger 01 (edge) */
#define INTI_LOW_LEVEL  0xF     /* polarity 11 (low), trigger 11 (level) */
#define INTI_BUS_LEVEL  0xC     /* polarity as the bus says, trigger level */
#define INTI_LOW_BUS    0x3     /* active low, trigger as the bus says */

static uint8_t madt[1024];
static uint32_t madt_len;
static struct acpi_info info;
static char logbuf[1024];

static void fake_log(void *ctx, const char *fmt, ...)
{
    va_list ap;

    (void)ctx;
    va_start(ap, fmt);
    vsnprintf(logbuf, sizeof logbuf, fmt, ap);
    va_end(ap);
}

static const struct acpi_env env = { NULL, fake_log, NULL };

/* A MADT header naming the local APIC at `lapic`; entries follow. */
static void begin(uint32_t lapic)
{
    struct acpi_madt h = { .lapic_addr = lapic, .flags = 1 };

    memset(madt, 0, sizeof madt);
    memcpy(h.hdr.signature, "APIC", 4);
    memcpy(madt, &h, sizeof h);
    madt_len = sizeof h;
}

static void add(const void *entry, size_t len)
{
    memcpy(madt + madt_len, entry, len);
    madt_len += (uint32_t)len;
}

static void add_cpu(uint8_t apic_id)
{
    struct acpi_madt_lapic l = { { ACPI_MADT_LAPIC, 8 }, apic_id, apic_id, 1 };

    add(&l, sizeof l);
}

static void add_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
    struct acpi_madt_ioapic io = { { ACPI_MADT_IOAPIC, 12 }, id, 0, addr, gsi_base };

    add(&io, sizeof io);
}

static void add_iso(uint8_t irq, uint32_t gsi, uint16_t flags)
{
    struct acpi_madt_iso iso = { { ACPI_MADT_ISO, 10 }, 0, irq, gsi, flags };

    add(&iso, sizeof iso);
}

/* One CPU and one IOAPIC where QEMU puts them, GSI 0..; overrides follow. */
static void begin_plain(void)
{
    begin(0xFEE00000);
    add_cpu(0);
    add_ioapic(0, 0xFEC00000, 0);
}

static void parse(void)
{
    memset(&info, 0, sizeof info);
    acpi_madt_parse(madt, madt_len, &env, &info);
    assert_true(info.has_madt);
}

/* Where ISA IRQ `irq` lands, through both steps: GSI and wiring, then IOAPIC and pin. */
static int route(const unsigned *pins, uint8_t irq, struct irq_isa_route *r, unsigned *pin)
{
    *r = irq_route_isa(&info, irq);
    return irq_route_ioapic(&info, pins, r->gsi, pin);
}

/* One IOAPIC away from 0xFEC00000, serving GSI 32..55; its overrides move every ISA IRQ there. */
static void test_ioapic_elsewhere(void **state)
{
    static const unsigned pins[] = { 24 };
    struct irq_isa_route r;
    unsigned pin = 99;

    (void)state;
    begin(0xFEE00000);
    add_cpu(0);
    add_ioapic(8, 0xFEC80000, 32);
    add_iso(0, 32, INTI_HIGH_EDGE);
    add_iso(8, 40, 0);
    parse();
    assert_int_equal(info.ioapic_count, 1);
    assert_int_equal(info.ioapics[0].addr, 0xFEC80000);
    assert_int_equal(info.ioapics[0].gsi_base, 32);
    assert_int_equal(info.ioapics[0].id, 8);
    assert_int_equal(route(pins, 0, &r, &pin), 0);
    assert_int_equal(r.gsi, 32);
    assert_int_equal(pin, 0);
    assert_int_equal(r.ioapic_flags, 0);
    assert_int_equal(route(pins, 8, &r, &pin), 0);
    assert_int_equal(pin, 8);
    /* IRQ 1 has no override: GSI 1, which no IOAPIC here serves */
    assert_int_equal(route(pins, 1, &r, &pin), -1);
    assert_int_equal(r.gsi, 1);
}

/* Two IOAPICs: GSI 0..23 on the first, 24..55 on the second. */
static void test_two_ioapics(void **state)
{
    static const unsigned pins[] = { 24, 32 };
    unsigned pin = 99;

    (void)state;
    begin(0xFEE00000);
    add_cpu(0);
    add_cpu(1);
    add_ioapic(0, 0xFEC00000, 0);
    add_ioapic(1, 0xFEC01000, 24);
    parse();
    assert_int_equal(info.ioapic_count, 2);
    assert_int_equal(info.cpu_count, 2);
    assert_int_equal(info.ioapics[1].addr, 0xFEC01000);
    assert_int_equal(irq_route_ioapic(&info, pins, 0, &pin), 0);
    assert_int_equal(pin, 0);
    assert_int_equal(irq_route_ioapic(&info, pins, 23, &pin), 0);
    assert_int_equal(pin, 23);
    assert_int_equal(irq_route_ioapic(&info, pins, 24, &pin), 1);
    assert_int_equal(pin, 0);
    assert_int_equal(irq_route_ioapic(&info, pins, 55, &pin), 1);
    assert_int_equal(pin, 31);
    assert_int_equal(irq_route_ioapic(&info, pins, 56, &pin), -1);
    assert_non_null(strstr(logbuf, "MADT: 2 CPUs, 2 IOAPICs, 0 overrides"));
}

/* No interrupt source override at all: IRQ 0 is GSI 0 (not QEMU's 2), edge, active high. */
static void test_no_override_irq0_is_gsi0(void **state)
{
    static const unsigned pins[] = { 24 };
    struct irq_isa_route r;
    unsigned pin = 99;

    (void)state;
    begin_plain();
    parse();
    assert_int_equal(info.iso_count, 0);
    for (uint8_t irq = 0; irq < 16; irq++) {
        assert_int_equal(route(pins, irq, &r, &pin), 0);
        assert_int_equal(r.gsi, irq);
        assert_int_equal(pin, irq);
        assert_int_equal(r.ioapic_flags, 0);
    }
}

/* Overrides with wiring: active low and level; level alone; active low alone; conforming. */
static void test_override_flags(void **state)
{
    static const unsigned pins[] = { 24 };
    struct irq_isa_route r;
    unsigned pin = 99;

    (void)state;
    begin_plain();
    add_iso(0, 2, 0);
    add_iso(9, 20, INTI_LOW_LEVEL);
    add_iso(10, 10, INTI_BUS_LEVEL);
    add_iso(11, 11, INTI_LOW_BUS);
    parse();
    assert_int_equal(info.iso_count, 4);
    assert_int_equal(route(pins, 0, &r, &pin), 0);
    assert_int_equal(r.gsi, 2);
    assert_int_equal(r.ioapic_flags, 0);
    assert_int_equal(route(pins, 9, &r, &pin), 0);
    assert_int_equal(r.gsi, 20);
    assert_int_equal(pin, 20);
    assert_int_equal(r.ioapic_flags, IOAPIC_ACTIVE_LOW | IOAPIC_LEVEL);
    assert_int_equal(route(pins, 10, &r, &pin), 0);
    assert_int_equal(r.ioapic_flags, IOAPIC_LEVEL);
    assert_int_equal(route(pins, 11, &r, &pin), 0);
    assert_int_equal(r.ioapic_flags, IOAPIC_ACTIVE_LOW);
    /* IRQ 2 is not overridden: it stays GSI 2 even though IRQ 0 went there too */
    assert_int_equal(route(pins, 2, &r, &pin), 0);
    assert_int_equal(r.gsi, 2);
}

/* Entry type 5 replaces the header's 32-bit local APIC address with a 64-bit one. */
static void test_lapic_address_override(void **state)
{
    struct acpi_madt_lapic_override o = { { ACPI_MADT_LAPIC_OVERRIDE, 12 }, 0, 0x4FEE00000ULL };

    (void)state;
    begin_plain();
    parse();
    assert_int_equal(info.lapic_addr, 0xFEE00000);
    begin_plain();
    add(&o, sizeof o);
    parse();
    assert_int_equal(info.lapic_addr, 0x4FEE00000ULL);
    assert_int_equal(info.ioapic_count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ioapic_elsewhere), cmocka_unit_test(test_two_ioapics),
        cmocka_unit_test(test_no_override_irq0_is_gsi0), cmocka_unit_test(test_override_flags),
        cmocka_unit_test(test_lapic_address_override),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
