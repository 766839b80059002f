/*
 * irq.h - how a driver claims an interrupt line: one API over whichever
 * interrupt controller the machine gives us.
 *
 * irq_init (once, at boot, interrupts off) picks the controller:
 *   APIC mode  the MADT lists IOAPICs and the CPU has a local APIC: the
 *              8259 PICs are remapped and masked for good, each claimed
 *              line gets a vector of its own from VEC_IRQ_BASE..VEC_IRQ_LAST
 *              (0x30..0xEF, idt.h) and its IOAPIC entry is programmed with
 *              the MADT's override for it (an ISA IRQ may arrive on another
 *              GSI, active low or level triggered; QEMU sends the PIT's IRQ
 *              0 to GSI 2);
 *   PIC mode   no MADT (acpi_get() == NULL), no local APIC, or "noapic" on
 *              the command line: ISA IRQ n arrives on vector 0x20 + n
 *              (VEC_PIC_BASE) through the remapped 8259s; GSIs above 15
 *              cannot be claimed.
 * Vectors 0x20..0x2F belong to the PICs, 0xF0..0xFE to the local APIC's
 * own sources (timer, IPIs), 0xFF is its spurious vector.
 *
 * A claimed line runs fn(ctx) with interrupts off, on the interrupted
 * stack; the end of interrupt is sent after fn returns (so a level-
 * triggered device the handler has quietened does not fire again). A line
 * has one owner: a second claim on the same ISA IRQ or GSI is refused
 * (sharing arrives with PCI). irq_register_* return a handle >= 0 (the
 * vector) or an IRQ_ERR_*; irq_release(handle) masks the line and frees it.
 */
#pragma once

#include <stdint.h>

typedef void irq_handler_fn(void *ctx);

enum irq_mode { IRQ_MODE_NONE, IRQ_MODE_PIC, IRQ_MODE_APIC };

#define IRQ_ERR_BUSY        (-1)    /* the line has an owner */
#define IRQ_ERR_RANGE       (-2)    /* no controller serves that line */
#define IRQ_ERR_NO_VECTOR   (-3)    /* 0x30..0xEF all taken */
#define IRQ_ERR_NOT_READY   (-4)    /* before irq_init */

#define IRQ_ISA_LINES       16

/* GSI polarity and trigger for irq_register_gsi (ISA lines take theirs from the MADT). */
#define IRQ_GSI_ACTIVE_LOW  1
#define IRQ_GSI_LEVEL       2

/* Choose the controller and set it up; force_pic: "noapic" was asked for. */
enum irq_mode irq_init(int force_pic);
enum irq_mode irq_mode(void);

/* Claim ISA IRQ 0..15 (through its MADT override in APIC mode). */
int irq_register_isa(unsigned isa_irq, irq_handler_fn *fn, void *ctx);
/* Claim a GSI with explicit wiring (APIC mode; in PIC mode only 0..15). */
int irq_register_gsi(uint32_t gsi, unsigned gsi_flags, irq_handler_fn *fn, void *ctx);
void irq_release(int handle);

/* Interrupts a claimed line has delivered (spurious ones not counted). */
uint64_t irq_count(int handle);
/* The GSI (APIC mode) or ISA IRQ (PIC mode) behind a handle, or -1. */
int64_t irq_line_of(int handle);
