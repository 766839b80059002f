/*
 * pic.c - the 8259A pair (see pic.h). Ports, initialisation and operation
 * command words: Intel 8259A data sheet (ICW1-ICW4, OCW1-OCW3), as wired
 * on the IBM PC/AT (master at 0x20, slave at 0xA0, cascade on IR2).
 */
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/idt.h"
#include "x86/pic.h"

#define PIC1_CMD        0x20
#define PIC1_DATA       0x21
#define PIC2_CMD        0xA0
#define PIC2_DATA       0xA1
#define POST_PORT       0x80    /* an unused port: a write is a ~1 µs I/O delay */

#define ICW1_INIT_ICW4  0x11    /* ICW1: initialise, edge triggered, cascade, ICW4 follows */
#define ICW3_MASTER     (1u << PIC_CASCADE_IRQ)  /* slave on IR2 */
#define ICW3_SLAVE      PIC_CASCADE_IRQ          /* slave identity: 2 */
#define ICW4_8086       0x01    /* 8086 mode, normal EOI */
#define OCW2_EOI        0x20    /* non-specific end of interrupt */
#define OCW3_READ_ISR   0x0B    /* the next read of the command port returns ISR */
#define ALL_MASKED      0xFF

#define SPURIOUS_MASTER 7
#define SPURIOUS_SLAVE  15

/* The 8259A needs time between initialisation words on old boards. */
static void io_wait(void)
{
    arch_outb(POST_PORT, 0);
}

static void init_chip(uint16_t cmd, uint16_t data, uint8_t vector_base, uint8_t icw3)
{
    arch_outb(cmd, ICW1_INIT_ICW4);
    io_wait();
    arch_outb(data, vector_base);       /* ICW2: vector of IR0 */
    io_wait();
    arch_outb(data, icw3);
    io_wait();
    arch_outb(data, ICW4_8086);
    io_wait();
    arch_outb(data, ALL_MASKED);        /* OCW1 */
}

void pic_init(void)
{
    init_chip(PIC1_CMD, PIC1_DATA, VEC_PIC_BASE, ICW3_MASTER);
    init_chip(PIC2_CMD, PIC2_DATA, VEC_PIC_BASE + 8, ICW3_SLAVE);
}

void pic_disable(void)
{
    arch_outb(PIC1_DATA, ALL_MASKED);
    arch_outb(PIC2_DATA, ALL_MASKED);
}

static void set_mask_bit(unsigned irq, int masked)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    uint8_t bit = (uint8_t)(1u << (irq % 8));
    uint8_t m = arch_inb(port);

    arch_outb(port, masked ? (uint8_t)(m | bit) : (uint8_t)(m & ~bit));
}

void pic_mask(unsigned irq)
{
    if (irq < PIC_IRQS)
        set_mask_bit(irq, 1);
}

/* A slave line also needs the cascade line open on the master. */
void pic_unmask(unsigned irq)
{
    if (irq >= PIC_IRQS)
        return;
    set_mask_bit(irq, 0);
    if (irq >= 8)
        set_mask_bit(PIC_CASCADE_IRQ, 0);
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        arch_outb(PIC2_CMD, OCW2_EOI);
    arch_outb(PIC1_CMD, OCW2_EOI);
}

static uint8_t read_isr(uint16_t cmd)
{
    arch_outb(cmd, OCW3_READ_ISR);
    return arch_inb(cmd);
}

int pic_spurious(unsigned irq)
{
    if (irq == SPURIOUS_MASTER)
        return !(read_isr(PIC1_CMD) & (1u << 7));
    if (irq == SPURIOUS_SLAVE && !(read_isr(PIC2_CMD) & (1u << 7))) {
        arch_outb(PIC1_CMD, OCW2_EOI);  /* the master saw its cascade line */
        return 1;
    }
    return 0;
}

uint16_t pic_get_mask(void)
{
    return (uint16_t)(arch_inb(PIC1_DATA) | arch_inb(PIC2_DATA) << 8);
}
