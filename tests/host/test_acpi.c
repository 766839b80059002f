/*
 * test_acpi.c - host tests for the ACPI table parsers (drivers/acpi/):
 * tables crafted byte by byte into a buffer that plays physical memory, the
 * way QEMU's firmware lays them out, then broken one way at a time: bad
 * checksums, truncated and overlong tables, zero entries, malformed MADT
 * entries, duplicates, more tables than the parser holds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/acpi_tables.h"

#define MEM_SIZE   0x10000
#define RSDP_AT    0x0100
#define ROOT_AT    0x1000
#define FADT_AT    0x2000
#define MADT_AT    0x3000
#define HPET_AT    0x4000
#define MCFG_AT    0x5000

/* The fake physical memory and the log the parser writes. */
static uint8_t mem[MEM_SIZE];
static char logbuf[8192];

static const void *fake_map(void *ctx, uint64_t phys, uint64_t len)
{
    (void)ctx;
    if (phys >= MEM_SIZE || len > MEM_SIZE - phys)
        return NULL;
    return mem + phys;
}

static void fake_log(void *ctx, const char *fmt, ...)
{
    size_t used = strlen(logbuf);
    va_list ap;

    (void)ctx;
    va_start(ap, fmt);
    vsnprintf(logbuf + used, sizeof logbuf - used, fmt, ap);
    va_end(ap);
    used = strlen(logbuf);
    snprintf(logbuf + used, sizeof logbuf - used, "\n");
}

static const struct acpi_env env = { fake_map, fake_log, NULL };

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

static void put_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    struct acpi_rsdp r = { .revision = revision, .rsdt = rsdt, .length = 36, .xsdt = xsdt };

    memcpy(r.signature, "RSD PTR ", 8);
    memcpy(r.oem_id, "TESSRA", 6);
    r.checksum = (uint8_t)-sum((uint8_t *)&r, ACPI_RSDP_V1_SIZE);
    r.ext_checksum = (uint8_t)-sum((uint8_t *)&r, sizeof r);
    memcpy(mem + RSDP_AT, &r, sizeof r);
}

/* Fix the checksum of the table at `at` after its bytes changed. */
static void fix_checksum(uint32_t at)
{
    struct acpi_sdt_header *h = (void *)(mem + at);
    h->checksum = 0;
    h->checksum = (uint8_t)-sum(mem + at, h->length);
}

/* A table: header + body, checksum made good. */
static void put_table(uint32_t at, const char *sig, uint8_t revision, const void *body, uint32_t body_len)
{
    struct acpi_sdt_header h = { .length = (uint32_t)sizeof h + body_len, .revision = revision };

    memcpy(h.signature, sig, 4);
    memcpy(h.oem_id, "BOCHS ", 6);
    memcpy(mem + at, &h, sizeof h);
    memcpy(mem + at + sizeof h, body, body_len);
    fix_checksum(at);
}

static void put_root(int xsdt, const uint64_t *tables, unsigned n)
{
    uint8_t body[8 * 80];
    unsigned size = xsdt ? 8 : 4;

    for (unsigned i = 0; i < n; i++)
        memcpy(body + i * size, &tables[i], size);
    put_table(ROOT_AT, xsdt ? "XSDT" : "RSDT", 1, body, n * size);
}

