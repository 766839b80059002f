/*
 * sched_arch.h - what the scheduler (kernel/sched/) asks of the
 * architecture, and the only arch header it includes besides arch.h.
 *
 * x86_64 provides, from kernel/arch/x86_64/:
 *   - the per-CPU area (percpu.h): percpu_cpu_id, percpu_current,
 *     percpu_set_current (one %gs access each), SMP_MAX_CPUS (smp.h);
 *   - the context switch and a new thread's first frame (switch.h:
 *     arch_switch, arch_thread_stack);
 *   - the FPU/SIMD state, saved and loaded eagerly (fpu.h: fpu_area_size,
 *     fpu_area_init, fpu_save, fpu_restore, FPU_AREA_ALIGN);
 *   - the reschedule IPI and the interrupt-return hook (sched_arch.c,
 *     below), so no ICR bit or vector number appears in the scheduler.
 * The per-CPU tick is the timer's (drivers/timer/timer.h:
 * timer_start_cpu, timer_stop_cpu), whatever device gives it.
 */
#pragma once

#include "arch/x86_64/fpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/switch.h"

/*
 * Make CPU `cpu` (0..SMP_MAX_CPUS-1, the scheduler's numbering) take an
 * interrupt soon, so its interrupt-return hook runs: on x86_64 a fixed
 * IPI on VEC_RESCHEDULE whose handler only sends the EOI. Nothing if the
 * CPU is not started.
 */
void arch_reschedule_cpu(unsigned cpu);

/*
 * The kernel stack of the thread about to run, loaded before arch_switch
 * (its address space comes first, through vmm_space_switch): the TSS's
 * RSP0 = kstack_top, the stack an entry from ring 3 lands on (0: left as
 * it is, for threads without a stack of their own: kmain, idle).
 */
void arch_thread_enter(uint64_t kstack_top);

/* A user thread's FS base (its TLS pointer, arch_prctl ARCH_SET_FS), loaded
 * as it is switched to; a write only when it differs from what this CPU has. */
void arch_thread_tls(uint64_t fs_base);

/*
 * Once, on the boot CPU: take the reschedule vector and make on_exit run
 * as the last step of every interrupt (not exceptions), after its handler
 * and EOI, on the interrupted thread's stack with interrupts off.
 */
void arch_sched_init(void (*on_exit)(void));
