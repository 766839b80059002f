/*
 * gdt.h - the GDT and TSS each CPU runs with (gdt.c).
 *
 * Selectors (the order SYSCALL/SYSRET need: user data right below user
 * code, both 8 and 16 bytes above STAR's base 0x18):
 *   0x08 kernel code (64-bit)   0x10 kernel data
 *   0x18 user code (32-bit, unused: SYSRET's compatibility slot)
 *   0x20 user data              0x28 user code (64-bit)
 *   0x30 the TSS (a 16-byte system descriptor)
 *   0x40 a data descriptor that is not present, for the #NP test
 * The TSS holds RSP0 (the kernel stack for entries from ring 3) and the
 * interrupt stacks (IST): double fault, NMI and machine check run on stacks
 * of their own, so a kernel stack overflow still reaches its handler.
 *
 * Every CPU has its own GDT and TSS (a TSS descriptor is marked busy by
 * ltr, and RSP0 and the IST stacks are per CPU): struct gdt_cpu. The boot
 * CPU's lives in gdt.c (gdt_init; gdt_set_ist and gdt_set_kernel_stack act
 * on it); each application processor fills and loads its own with
 * gdt_init_cpu (kernel/arch/x86_64/smp.c, docs/smp.md).
 */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE     0x08
#define GDT_KERNEL_DATA     0x10
#define GDT_USER_CODE32     0x18
#define GDT_USER_DATA       0x20
#define GDT_USER_CODE       0x28
#define GDT_TSS             0x30
#define GDT_TEST_ABSENT     0x40    /* a data descriptor marked not present: the #NP test */

/* IST slots (1-based, as the IDT gate's IST field names them) */
#define IST_DOUBLE_FAULT    1
#define IST_NMI             2
#define IST_MACHINE_CHECK   3
#define IST_COUNT           3
#define IST_STACK_SIZE      (16 * 1024)

#define GDT_ENTRIES         (GDT_TEST_ABSENT / 8 + 1)

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];            /* RSP0..2: stacks for rings 0..2 */
    uint64_t reserved1;
    uint64_t ist[7];            /* IST1..7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb;              /* I/O permission bitmap offset: past the end = none */
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "the 64-bit TSS is 104 bytes");

/* One CPU's descriptor tables. */
struct gdt_cpu {
    uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
    struct tss tss __attribute__((aligned(16)));
};

/* Build and load the boot CPU's GDT and TSS; reload every segment register. */
void gdt_init(void);

/* Another CPU: fill `c` with IST stacks ist_top[0..IST_COUNT-1] and load it on the calling CPU. */
void gdt_init_cpu(struct gdt_cpu *c, const uint64_t ist_top[IST_COUNT]);

/* The top of IST stack `ist` (1..IST_COUNT), for the guard-page hook and tests. */
uint64_t gdt_ist_top(int ist);
/* Move IST stack `ist` to a new one (the memory manager's, with a guard page). */
void gdt_set_ist(int ist, uint64_t top);

/* This CPU's kernel stack, the one it switches to on an entry from ring 3 (TSS.RSP0). */
void gdt_set_kernel_stack(uint64_t rsp0);
uint64_t gdt_kernel_stack(void);
