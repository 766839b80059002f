/*
 * sched_arch.c - the scheduler's interrupts on x86_64 (see
 * kernel/arch/sched_arch.h): the reschedule IPI, a fixed interrupt on
 * VEC_RESCHEDULE sent through the target's local APIC; the
 * interrupt-return hook, trap_dispatch's exit hook (trap.h); and what a
 * switch loads besides the registers: CR3 and the TSS's RSP0 (gdt.c).
 */
#include "arch.h"
#include "arch/sched_arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/trap.h"
#include "panic.h"
#include "x86/lapic.h"

void arch_reschedule_cpu(unsigned cpu)
{
    const struct percpu *p = smp_cpu(cpu);

    if (p)
        lapic_send_ipi(p->apic_id, LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | VEC_RESCHEDULE);
}

void arch_thread_enter(uint64_t kstack_top)
{
    if (kstack_top) {
        gdt_set_kernel_stack(kstack_top);
        percpu_this()->kernel_stack = kstack_top;      /* syscall_entry's stack (syscall.asm) */
    }
}

/* VEC_RESCHEDULE: the sender set need_resched; the exit hook acts on it. */
static void on_reschedule(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    lapic_eoi();
}

void arch_sched_init(void (*on_exit)(void))
{
    if (trap_register(VEC_RESCHEDULE, on_reschedule, 0) != 0)
        panic("arch_sched_init: vector 0x%x taken", VEC_RESCHEDULE);
    trap_set_exit_hook(on_exit);
}
