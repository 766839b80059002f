/*
 * irq_route.h - where an interrupt line arrives, worked out from the MADT
 * alone: pure functions over struct acpi_info (drivers/acpi/acpi.h), no
 * hardware touched, so the host tests (tests/host/test_madt.c) run them
 * on MADTs QEMU cannot give: IOAPICs at other addresses and GSI bases,
 * two IOAPICs, no override for IRQ 0, overrides with polarity and
 * trigger flags.
 *
 * irq.c asks irq_route_isa for the GSI and wiring of an ISA IRQ; ioapic.c
 * asks irq_route_ioapic which of its IOAPICs (and which pin) serves a GSI,
 * the pin counts coming from each IOAPIC's version register.
 */
#pragma once

#include <stdint.h>

#include "acpi/acpi.h"

/* An ISA IRQ as it reaches the IOAPICs. */
struct irq_isa_route {
    uint32_t gsi;
    unsigned ioapic_flags;      /* IOAPIC_ACTIVE_LOW | IOAPIC_LEVEL (x86/ioapic.h) */
};

/* ISA IRQ `isa_irq`: its MADT override, else the same GSI, edge, active high. */
struct irq_isa_route irq_route_isa(const struct acpi_info *a, uint8_t isa_irq);

/*
 * The IOAPIC (index into a->ioapics) whose pins serve `gsi`, pins[i] being
 * IOAPIC i's pin count; its pin in *pin. -1 when none does.
 */
int irq_route_ioapic(const struct acpi_info *a, const unsigned *pins, uint32_t gsi, unsigned *pin);
