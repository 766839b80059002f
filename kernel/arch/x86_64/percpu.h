/*
 * percpu.h - each CPU's own structure, reached through its GS base.
 *
 * smp.c owns one struct percpu per CPU (cpu id 0 is the boot CPU, then the
 * MADT's order) and points IA32_GS_BASE at it on that CPU: the boot CPU's
 * first thing in kmain (smp_init_boot_cpu), each AP's as it starts. While
 * a CPU runs user code, the kernel's GS base waits in IA32_KERNEL_GS_BASE:
 * every entry from ring 3 (isr.asm, syscall.asm) swaps it in with swapgs.
 *
 * The first fields sit at fixed offsets so one instruction reads them
 * (`movq %gs:16, %rax`): such a read cannot be split by a preemption that
 * moves the thread to another CPU between finding the structure and
 * reading the field. That is how sched_current() and TRAP_ARM (trap.h)
 * work with interrupts on; the lock checker's spin_top is one too
 * (percpu_spin_top), read and written on every spinlock operation. Fields
 * below `spin_top` are written by their own CPU while it starts, then read
 * by anyone: `online` is stored last, with release order.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/gdt.h"

#define MSR_IA32_GS_BASE    0xC0000101      /* SDM vol. 4 table 2-2 */
#define MSR_IA32_KERNEL_GS_BASE 0xC0000102  /* swapgs exchanges it with GS_BASE */
#define PERCPU_STACK_SIZE   (16 * 1024)
#define PERCPU_NAME_MAX     24

/* Fixed offsets, for single-instruction %gs reads (and TRAP_ARM's asm string). */
#define PERCPU_SELF         0
#define PERCPU_TRAP_RESUME  8
#define PERCPU_TRAP_RESUME_STR "8"
#define PERCPU_CURRENT      16
#define PERCPU_CPU_ID       24
#define PERCPU_SPIN_TOP     32
#define PERCPU_KERNEL_STACK 40          /* the SYSCALL entry's stack (syscall.asm) */
#define PERCPU_USER_RSP     48          /* the SYSCALL entry's scratch: the user's RSP */

struct thread;
struct spinlock;

struct percpu {
    struct percpu *self;                /* %gs:0 */
    uint64_t trap_resume;               /* %gs:8: where an expected exception resumes (trap.h) */
    struct thread *current;             /* %gs:16: the thread on this CPU (sched/switch.c) */
    uint32_t cpu_id;                    /* %gs:24 */
    struct spinlock *spin_top;          /* %gs:32: the newest spinlock held here; each links to the one below (lockcheck.h) */
    uint64_t kernel_stack;              /* %gs:40: the running thread's kernel stack top, as TSS.RSP0 */
    uint64_t user_rsp;                  /* %gs:48: the user's RSP for the moment syscall_entry switches stacks */
    uint64_t user_fs;                   /* the FS base loaded here (arch_thread_tls writes it only when it changes) */
    uint32_t apic_id;                   /* from the MADT */
    uint32_t apic_id_seen;              /* what the CPU's own local APIC said once it ran */
    volatile uint32_t tlb_pending;      /* a TLB shootdown waits for this CPU (tlb.c) */
    volatile int online;
    uint64_t stack_top;                 /* its kernel stack (KVA_GUARD); 0 on the boot CPU */
    uint64_t ist_top[IST_COUNT];        /* its NMI, #DF and #MC stacks; the boot CPU's are gdt.c's */
    char stack_name[PERCPU_NAME_MAX];   /* names in kva's fault reports */
    char ist_name[IST_COUNT][PERCPU_NAME_MAX];
    struct gdt_cpu gdt;                 /* its GDT and TSS (not the boot CPU's: gdt.c has that) */
    /* CPU offline and back (smp_offline.c) */
    volatile int offline;               /* leaving, parked or coming back: no new vectors or threads */
    volatile int parked;                /* in the park loop, interrupts off (an NMI there returns at once) */
    volatile int park_wake;             /* set by smp_cpu_online_again: leave the park loop */
};
_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF, "percpu_this reads %gs:0");
_Static_assert(offsetof(struct percpu, trap_resume) == PERCPU_TRAP_RESUME, "TRAP_ARM writes %gs:8");
_Static_assert(offsetof(struct percpu, current) == PERCPU_CURRENT, "sched_current reads %gs:16");
_Static_assert(offsetof(struct percpu, cpu_id) == PERCPU_CPU_ID, "percpu_cpu_id reads %gs:24");
_Static_assert(offsetof(struct percpu, spin_top) == PERCPU_SPIN_TOP, "percpu_spin_top reads %gs:32");
_Static_assert(offsetof(struct percpu, kernel_stack) == PERCPU_KERNEL_STACK, "syscall_entry reads %gs:40");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "syscall_entry writes %gs:48");

/* Make `c` this CPU's structure. */
static inline void percpu_set(struct percpu *c)
{
    c->self = c;
    arch_wrmsr(MSR_IA32_GS_BASE, (uint64_t)(uintptr_t)c);
}

static inline struct percpu *percpu_this(void)
{
    struct percpu *c;

    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(c) : "i"(PERCPU_SELF));
    return c;
}

static inline uint32_t percpu_cpu_id(void)
{
    uint32_t id;

    __asm__ volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(PERCPU_CPU_ID));
    return id;
}

static inline struct thread *percpu_current(void)
{
    struct thread *t;

    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(t) : "i"(PERCPU_CURRENT));
    return t;
}

static inline void percpu_set_current(struct thread *t)
{
    __asm__ volatile("movq %0, %%gs:%c1" : : "r"(t), "i"(PERCPU_CURRENT) : "memory");
}

/* The lock checker's stack of held spinlocks (lockcheck.h): one %gs access
 * each, so every spinlock operation pays two instructions for it. */
static inline struct spinlock *percpu_spin_top(void)
{
    struct spinlock *l;

    __asm__ volatile("movq %%gs:%c1, %0" : "=r"(l) : "i"(PERCPU_SPIN_TOP));
    return l;
}

static inline void percpu_set_spin_top(struct spinlock *l)
{
    __asm__ volatile("movq %0, %%gs:%c1" : : "r"(l), "i"(PERCPU_SPIN_TOP) : "memory");
}
