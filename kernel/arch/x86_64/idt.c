/*
 * idt.c - the Interrupt Descriptor Table (Intel SDM vol. 3, 6.14.1 64-bit
 * gate descriptors).
 *
 * Every gate is a 64-bit interrupt gate (IF cleared on entry) to the
 * kernel code segment, DPL 0 (a user `int N` gets #GP), pointing at the
 * vector's stub. Double fault, NMI and machine check switch to their own
 * IST stacks (gdt.h), so they run even when the kernel stack is gone.
 */
#include <stdint.h>

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t  ist;           /* bits 0-2: IST slot, 0 = none */
    uint8_t  type_attr;     /* P, DPL, type */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "a 64-bit gate is 16 bytes");

#define GATE_PRESENT    0x80
#define GATE_INTERRUPT  0x0E    /* 64-bit interrupt gate */

#define VEC_NMI             2
#define VEC_DOUBLE_FAULT    8
#define VEC_MACHINE_CHECK   18

extern const uint64_t isr_stub_table[IDT_VECTORS];     /* isr.asm */

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

static uint8_t ist_for(int vector)
{
    switch (vector) {
    case VEC_DOUBLE_FAULT:  return IST_DOUBLE_FAULT;
    case VEC_NMI:           return IST_NMI;
    case VEC_MACHINE_CHECK: return IST_MACHINE_CHECK;
    default:                return 0;
    }
}

void idt_init(void)
{
    for (int v = 0; v < IDT_VECTORS; v++) {
        uint64_t addr = isr_stub_table[v];
        idt[v] = (struct idt_gate){
            .offset_lo = addr & 0xFFFF, .selector = GDT_KERNEL_CODE, .ist = ist_for(v),
            .type_attr = GATE_PRESENT | GATE_INTERRUPT, .offset_mid = addr >> 16 & 0xFFFF,
            .offset_hi = (uint32_t)(addr >> 32),
        };
    }
    idt_load();
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };

    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

void idt_set_present(int vector, int present)
{
    if (present)
        idt[vector].type_attr |= GATE_PRESENT;
    else
        idt[vector].type_attr &= (uint8_t)~GATE_PRESENT;
}
