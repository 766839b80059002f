/*
 * smp.h - starting the other CPUs (smp.c, smp_trampoline.asm; docs/smp.md).
 *
 * smp_init_boot_cpu gives the boot CPU its struct percpu (cpu id 0) and
 * GS base: the first thing kmain does. smp_init starts every enabled CPU
 * the MADT lists besides the boot CPU with INIT, SIPI, SIPI; each loads
 * its own GDT and TSS, the shared IDT, enables its local APIC and FPU,
 * points its GS base at its struct percpu and joins the scheduler, with
 * its own LAPIC tick. Coming online is a handshake (docs/smp.md): an AP
 * first claims its start-up block; one that has not within SMP_ANSWER_NS
 * is given up, never counted, and parked for good in the start-up page (a
 * hlt loop with its own stack and vector table there: an NMI keeps it in);
 * one that has claimed is never reset, and is counted once set up.
 * Call smp_init once, from kmain, after the interrupts, the clock and the
 * scheduler are running.
 */
#pragma once

#include "arch/x86_64/percpu.h"

#define SMP_MAX_CPUS    64
#define SMP_ANSWER_NS   1000000000ULL       /* 1 s for an AP to claim its start-up block */
#define SMP_SETUP_NS    10000000000ULL      /* then 10 s to be set up, or panic: it cannot be reset */

void smp_init_boot_cpu(void);
void smp_init(void);

/* CPUs online, the boot CPU included (1 before smp_init). */
unsigned smp_cpus_online(void);
/* Enabled CPUs that never claimed their start-up block in time: given up, never counted. */
unsigned smp_cpus_left_out(void);
/* The APIC id of the i-th of those (0..smp_cpus_left_out()-1), or ~0u. */
uint32_t smp_left_out_apic_id(unsigned i);
/* 1 if the CPU with that APIC id parked in the start-up page, 0 not, -1 unknown (no page, id >= 256). */
int smp_parked(uint32_t apic_id);
/* Vectors (NMIs) that parked CPUs took in the start-up page: each lands in its halt loop again. */
unsigned smp_park_traps(void);
/* CPU `id` (0..smp_cpus_online()-1), or NULL. */
struct percpu *smp_cpu(unsigned id);
