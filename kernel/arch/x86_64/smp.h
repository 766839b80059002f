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

/*
 * CPU offline and back (smp_offline.c; docs/smp.md). smp_cpus_online()
 * keeps counting the CPUs started (their ids stay 0..n-1); an offline one
 * is one of them that takes no threads and no interrupts for a while.
 *
 * smp_cpu_offline(cpu), from a thread: a thread pinned to the CPU runs
 * there and empties it: no new threads are placed on it or stolen by it,
 * its queued threads move to other CPUs, its message vectors move to the
 * least loaded online CPU (the device rewritten: irq_cpu_leave), its
 * sleepers and callouts go to the boot CPU, its tick stops, it leaves the
 * TLB shootdowns; then it parks, interrupts off, in a hlt loop (an NMI
 * there returns at once, the panic's too). 0, or an SMP_ERR_*: the boot
 * CPU never goes, and a CPU with a thread pinned to it is refused (the
 * thread is named in the log), never unpinned: a pinned thread holds that
 * CPU's work (an NVMe queue's completions).
 * smp_cpu_online_again(cpu) lets it out of the loop (a flag and an NMI,
 * no INIT or SIPI): it flushes its TLB, rejoins the shootdowns and the
 * scheduler, and takes threads and new vectors again (the moved vectors
 * stay where they went). One log line each way. One change at a time.
 */
#define SMP_ERR_BOOT_CPU    (-1)        /* CPU 0 cannot go offline */
#define SMP_ERR_NO_CPU      (-2)        /* no such CPU started */
#define SMP_ERR_STATE       (-3)        /* already offline / not offline */
#define SMP_ERR_BUSY        (-4)        /* a thread is pinned to it (EBUSY) */
int smp_cpu_offline(unsigned cpu);
int smp_cpu_online_again(unsigned cpu);
/* 1 when the CPU is started and not offline: it may be given threads and vectors. */
int smp_cpu_active(unsigned cpu);
/* trap.c: an NMI on a parked CPU (the wake-up, or a panic's): 1 means "return to the park loop". */
int smp_nmi_parked(void);
