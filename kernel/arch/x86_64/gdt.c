/*
 * gdt.c - the Global Descriptor Table and the Task State Segment (Intel
 * SDM vol. 3, 3.4.5 segment descriptors, 7.7 the 64-bit TSS).
 *
 * In long mode segmentation is mostly off: code descriptors only say
 * "64-bit" (L) and their privilege (DPL); data descriptors only need to be
 * present. The TSS no longer switches tasks: it holds the stack pointers
 * the CPU loads on a privilege change (RSP0) and for gates that name an
 * interrupt stack (IST1..7). The loader's GDT lives in loader-reclaimable
 * memory, so the kernel loads its own before that memory is reused.
 *
 * The boot CPU's IST stacks start as static arrays; once kernel allocations
 * work, arch_fault_stacks_init (mmu_arch.h, called by mm_init_paging) moves
 * each onto one with an unmapped guard page below it.
 * Other CPUs (gdt_init_cpu) get guarded stacks from smp.c from the start.
 */
#include <stdint.h>

#include "arch/mmu_arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/syscall.h"
#include "mm/kva.h"

/* Descriptor bits (SDM 3.4.5): access byte in bits 40..47, flags 52..55 */
#define SEG_PRESENT     (1ULL << 47)
#define SEG_DPL3        (3ULL << 45)
#define SEG_CODE_DATA   (1ULL << 44)    /* S: not a system descriptor */
#define SEG_EXEC        (1ULL << 43)
#define SEG_RW          (1ULL << 41)    /* code: readable; data: writable */
#define SEG_LONG        (1ULL << 53)    /* L: 64-bit code */
#define SEG_DB32        (1ULL << 54)    /* D/B: 32-bit segment */
#define SEG_GRAN4K      (1ULL << 55)
#define SEG_LIMIT_MAX   0x000F00000000FFFFULL
#define SEG_TSS_AVAIL   (9ULL << 40)    /* system type 9: available 64-bit TSS */

#define CODE64(dpl) (SEG_PRESENT | (dpl) | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG | SEG_GRAN4K | SEG_LIMIT_MAX)
#define CODE32(dpl) (SEG_PRESENT | (dpl) | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_DB32 | SEG_GRAN4K | SEG_LIMIT_MAX)
#define DATA(dpl)   (SEG_PRESENT | (dpl) | SEG_CODE_DATA | SEG_RW | SEG_DB32 | SEG_GRAN4K | SEG_LIMIT_MAX)

static struct gdt_cpu boot_cpu;
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

/* The TSS descriptor: 16 bytes, base split over both words (SDM 7.2.3). */
static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
    slot[0] = (limit & 0xFFFFULL) | ((base & 0xFFFFFFULL) << 16) | SEG_TSS_AVAIL | SEG_PRESENT |
              ((uint64_t)(limit >> 16 & 0xF) << 48) | ((base >> 24 & 0xFF) << 56);
    slot[1] = base >> 32;
}

uint64_t gdt_ist_top(int ist)
{
    uint64_t top = boot_cpu.tss.ist[ist - 1];

    return top ? top : (uint64_t)(uintptr_t)&ist_stacks[ist - 1][IST_STACK_SIZE];
}

void gdt_set_ist(int ist, uint64_t top)
{
    boot_cpu.tss.ist[ist - 1] = top;
}

int arch_fault_stacks_init(void)
{
    static const char *const names[IST_COUNT] = { "ist-double-fault", "ist-nmi", "ist-machine-check" };

    for (int i = 1; i <= IST_COUNT; i++) {
        uint64_t stack = kva_alloc(IST_STACK_SIZE, KVA_GUARD, names[i - 1]);
        if (!stack)
            return -1;
        gdt_set_ist(i, stack + IST_STACK_SIZE);
    }
    return 0;
}

/* This CPU's TSS: the boot CPU's is here, every other one's in its struct percpu. */
static struct tss *this_tss(void)
{
    return percpu_cpu_id() == 0 ? &boot_cpu.tss : &percpu_this()->gdt.tss;
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
    this_tss()->rsp[0] = rsp0;
}

uint64_t gdt_kernel_stack(void)
{
    return this_tss()->rsp[0];
}

/*
 * lgdt, then CS through a far return and the data segments by hand; ltr.
 * Loading GS zeroes its base, which holds this CPU's struct percpu
 * (percpu.h): it is read before and written back after.
 */
static void gdt_load(const struct gdt_cpu *c)
{
    uint64_t gs_base = arch_rdmsr(MSR_IA32_GS_BASE);
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) gdtr = { sizeof c->gdt - 1, (uint64_t)(uintptr_t)c->gdt };

    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "xorl %%eax, %%eax\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "ltr %w3"
        : : "m"(gdtr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
        : "rax", "memory");
    arch_wrmsr(MSR_IA32_GS_BASE, gs_base);
}

/* Fill the descriptors and the TSS (its IST slots are the caller's). */
static void gdt_build(struct gdt_cpu *c)
{
    uint64_t *gdt = c->gdt;

    gdt[0] = 0;
    gdt[GDT_KERNEL_CODE / 8] = CODE64(0);
    gdt[GDT_KERNEL_DATA / 8] = DATA(0);
    gdt[GDT_USER_CODE32 / 8] = CODE32(SEG_DPL3);
    gdt[GDT_USER_DATA / 8] = DATA(SEG_DPL3);
    gdt[GDT_USER_CODE / 8] = CODE64(SEG_DPL3);
    c->tss.iopb = sizeof c->tss;
    set_tss_descriptor(&gdt[GDT_TSS / 8], (uint64_t)(uintptr_t)&c->tss, sizeof c->tss - 1);
    gdt[GDT_TEST_ABSENT / 8] = DATA(0) & ~SEG_PRESENT;
}

void gdt_init(void)
{
    for (int i = 1; i <= IST_COUNT; i++)
        boot_cpu.tss.ist[i - 1] = (uint64_t)(uintptr_t)&ist_stacks[i - 1][IST_STACK_SIZE];
    gdt_build(&boot_cpu);
    gdt_load(&boot_cpu);
    arch_syscall_init_cpu();            /* STAR names this table's selectors */
}

void gdt_init_cpu(struct gdt_cpu *c, const uint64_t ist_top[IST_COUNT])
{
    for (int i = 0; i < IST_COUNT; i++)
        c->tss.ist[i] = ist_top[i];
    gdt_build(c);
    gdt_load(c);
    arch_syscall_init_cpu();
}