/* A FADT of `len` bytes (116: ACPI 1.0; 244: ACPI 2.0) as QEMU fills it. */
static void put_fadt(uint32_t len, uint8_t revision)
{
    uint8_t t[276] = { 0 };
    uint32_t v32;
    uint16_t v16;
    struct acpi_gas reset = { ACPI_GAS_IO, 8, 0, 1, 0xCF9 };

    memcpy(t, "FACP", 4);
    memcpy(t + 4, &len, 4);
    t[8] = revision;
    v32 = 0x7000; memcpy(t + FADT_DSDT, &v32, 4);
    v16 = 9;      memcpy(t + FADT_SCI_INT, &v16, 2);
    v32 = 0xB2;   memcpy(t + FADT_SMI_CMD, &v32, 4);
    t[FADT_ACPI_ENABLE] = 0xF1;
    v32 = 0x604;  memcpy(t + FADT_PM1A_CNT_BLK, &v32, 4);
    v32 = 0x608;  memcpy(t + FADT_PM_TMR_BLK, &v32, 4);
    t[FADT_PM_TMR_LEN] = 4;
    t[FADT_CENTURY] = 0x32;
    v16 = ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042; memcpy(t + FADT_IAPC_BOOT_ARCH, &v16, 2);
    v32 = ACPI_FADT_TMR_VAL_EXT | ACPI_FADT_RESET_REG_SUP; memcpy(t + FADT_FLAGS, &v32, 4);
    memcpy(t + FADT_RESET_REG, &reset, sizeof reset);
    t[FADT_RESET_VALUE] = 6;
    memcpy(mem + FADT_AT, t, len);
    fix_checksum(FADT_AT);
}

/* A MADT like QEMU's for 4 CPUs: LAPICs, one IOAPIC, overrides, an NMI. */
static uint32_t madt_body(uint8_t *b)
{
    uint32_t n = 0, lapic = 0xFEE00000, flags = 1;

    memcpy(b + n, &lapic, 4); memcpy(b + n + 4, &flags, 4); n += 8;
    for (uint8_t cpu = 0; cpu < 4; cpu++) {
        struct acpi_madt_lapic l = { { ACPI_MADT_LAPIC, 8 }, cpu, cpu, 1 };
        memcpy(b + n, &l, sizeof l); n += sizeof l;
    }
    struct acpi_madt_ioapic io = { { ACPI_MADT_IOAPIC, 12 }, 0, 0, 0xFEC00000, 0 };
    memcpy(b + n, &io, sizeof io); n += sizeof io;
    struct acpi_madt_iso iso0 = { { ACPI_MADT_ISO, 10 }, 0, 0, 2, 0 };
    struct acpi_madt_iso iso9 = { { ACPI_MADT_ISO, 10 }, 0, 9, 9, 0xD };   /* level, active high */
    memcpy(b + n, &iso0, sizeof iso0); n += sizeof iso0;
    memcpy(b + n, &iso9, sizeof iso9); n += sizeof iso9;
    struct acpi_madt_lapic_nmi nmi = { { ACPI_MADT_LAPIC_NMI, 6 }, 0xFF, 0, 1 };
    memcpy(b + n, &nmi, sizeof nmi); n += sizeof nmi;
    return n;
}

static void put_madt(void)
{
    uint8_t b[512];
    put_table(MADT_AT, "APIC", 1, b, madt_body(b));
}

static void put_hpet(void)
{
    struct acpi_hpet h = { .event_timer_block_id = 0x8086A201, .number = 0, .min_tick = 128 };
    h.base = (struct acpi_gas){ ACPI_GAS_MEMORY, 64, 0, 0, 0xFED00000 };
    put_table(HPET_AT, "HPET", 1, (uint8_t *)&h + 36, sizeof h - 36);
}

static void put_mcfg(void)
{
    uint8_t b[8 + 16] = { 0 };
    struct acpi_mcfg_alloc a = { 0xB0000000, 0, 0, 255, 0 };
    memcpy(b + 8, &a, sizeof a);
    put_table(MCFG_AT, "MCFG", 1, b, sizeof b);
}

/* The QEMU q35 layout: RSDP 2.0 -> XSDT -> FACP, APIC, HPET, MCFG. */
static int setup_qemu(void **state)
{
    const uint64_t tables[] = { FADT_AT, MADT_AT, HPET_AT, MCFG_AT };

    (void)state;
    memset(mem, 0, sizeof mem);
    logbuf[0] = 0;
    put_rsdp(2, 0, ROOT_AT);
    put_root(1, tables, 4);
    put_fadt(244, 3);
    put_madt();
    put_hpet();
    put_mcfg();
    return 0;
}

static struct acpi_info info;

