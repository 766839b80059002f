/*
 * lapic.h - the local APIC of each CPU (Intel SDM vol. 3A, chapter 10).
 *
 * Two ways to reach its registers, chosen once by lapic_init:
 *   xAPIC   a 4 KiB MMIO page (IA32_APIC_BASE, 0xFEE00000 on PCs), each
 *           register a 32-bit word at a 16-byte aligned offset;
 *   x2APIC  MSRs 0x800 + offset/16, taken when CPUID.1:ECX[21] says the
 *           CPU has it (lapic_init switches to it); 32-bit APIC ids, ICR
 *           one 64-bit MSR.
 * Everyone else calls lapic_read/lapic_write with the xAPIC offsets below
 * and never needs to know which. lapic_init software-enables the APIC with
 * VEC_SPURIOUS (0xFF, idt.h) as its spurious vector (a spurious interrupt
 * takes no EOI: trap_dispatch only counts it), masks LINT0 (the 8259's
 * ExtINT path: the IOAPIC delivers ISA interrupts now) and wires LINT1 as
 * the MADT's NMI entries say. Handlers of APIC-delivered interrupts end
 * with lapic_eoi (drivers/apic/irq.c does that for them).
 *
 * Every CPU reaches its own local APIC at the same address (or MSRs): the
 * boot CPU sets it up with lapic_init, each application processor with
 * lapic_init_ap (same mode, same spurious vector, no timer). IPIs:
 * lapic_send_ipi to one APIC id, lapic_send_ipi_others to every CPU but
 * this one; the ICR words below say what (SDM 10.6.1).
 */
#pragma once

#include <stdint.h>

struct acpi_info;

/* Register offsets in the xAPIC page (SDM vol. 3A, table 10-1). */
#define LAPIC_ID            0x020
#define LAPIC_VERSION       0x030
#define LAPIC_TPR           0x080   /* task priority */
#define LAPIC_EOI           0x0B0
#define LAPIC_SVR           0x0F0   /* spurious interrupt vector */
#define LAPIC_ISR0          0x100   /* in-service, 8 words 0x10 apart */
#define LAPIC_IRR0          0x200   /* interrupt request (accepted, not yet delivered), the same */
#define LAPIC_ESR           0x280   /* error status */
#define LAPIC_ICR_LOW       0x300
#define LAPIC_ICR_HIGH      0x310
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_LINT1     0x360
#define LAPIC_LVT_ERROR     0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3E0
#define LAPIC_SELF_IPI      0x3F0   /* x2APIC only (10.12.11) */

/* Local vector table entries (10.5.1) */
#define LAPIC_LVT_MASKED        (1u << 16)
#define LAPIC_LVT_LEVEL         (1u << 15)
#define LAPIC_LVT_ACTIVE_LOW    (1u << 13)
#define LAPIC_LVT_DELIVERY_NMI  (4u << 8)

/* Interrupt command register, low word (10.6.1) */
#define LAPIC_ICR_FIXED     (0u << 8)   /* delivery mode 000: the vector */
#define LAPIC_ICR_NMI       (4u << 8)   /* 100: NMI (vector ignored) */
#define LAPIC_ICR_INIT      (5u << 8)   /* 101: INIT */
#define LAPIC_ICR_STARTUP   (6u << 8)   /* 110: start-up; vector = the page number of the code */
#define LAPIC_ICR_ASSERT    (1u << 14)  /* level: assert (INIT must say so) */

/* Set up the boot CPU's local APIC; 0, or -1 when the CPU has none. */
int lapic_init(const struct acpi_info *acpi);
/* Set up the calling application processor's, the way lapic_init set the boot CPU's. */
void lapic_init_ap(const struct acpi_info *acpi);

uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t value);
void lapic_eoi(void);

uint32_t lapic_id(void);
/* This CPU's local APIC holds `vector` accepted but not yet delivered (its IRR bit, SDM 10.8.4). */
int lapic_irr_pending(uint8_t vector);
int lapic_is_x2apic(void);
int lapic_ready(void);

/* A fixed interrupt to this CPU on `vector` (ICR "self" shorthand). */
void lapic_send_self_ipi(uint8_t vector);
/* An IPI (`icr`: LAPIC_ICR_* and a vector) to the CPU with `apic_id`, or to all others. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr);
void lapic_send_ipi_others(uint32_t icr);
