/*
 * ioapic.h - the I/O APICs the MADT lists (Intel 82093AA I/O APIC data
 * sheet): each turns its input pins, global system interrupts (GSI)
 * gsi_base .. gsi_base + entries - 1, into messages to a local APIC,
 * one 64-bit redirection entry per pin (vector, polarity, trigger mode,
 * mask, destination).
 *
 * ioapic_init masks every entry; a pin opens only when a driver claims
 * it through irq_register_* (drivers/apic/irq.c), which calls ioapic_route
 * then ioapic_set_masked(gsi, 0). Caller holds interrupts off.
 */
#pragma once

#include <stdint.h>

struct acpi_info;

#define IOAPIC_ACTIVE_LOW   1   /* ioapic_route flags */
#define IOAPIC_LEVEL        2

/* Find, log and mask every IOAPIC of the MADT; the number found. */
unsigned ioapic_init(const struct acpi_info *acpi);
/* 1 when an IOAPIC serves `gsi`. */
int ioapic_has_gsi(uint32_t gsi);
/*
 * Program `gsi`'s entry: fixed delivery of `vector` to the local APIC
 * `apic_id` (physical destination), polarity and trigger from `flags`,
 * left masked. 0, or -1 when no IOAPIC serves the GSI.
 */
int ioapic_route(uint32_t gsi, uint8_t vector, unsigned flags, uint32_t apic_id);
void ioapic_set_masked(uint32_t gsi, int masked);
/* The raw redirection entry (the tests read it back); 0 when no IOAPIC. */
uint64_t ioapic_read_entry(uint32_t gsi);

/* Redirection entry bits (82093AA, 3.2.4) */
#define IOAPIC_RTE_VECTOR_MASK  0xFFull
#define IOAPIC_RTE_ACTIVE_LOW   (1ull << 13)
#define IOAPIC_RTE_LEVEL        (1ull << 15)
#define IOAPIC_RTE_MASKED       (1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT   56
