/*
 * ioapic.c - I/O APIC redirection tables (see ioapic.h). Registers: Intel
 * 82093AA data sheet, 3.0: IOREGSEL at base + 0x00 selects a register,
 * IOWIN at base + 0x10 reads or writes it; IOAPICVER (1) bits 23:16 hold
 * the index of the last redirection entry; entry n is registers
 * 0x10 + 2n (low word) and 0x11 + 2n (high word).
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "apic/irq_route.h"
#include "x86/ioapic.h"
#include "arch.h"
#include "printk.h"

#define IOREGSEL            0x00
#define IOWIN               0x10
#define IOAPIC_REG_ID       0x00
#define IOAPIC_REG_VER      0x01
#define IOAPIC_REG_RTE(n)   (0x10 + 2 * (n))
#define VER_MAX_ENTRY_SHIFT 16
#define MAX_ENTRIES         120     /* IOREGSEL is 8 bits: entry 119's high word is 0xFF */
#define XAPIC_MAX_DEST      0xFF    /* an 8-bit destination without remapping */

struct ioapic {
    volatile uint8_t *regs;     /* through the direct map, see mmio.h */
    uint32_t gsi_base;
    unsigned entries;
};

/* chips[i] is the MADT's IOAPIC i; pins[i] its entry count (for irq_route_ioapic). */
static struct ioapic chips[ACPI_MAX_IOAPICS];
static unsigned pins[ACPI_MAX_IOAPICS];
static unsigned chip_count;
static const struct acpi_info *madt;

static uint32_t reg_read(const struct ioapic *c, uint8_t reg)
{
    arch_mmio_write32(c->regs + IOREGSEL, reg);
    return arch_mmio_read32(c->regs + IOWIN);
}

static void reg_write(const struct ioapic *c, uint8_t reg, uint32_t v)
{
    arch_mmio_write32(c->regs + IOREGSEL, reg);
    arch_mmio_write32(c->regs + IOWIN, v);
}

static struct ioapic *chip_for(uint32_t gsi, unsigned *pin)
{
    int i = madt ? irq_route_ioapic(madt, pins, gsi, pin) : -1;

    return i >= 0 && (unsigned)i < chip_count ? &chips[i] : 0;
}

/* Low word last when unmasking, first when masking: never half an entry live. */
static void write_entry(const struct ioapic *c, unsigned pin, uint64_t rte)
{
    reg_write(c, (uint8_t)IOAPIC_REG_RTE(pin), (uint32_t)rte | (uint32_t)IOAPIC_RTE_MASKED);
    reg_write(c, (uint8_t)(IOAPIC_REG_RTE(pin) + 1), (uint32_t)(rte >> 32));
    reg_write(c, (uint8_t)IOAPIC_REG_RTE(pin), (uint32_t)rte);
}

uint64_t ioapic_read_entry(uint32_t gsi)
{
    unsigned pin;
    const struct ioapic *c = chip_for(gsi, &pin);

    if (!c)
        return 0;
    return (uint64_t)reg_read(c, (uint8_t)(IOAPIC_REG_RTE(pin) + 1)) << 32 |
           reg_read(c, (uint8_t)IOAPIC_REG_RTE(pin));
}

int ioapic_has_gsi(uint32_t gsi)
{
    unsigned pin;

    return chip_for(gsi, &pin) != 0;
}

int ioapic_route(uint32_t gsi, uint8_t vector, unsigned flags, uint32_t apic_id)
{
    unsigned pin;
    const struct ioapic *c = chip_for(gsi, &pin);
    uint64_t rte = vector | IOAPIC_RTE_MASKED;  /* fixed delivery, physical destination */

    if (!c || apic_id > XAPIC_MAX_DEST)
        return -1;
    if (flags & IOAPIC_ACTIVE_LOW)
        rte |= IOAPIC_RTE_ACTIVE_LOW;
    if (flags & IOAPIC_LEVEL)
        rte |= IOAPIC_RTE_LEVEL;
    rte |= (uint64_t)apic_id << IOAPIC_RTE_DEST_SHIFT;
    write_entry(c, pin, rte);
    return 0;
}

void ioapic_set_masked(uint32_t gsi, int masked)
{
    unsigned pin;
    const struct ioapic *c = chip_for(gsi, &pin);
    uint64_t rte;

    if (!c)
        return;
    rte = ioapic_read_entry(gsi);
    rte = masked ? rte | IOAPIC_RTE_MASKED : rte & ~IOAPIC_RTE_MASKED;
    write_entry(c, pin, rte);
}

static void add_chip(const struct acpi_ioapic *a)
{
    struct ioapic *c = &chips[chip_count];
    uint32_t ver;

    c->regs = arch_phys_to_virt(a->addr);
    c->gsi_base = a->gsi_base;
    ver = reg_read(c, IOAPIC_REG_VER);
    c->entries = ((ver >> VER_MAX_ENTRY_SHIFT) & 0xFF) + 1;
    if (c->entries > MAX_ENTRIES)
        c->entries = MAX_ENTRIES;
    for (unsigned pin = 0; pin < c->entries; pin++)
        write_entry(c, pin, IOAPIC_RTE_MASKED);
    pins[chip_count++] = c->entries;
    printk(LOG_INFO, "[ioapic] id %u at 0x%x, version 0x%x: GSI %u..%u, all masked\n",
           (unsigned)a->id, (unsigned)a->addr, (unsigned)(ver & 0xFF), (unsigned)c->gsi_base,
           (unsigned)(c->gsi_base + c->entries - 1));
}

unsigned ioapic_init(const struct acpi_info *acpi)
{
    chip_count = 0;
    madt = acpi;
    for (unsigned i = 0; i < acpi->ioapic_count && i < ACPI_MAX_IOAPICS; i++)
        add_chip(&acpi->ioapics[i]);
    return chip_count;
}
