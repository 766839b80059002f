/*
 * pic.h - the two cascaded 8259A Programmable Interrupt Controllers of the
 * PC/AT: ISA IRQs 0-7 on the master, 8-15 on the slave (wired to the
 * master's IRQ 2).
 *
 * pic_init remaps them away from the CPU exceptions, to vectors
 * VEC_PIC_BASE (0x20) .. 0x2F (idt.h), with every line masked. Then either
 * the APIC takes over (pic_disable: all masked for good, as they stay) or
 * the PICs are the fallback interrupt controller, driven by drivers/apic/
 * irq.c through pic_unmask/pic_mask/pic_eoi. Caller holds interrupts off.
 */
#pragma once

#include <stdint.h>

#define PIC_IRQS        16
#define PIC_CASCADE_IRQ 2       /* the slave's output on the master */

/* Remap to VEC_PIC_BASE.., all lines masked. */
void pic_init(void);
/* Mask every line: the APIC delivers interrupts from now on. */
void pic_disable(void);
void pic_mask(unsigned irq);
void pic_unmask(unsigned irq);
/* End of interrupt for `irq` (both chips for a slave line). */
void pic_eoi(unsigned irq);
/*
 * 1 when an interrupt on IRQ 7 or 15 is spurious (its in-service bit is
 * clear): then no EOI is due to that chip, but one is to the master for a
 * spurious IRQ 15 (the master did see its cascade line). Handles that EOI.
 */
int pic_spurious(unsigned irq);
/* The mask register of both chips: bit n = IRQ n masked. */
uint16_t pic_get_mask(void);
