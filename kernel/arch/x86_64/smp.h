/*
 * smp.h - starting the other CPUs (smp.c, smp_trampoline.asm; docs/smp.md).
 *
 * smp_init starts every enabled CPU the MADT lists besides the boot CPU
 * with INIT, SIPI, SIPI; each loads its own GDT and TSS, the shared IDT,
 * enables its local APIC, points its GS base at its struct percpu and
 * idles in hlt. The scheduler stays on CPU 0 for now. A CPU that does not
 * answer within SMP_ANSWER_NS is reported, sent INIT again, and skipped.
 * Call once, from kmain, after the interrupts and the clock are running.
 */
#pragma once

#include "arch/x86_64/percpu.h"

#define SMP_MAX_CPUS    64
#define SMP_ANSWER_NS   1000000000ULL       /* 1 s for an AP to report in */

void smp_init(void);

/* CPUs online, the boot CPU included (1 before smp_init). */
unsigned smp_cpus_online(void);
/* CPU `id` (0..smp_cpus_online()-1), or NULL. */
const struct percpu *smp_cpu(unsigned id);