static void test_qemu_tables(void **state)
{
    (void)state;
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_true(info.xsdt);
    assert_int_equal(info.table_count, 4);
    assert_int_equal(info.bad_tables, 0);
    assert_string_equal(info.oem_id, "TESSRA");
    /* MADT */
    assert_true(info.has_madt);
    assert_int_equal(info.lapic_addr, 0xFEE00000);
    assert_true(info.pcat_compat);
    assert_int_equal(info.cpu_count, 4);
    assert_int_equal(info.cpus[3].apic_id, 3);
    assert_true(info.cpus[3].enabled);
    assert_int_equal(info.ioapic_count, 1);
    assert_int_equal(info.ioapics[0].addr, 0xFEC00000);
    assert_int_equal(info.iso_count, 2);
    assert_int_equal(info.nmi_count, 1);
    assert_int_equal(info.nmis[0].uid, 0xFFFFFFFFu);
    assert_int_equal(info.nmis[0].lint, 1);
    /* HPET: event_timer_block_id bits 8-12 = 2 -> 3 comparators */
    assert_true(info.has_hpet);
    assert_int_equal(info.hpet_addr, 0xFED00000);
    assert_int_equal(info.hpet_comparators, 3);
    assert_int_equal(info.hpet_min_tick, 128);
    /* FADT */
    assert_true(info.has_fadt);
    assert_int_equal(info.pm_timer_port, 0x608);
    assert_true(info.pm_timer_32bit);
    assert_int_equal(info.sci_irq, 9);
    assert_int_equal(info.pm1a_cnt, 0x604);
    assert_int_equal(info.century_index, 0x32);
    assert_true(info.has_reset_reg);
    assert_int_equal(info.reset_addr, 0xCF9);
    assert_int_equal(info.reset_value, 6);
    assert_int_equal(info.dsdt, 0x7000);
    /* MCFG */
    assert_int_equal(info.mcfg_count, 1);
    assert_int_equal(info.mcfg[0].base, 0xB0000000);
    assert_int_equal(info.mcfg[0].bus_end, 255);
    /* one line per table */
    assert_non_null(strstr(logbuf, "APIC at 0x3000, revision 1"));
    assert_non_null(strstr(logbuf, "MADT: 4 CPUs, 1 IOAPICs"));
}

static void test_isa_irq_overrides(void **state)
{
    struct acpi_iso irq0, irq9, irq1;

    (void)state;
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    irq0 = acpi_isa_irq(&info, 0);
    irq9 = acpi_isa_irq(&info, 9);
    irq1 = acpi_isa_irq(&info, 1);
    assert_int_equal(irq0.gsi, 2);                  /* the PIT on pin 2 */
    assert_int_equal(irq0.trigger, ACPI_TRIGGER_EDGE);
    assert_int_equal(irq9.gsi, 9);
    assert_int_equal(irq9.trigger, ACPI_TRIGGER_LEVEL);  /* the SCI */
    assert_int_equal(irq9.polarity, ACPI_POLARITY_HIGH);
    assert_int_equal(irq1.gsi, 1);                  /* no override: identity, ISA wiring */
    assert_int_equal(irq1.polarity, ACPI_POLARITY_HIGH);
}

/* ACPI 1.0: RSDP revision 0, an RSDT of 32-bit entries, a 116-byte FADT. */
static void test_rsdt_and_acpi1_fadt(void **state)
{
    const uint64_t tables[] = { FADT_AT, MADT_AT };

    (void)state;
    put_rsdp(0, ROOT_AT, 0);
    put_root(0, tables, 2);
    put_fadt(116, 1);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_false(info.xsdt);
    assert_int_equal(info.table_count, 2);
    assert_true(info.has_fadt);
    assert_int_equal(info.pm_timer_port, 0x608);
    assert_false(info.has_reset_reg);               /* the reset register came with 2.0 */
    assert_int_equal(info.boot_arch, ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042);
    assert_true(info.has_madt);
    assert_false(info.has_hpet);
}

