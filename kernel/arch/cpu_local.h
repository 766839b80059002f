/*
 * cpu_local.h - this CPU, for generic code (sync/, printk, panic, mm/):
 * the only arch header they include besides arch.h (mm/ also has
 * mmu_arch.h).
 *
 * x86_64 provides, from kernel/arch/x86_64/:
 *   - the per-CPU area (percpu.h), reached through %gs: percpu_this(),
 *     percpu_cpu_id(), percpu_current(); generic code may use its
 *     spin_top (the lock checker's: percpu_spin_top,
 *     percpu_set_spin_top) and nothing else;
 *   - tlb_shootdown_poll (tlb.h): a CPU that spins with interrupts off
 *     (a spinlock, the print lock) must still answer TLB shootdowns, or
 *     the CPU holding the lock may wait for it for ever.
 */
#pragma once

#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
