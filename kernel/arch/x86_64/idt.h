/*
 * idt.h - the Interrupt Descriptor Table (idt.c): all 256 vectors point at
 * their stubs in isr.asm, which all end in trap_dispatch (trap.c).
 *
 * Vector map:
 *   0x00-0x1F  CPU exceptions (trap.c names and reports them)
 *   0x20-0x2F  the 8259 PICs' IRQs 0-15 after remapping
 *   0x30-0xEF  IOAPIC and MSI interrupts (irq_register)
 *   0xF0-0xFE  local APIC: timer, IPIs
 *   0xFF       the local APIC's spurious vector
 */
#pragma once

#include <stdint.h>

#define IDT_VECTORS         256
#define VEC_EXCEPTIONS      32
#define VEC_PIC_BASE        0x20
#define VEC_IRQ_BASE        0x30
#define VEC_IRQ_LAST        0xEF
#define VEC_LAPIC_TIMER     0xF0
#define VEC_CPU_TICK        0xF1    /* the APs' LAPIC timers (lapic_timer.c) */
#define VEC_RESCHEDULE      0xF2    /* IPI: run the scheduler (sched_arch.c) */
#define VEC_TLB_SHOOTDOWN   0xF3    /* IPI: invalidate a range (tlb.c) */
#define VEC_IPI_PING        0xF4    /* IPI: the bench's round trip (bench_irq.c) */
#define VEC_SPURIOUS        0xFF

/* Fill and load the IDT (the boot CPU; other CPUs call idt_load). */
void idt_init(void);
void idt_load(void);

/* Mark a gate present or not: the tests use it to provoke a double fault. */
void idt_set_present(int vector, int present);