static void test_bad_table_checksum_skipped(void **state)
{
    (void)state;
    mem[MADT_AT + 50] ^= 0x55;                      /* inside the first LAPIC entry */
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_false(info.has_madt);
    assert_int_equal(info.cpu_count, 0);
    assert_int_equal(info.bad_tables, 1);
    assert_true(info.has_hpet && info.has_fadt);    /* the others still count */
    assert_null(acpi_find_table(&info, "APIC"));
    assert_non_null(strstr(logbuf, "APIC at 0x3000: bad checksum, skipped"));
}

static void test_table_past_memory_end(void **state)
{
    const uint64_t tables[] = { FADT_AT, MEM_SIZE - 40 };

    (void)state;
    put_table(MEM_SIZE - 40, "HPET", 1, "", 0);
    ((struct acpi_sdt_header *)(void *)(mem + MEM_SIZE - 40))->length = 56;
    put_root(1, tables, 2);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_false(info.has_hpet);
    assert_int_equal(info.bad_tables, 1);
    assert_non_null(strstr(logbuf, "HPET at 0xffd8: length 56 runs past readable memory"));
}

static void test_length_shorter_than_header(void **state)
{
    (void)state;
    ((struct acpi_sdt_header *)(void *)(mem + HPET_AT))->length = 20;
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_false(info.has_hpet);
    assert_non_null(strstr(logbuf, "length 20 is shorter than its header"));
}

static void test_table_shorter_than_its_layout(void **state)
{
    (void)state;
    put_table(HPET_AT, "HPET", 1, "\x01\x02\x03\x04", 4);   /* a checksummed 40-byte HPET */
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_false(info.has_hpet);
    assert_non_null(strstr(logbuf, "HPET: 40 bytes, shorter than its 56-byte layout"));
}

static void test_zero_entries(void **state)
{
    (void)state;
    put_root(1, NULL, 0);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_int_equal(info.table_count, 0);
    assert_false(info.has_madt || info.has_fadt || info.has_hpet);
    assert_non_null(strstr(logbuf, "XSDT at 0x1000: 0 tables"));
}

static void test_bad_rsdp(void **state)
{
    (void)state;
    assert_int_equal(acpi_parse(0, &env, &info), ACPI_ERR_NO_RSDP);
    assert_int_equal(acpi_parse(MEM_SIZE + 0x1000, &env, &info), ACPI_ERR_NO_RSDP);
    mem[RSDP_AT + 9] ^= 1;                          /* OEM id: the 20-byte checksum fails */
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_ERR_BAD_RSDP);
    put_rsdp(2, 0, ROOT_AT);
    mem[RSDP_AT + 33] ^= 1;                         /* reserved byte: the extended checksum fails */
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_ERR_BAD_RSDP);
    memcpy(mem + RSDP_AT, "RSD PTX ", 8);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_ERR_BAD_RSDP);
}

static void test_bad_root(void **state)
{
    (void)state;
    memcpy(mem + ROOT_AT, "RSDT", 4);               /* an XSDT pointer to an RSDT */
    fix_checksum(ROOT_AT);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_ERR_BAD_ROOT);
    put_rsdp(2, 0, MEM_SIZE - 8);                   /* an XSDT off the end */
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_ERR_BAD_ROOT);
}

/* A MADT entry whose length runs past the table: the entries before it count. */
static void test_madt_entry_past_end(void **state)
{
    uint8_t b[512];
    uint32_t n = madt_body(b);
    struct acpi_madt_ioapic io = { { ACPI_MADT_IOAPIC, 40 }, 1, 0, 0xFEC01000, 24 };

    (void)state;
    memcpy(b + n, &io, sizeof io);
    put_table(MADT_AT, "APIC", 1, b, n + sizeof io);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_true(info.has_madt);
    assert_int_equal(info.cpu_count, 4);
    assert_int_equal(info.ioapic_count, 1);
    assert_non_null(strstr(logbuf, "(type 1) is malformed"));
}

