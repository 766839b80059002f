/*
 * percpu.h - each CPU's own structure, reached through its GS base.
 *
 * smp.c owns one struct percpu per CPU (cpu id 0 is the boot CPU, then the
 * MADT's order) and points IA32_GS_BASE at it on that CPU; percpu_this()
 * is then one load from %gs:0, where the structure points at itself. No
 * swapgs yet (no user mode): the GS base is the kernel's at all times.
 * Fields are written by the CPU that owns them while it starts, then read
 * by anyone: `online` is stored last, with release order.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/gdt.h"

#define MSR_IA32_GS_BASE    0xC0000101      /* SDM vol. 4 table 2-2 */
#define PERCPU_STACK_SIZE   (16 * 1024)
#define PERCPU_NAME_MAX     24

struct percpu {
    struct percpu *self;                /* %gs:0 */
    unsigned cpu_id;
    uint32_t apic_id;                   /* from the MADT */
    uint32_t apic_id_seen;              /* what the CPU's own local APIC said once it ran */
    uint64_t stack_top;                 /* its kernel stack (KVA_GUARD); 0 on the boot CPU */
    uint64_t ist_top[IST_COUNT];        /* its NMI, #DF and #MC stacks; the boot CPU's are gdt.c's */
    volatile int online;
    char stack_name[PERCPU_NAME_MAX];   /* names in kva's fault reports */
    char ist_name[IST_COUNT][PERCPU_NAME_MAX];
    struct gdt_cpu gdt;                 /* its GDT and TSS (not the boot CPU's: gdt.c has that) */
};
_Static_assert(offsetof(struct percpu, self) == 0, "percpu_this reads the self pointer at %gs:0");

/* Make `c` this CPU's structure. */
static inline void percpu_set(struct percpu *c)
{
    c->self = c;
    arch_wrmsr(MSR_IA32_GS_BASE, (uint64_t)(uintptr_t)c);
}

static inline struct percpu *percpu_this(void)
{
    struct percpu *c;

    __asm__ volatile("movq %%gs:0, %0" : "=r"(c));
    return c;
}
