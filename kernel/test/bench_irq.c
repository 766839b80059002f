/*
 * bench_irq.c - bench=irq (see bench.h): what taking an interrupt costs,
 * and what reading the time costs.
 *   int_roundtrip       `int $0xFE` to a registered handler and back:
 *                       the stub in isr.asm, trap_dispatch, the handler,
 *                       iretq; no controller involved;
 *   self_ipi_roundtrip  a fixed IPI to ourselves through the local APIC
 *                       (ICR, or the x2APIC SELF IPI MSR), taken, EOI sent
 *                       by the handler, back: the whole path of a device
 *                       interrupt minus the IOAPIC;
 *   ipi_roundtrip       CPU 0 sends VEC_IPI_PING to CPU 1 (idle in hlt);
 *                       CPU 1's handler sends one back; CPU 0 waits for
 *                       it: what a reschedule or shootdown IPI costs the
 *                       sender (with 2 or more CPUs; under -icount the
 *                       count includes CPU 1's instructions, since QEMU
 *                       then runs the CPUs in turn on one virtual clock);
 *   tlb_shootdown       tlb_flush_range of one page with 2 CPUs: invlpg
 *                       here, the request, the IPI, CPU 1's invlpg and
 *                       answer, the wait (what every vmm_unmap of the
 *                       kernel half costs);
 *   clock_ns            one monotonic clock read (rdtsc, multiply, shift);
 *   hpet_read           one read of the HPET main counter (MMIO), for
 *                       comparison: why the monotonic clock is TSC-based;
 *   thread_pingpong, yield, mutex_uncontended: bench_sched.c;
 *   empty_op            the measuring loop around an empty operation (an
 *                       indirect call and the loop): included in every
 *                       figure above, printed so it can be taken off.
 * The tick is stopped while measuring so it does not land in a trial.
 */
#include <stdint.h>

#include "apic/irq.h"
#include "x86/lapic.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "printk.h"
#include "test/bench.h"
#include "timer/clock.h"
#include "timer/hpet.h"
#include "timer/timer.h"

#define OPS_PER_TRIAL   200

static volatile uint64_t taken;
static uint64_t sink;

/* Until the handler has counted the interrupt an op sent. */
static void wait_taken(uint64_t before)
{
    while (taken == before)
        arch_cpu_relax();
}

static void on_int(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    taken++;
}

static void on_ipi(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    taken++;
    lapic_eoi();
}

/* On CPU 1: answer; on CPU 0: the answer arrived. */
static void on_ping(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    if (percpu_cpu_id() != 0)
        lapic_send_ipi(smp_cpu(0)->apic_id, LAPIC_ICR_FIXED | VEC_IPI_PING);
    else
        taken++;
    lapic_eoi();
}

static void op_ipi(void)
{
    uint64_t before = taken;

    lapic_send_ipi(smp_cpu(1)->apic_id, LAPIC_ICR_FIXED | VEC_IPI_PING);
    wait_taken(before);
}

static void op_shootdown(void)
{
    tlb_flush_range((uint64_t)(uintptr_t)&sink & ~0xFFFULL, 4096);
}

static void op_int(void)
{
    __asm__ volatile("int %0" : : "i"(BENCH_VECTOR) : "memory");
}

static void op_self_ipi(void)
{
    uint64_t before = taken;

    lapic_send_self_ipi(BENCH_VECTOR);
    wait_taken(before);
}

static void op_clock(void)
{
    sink += clock_ns();
}

static void op_hpet(void)
{
    sink += hpet_read();
}

static void op_empty(void)
{
    __asm__ volatile("" ::: "memory");
}

void bench_sort(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* Median over BENCH_TRIALS of ticks per op, printed as one bench: line. */
void bench_measure(const char *name, void (*op)(void))
{
    bench_measure_n(name, op, OPS_PER_TRIAL);
}

void bench_measure_n(const char *name, void (*op)(void), int ops_per_trial)
{
    uint64_t per_op[BENCH_TRIALS];

    for (int t = 0; t < BENCH_TRIALS; t++) {
        uint64_t t0 = arch_rdtsc();

        for (int i = 0; i < ops_per_trial; i++)
            op();
        per_op[t] = (arch_rdtsc() - t0) / (uint64_t)ops_per_trial;
    }
    bench_sort(per_op, BENCH_TRIALS);
    bench_report(name, per_op[BENCH_TRIALS / 2]);
}

void bench_report(const char *name, uint64_t ticks)
{
    printk(LOG_INFO, "bench: %s tsc_per_op=%llu ns_per_op=%llu\n", name, (unsigned long long)ticks,
           (unsigned long long)tsc_ticks_to_ns(ticks));
}

int bench_irq_run(void)
{
    int failed = 0;

    timer_stop();
    printk(LOG_INFO, "bench: tsc_khz=%llu mode=%s\n", (unsigned long long)tsc_khz(),
           irq_mode() == IRQ_MODE_APIC ? (lapic_is_x2apic() ? "x2apic" : "xapic") : "pic");
    if (trap_register(BENCH_VECTOR, on_int, 0) != 0)
        return 1;
    bench_measure("int_roundtrip", op_int);
    trap_unregister(BENCH_VECTOR);
    if (irq_mode() == IRQ_MODE_APIC && trap_register(BENCH_VECTOR, on_ipi, 0) == 0) {
        bench_measure("self_ipi_roundtrip", op_self_ipi);
        trap_unregister(BENCH_VECTOR);
    } else {
        failed = 1;
        printk(LOG_WARN, "bench: self_ipi_roundtrip needs the local APIC: not measured\n");
    }
    if (smp_cpus_online() > 1 && trap_register(VEC_IPI_PING, on_ping, 0) == 0) {
        bench_measure("ipi_roundtrip", op_ipi);
        trap_unregister(VEC_IPI_PING);
        bench_measure("tlb_shootdown", op_shootdown);
    } else {
        printk(LOG_WARN, "bench: ipi_roundtrip needs a second CPU: not measured\n");
    }
    bench_measure("clock_ns", op_clock);
    if (hpet_present())
        bench_measure("hpet_read", op_hpet);
    bench_measure("empty_op", op_empty);
    failed |= bench_sched_run();
    failed |= bench_tmpfs_run();
    timer_start();
    return failed;
}