/* Length 0 would loop for ever; a LAPIC entry of length 4 is shorter than its layout. */
static void test_madt_zero_and_short_entries(void **state)
{
    uint8_t b[64] = { 0 };
    uint32_t lapic = 0xFEE00000;

    (void)state;
    memcpy(b, &lapic, 4);
    b[8] = ACPI_MADT_LAPIC; b[9] = 0;
    put_table(MADT_AT, "APIC", 1, b, 20);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_int_equal(info.cpu_count, 0);
    b[9] = 4;
    put_table(MADT_AT, "APIC", 1, b, 20);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_int_equal(info.cpu_count, 0);
    assert_non_null(strstr(logbuf, "malformed"));
}

static void test_madt_x2apic_and_disabled(void **state)
{
    uint8_t b[128] = { 0 };
    uint32_t n = 8;
    struct acpi_madt_x2apic x = { { ACPI_MADT_X2APIC, 16 }, 0, 300, 1, 7 };
    struct acpi_madt_lapic off = { { ACPI_MADT_LAPIC, 8 }, 1, 1, 0 };      /* not present */
    struct acpi_madt_lapic later = { { ACPI_MADT_LAPIC, 8 }, 2, 2, 2 };    /* online capable */
    struct acpi_madt_lapic_override o = { { ACPI_MADT_LAPIC_OVERRIDE, 12 }, 0, 0x1FEE00000ULL };

    (void)state;
    memcpy(b + n, &x, sizeof x); n += sizeof x;
    memcpy(b + n, &off, sizeof off); n += sizeof off;
    memcpy(b + n, &later, sizeof later); n += sizeof later;
    memcpy(b + n, &o, sizeof o); n += sizeof o;
    put_table(MADT_AT, "APIC", 1, b, n);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_int_equal(info.cpu_count, 2);
    assert_int_equal(info.cpus[0].apic_id, 300);
    assert_true(info.cpus[0].x2apic);
    assert_false(info.cpus[1].enabled);
    assert_int_equal(info.lapic_addr, 0x1FEE00000ULL);
}

/* The same table listed twice, the XSDT listing itself: the first good one wins. */
static void test_duplicates_and_overlap(void **state)
{
    const uint64_t tables[] = { MADT_AT, ROOT_AT, MADT_AT, HPET_AT };

    (void)state;
    put_root(1, tables, 4);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_int_equal(info.table_count, 4);
    assert_int_equal(info.cpu_count, 4);            /* not 8 */
    assert_non_null(strstr(logbuf, "a second APIC, ignored"));
}

static void test_too_many_tables(void **state)
{
    uint64_t tables[ACPI_MAX_TABLES + 5];

    (void)state;
    for (unsigned i = 0; i < ACPI_MAX_TABLES + 5; i++)
        tables[i] = HPET_AT;
    put_root(1, tables, ACPI_MAX_TABLES + 5);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_int_equal(info.table_count, ACPI_MAX_TABLES);
    assert_int_equal(info.dropped, 5);
}

static void test_hpet_not_memory(void **state)
{
    (void)state;
    ((struct acpi_hpet *)(void *)(mem + HPET_AT))->base.space_id = ACPI_GAS_IO;
    fix_checksum(HPET_AT);
    assert_int_equal(acpi_parse(RSDP_AT, &env, &info), ACPI_OK);
    assert_false(info.has_hpet);
    assert_non_null(strstr(logbuf, "HPET: block not in system memory"));
}

#define T(f) cmocka_unit_test_setup(f, setup_qemu)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_qemu_tables), T(test_isa_irq_overrides), T(test_rsdt_and_acpi1_fadt),
        T(test_bad_table_checksum_skipped), T(test_table_past_memory_end),
        T(test_length_shorter_than_header), T(test_table_shorter_than_its_layout),
        T(test_zero_entries), T(test_bad_rsdp), T(test_bad_root), T(test_madt_entry_past_end),
        T(test_madt_zero_and_short_entries), T(test_madt_x2apic_and_disabled),
        T(test_duplicates_and_overlap), T(test_too_many_tables), T(test_hpet_not_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
