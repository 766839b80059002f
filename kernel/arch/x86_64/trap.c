/*
 * trap.c - trap_dispatch: the C side of every interrupt and exception, the
 * table of handlers for vectors 32..255, and the "expected exception"
 * hook the in-kernel tests raise exceptions through.
 *
 * Runs with interrupts off (all gates are interrupt gates), on the stack
 * of whatever was interrupted, or on an IST stack for #DF, NMI and #MC.
 * The handler table is filled during bring-up (trap_register), before the
 * vectors it names can arrive; every CPU then only reads it. The expected-
 * exception catch is per CPU (trap.h).
 */
#include <stdint.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/x86_64/exception.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "mutant.h"
#include "printk.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define RFLAGS_TF   (1u << 8)

static struct {
    trap_handler_fn *fn;
    void *ctx;
} handlers[IDT_VECTORS];
static uint64_t counts[IDT_VECTORS];

static struct {
    int      active;
    int      vector;
    struct trap_catch got;
} expects[SMP_MAX_CPUS];
static arch_page_fault_fn *page_fault_handler;
static trap_exit_hook_fn *exit_hook;

void trap_set_exit_hook(trap_exit_hook_fn *fn)
{
    exit_hook = fn;
}

#define VEC_NMI         2
#define VEC_DOUBLE_FAULT 8
#define VEC_PAGE_FAULT  14
#define VEC_MACHINE_CHECK 18

/* #PF error code (Intel SDM vol. 3A, 4.7): P bit 0, W/R bit 1, U/S bit 2, I/D bit 4. */
#define PF_ERR_PRESENT  (1u << 0)
#define PF_ERR_WRITE    (1u << 1)
#define PF_ERR_USER     (1u << 2)
#define PF_ERR_FETCH    (1u << 4)

void arch_set_page_fault_handler(arch_page_fault_fn *fn)
{
    page_fault_handler = fn;
}

/* The error code in the hook's terms (MMU_FAULT_*, mmu_arch.h). */
static unsigned page_fault_access(uint64_t error)
{
    return (error & PF_ERR_PRESENT ? MMU_FAULT_PRESENT : 0) | (error & PF_ERR_WRITE ? MMU_FAULT_WRITE : 0) |
           (error & PF_ERR_USER ? MMU_FAULT_USER : 0) | (error & PF_ERR_FETCH ? MMU_FAULT_EXEC : 0);
}

int trap_vector_free(int vector)
{
    return vector >= VEC_EXCEPTIONS && vector < IDT_VECTORS && !handlers[vector].fn;
}

int trap_register(int vector, trap_handler_fn *fn, void *ctx)
{
    if (!trap_vector_free(vector))
        return -1;
    handlers[vector].ctx = ctx;
    handlers[vector].fn = fn;
    return 0;
}

void trap_unregister(int vector)
{
    if (vector >= VEC_EXCEPTIONS && vector < IDT_VECTORS)
        handlers[vector].fn = 0;
}

uint64_t trap_count(int vector)
{
    return vector >= 0 && vector < IDT_VECTORS ? counts[vector] : 0;
}

void trap_expect(int vector)
{
    struct percpu *c = percpu_this();

    expects[c->cpu_id].got = (struct trap_catch){ 0 };
    expects[c->cpu_id].vector = vector;
    c->trap_resume = 0;
    expects[c->cpu_id].active = 1;
}

struct trap_catch trap_expect_done(void)
{
    unsigned id = percpu_cpu_id();

    expects[id].active = 0;
    return expects[id].got;
}

static int caught_as_expected(struct trap_frame *f)
{
    struct percpu *c = percpu_this();
    __typeof__(expects[0]) *e = &expects[c->cpu_id];

    if (!e->active || (int)f->vector != e->vector || !c->trap_resume)
        return 0;
    e->got = (struct trap_catch){ 1, f->vector, f->error, f->rip, arch_read_cr2(),
                                  (uint64_t)(uintptr_t)f };
    e->active = 0;
    f->rip = c->trap_resume;
    f->rflags &= ~RFLAGS_TF;            /* a single-step test: no second #DB */
    return 1;
}

/* A fault in one of usercopy.asm's copies: resume at its fix-up (an error return). */
static int usercopy_fixed(struct trap_frame *f)
{
    uint64_t to = arch_usercopy_fixup(f->rip);

    if (to)
        f->rip = to;
    return to != 0;
}

/* A fault of the process running in ring 3 (not an NMI, #DF or #MC): its hook ends it, or
 * queues a signal whose handler runs on the way out (trap_dispatch). */
static int user_fault(struct trap_frame *f, int v)
{
    if (MUTANT_ENABLED(user_fault) || !(f->cs & 3) || v == VEC_NMI || v == VEC_DOUBLE_FAULT || v == VEC_MACHINE_CHECK)
        return 0;
    return arch_user_fault(f, v == VEC_PAGE_FAULT ? arch_read_cr2() : f->rip);     /* 0: no hook, the report below */
}

static void trap_handle(struct trap_frame *f);

/*
 * Every entry: the handler, then, on the way back to ring 3 of a thread
 * with a signal to take (its sigwake flag), signal_deliver with
 * interrupts on, as a system call would run (never on the IST stacks of
 * NMI, #DF and #MC).
 */
void trap_dispatch(struct trap_frame *f)
{
    int v = (int)(f->vector & 0xFF);

    trap_handle(f);
    if ((f->cs & 3) && v != VEC_NMI && v != VEC_DOUBLE_FAULT && v != VEC_MACHINE_CHECK &&
        sched_current()->sigwake && !MUTANT_ENABLED(signal_trap)) {
        arch_irq_enable();
        signal_deliver(f, -1);
        arch_irq_disable();
    }
}

static void trap_handle(struct trap_frame *f)
{
    int v = (int)(f->vector & 0xFF);

    __atomic_fetch_add(&counts[v], 1, __ATOMIC_RELAXED);     /* every CPU counts here */
    if (v == VEC_NMI && smp_nmi_parked())
        return;                         /* back to its park loop (smp_offline.c) */
    if (v < VEC_EXCEPTIONS) {
        if (v == VEC_PAGE_FAULT && page_fault_handler && page_fault_handler(arch_read_cr2(), page_fault_access(f->error)))
            return;
        if (user_fault(f, v) || usercopy_fixed(f))
            return;
        if (!caught_as_expected(f))
            exception_panic(f);
        return;
    }
    if (handlers[v].fn)
        handlers[v].fn(f, handlers[v].ctx);
    else if (v != VEC_SPURIOUS && counts[v] <= 3)
        printk(LOG_WARN, "[trap] unexpected interrupt, vector %d (no handler)\n", v);
    if (exit_hook)
        exit_hook();
}
