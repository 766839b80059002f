/*
 * irq_route.c - ISA IRQ to GSI, GSI to IOAPIC pin, from the MADT's
 * contents only (see irq_route.h). Pure: the kernel and the host tests
 * run the same code.
 */
#include "apic/irq_route.h"
#include "x86/ioapic.h"

/* An override may make the line active low or level triggered (MPS INTI flags). */
static unsigned wiring(const struct acpi_iso *iso)
{
    unsigned f = 0;

    if (iso->polarity == ACPI_POLARITY_LOW)
        f |= IOAPIC_ACTIVE_LOW;
    if (iso->trigger == ACPI_TRIGGER_LEVEL)
        f |= IOAPIC_LEVEL;
    return f;
}

struct irq_isa_route irq_route_isa(const struct acpi_info *a, uint8_t isa_irq)
{
    struct acpi_iso iso = acpi_isa_irq(a, isa_irq);

    return (struct irq_isa_route){ iso.gsi, wiring(&iso) };
}

int irq_route_ioapic(const struct acpi_info *a, const unsigned *pins, uint32_t gsi, unsigned *pin)
{
    for (unsigned i = 0; i < a->ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
        uint32_t base = a->ioapics[i].gsi_base;

        if (gsi >= base && gsi - base < pins[i]) {
            *pin = gsi - base;
            return (int)i;
        }
    }
    return -1;
}
