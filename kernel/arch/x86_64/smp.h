/*
 * smp.h - starting the other CPUs (smp.c, smp_trampoline.asm; docs/smp.md).
 *
 * smp_init_boot_cpu gives the boot CPU its struct percpu (cpu id 0) and
 * GS base: the first thing kmain does. smp_init starts every enabled CPU
 * the MADT lists besides the boot CPU with INIT, SIPI, SIPI; each loads
 * its own GDT and TSS, the shared IDT, enables its local APIC and FPU,
 * points its GS base at its struct percpu and joins the scheduler, with
 * its own LAPIC tick. A CPU that does not answer within SMP_ANSWER_NS is
 * reported, sent INIT again, and skipped. Call smp_init once, from kmain,
 * after the interrupts, the clock and the scheduler are running.
 */
#pragma once

#include "arch/x86_64/percpu.h"

#define SMP_MAX_CPUS    64
#define SMP_ANSWER_NS   1000000000ULL       /* 1 s for an AP to report in */

void smp_init_boot_cpu(void);
void smp_init(void);

/* CPUs online, the boot CPU included (1 before smp_init). */
unsigned smp_cpus_online(void);
/* CPU `id` (0..smp_cpus_online()-1), or NULL. */
struct percpu *smp_cpu(unsigned id);
