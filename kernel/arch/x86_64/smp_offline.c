/*
 * smp_offline.c - taking a CPU offline and bringing it back (see smp.h;
 * docs/smp.md).
 *
 * smp_cpu_offline(cpu) does the work on the CPU itself, in a thread pinned
 * there at the top priority (leave_cpu), while the caller waits:
 *   1. percpu.offline = 1: new message vectors skip it (irq_msi_cpu);
 *   2. the scheduler's part (kernel/sched/hotplug.c, sched_cpu_drain):
 *      no placement, no stealing, its queued threads to other CPUs; a
 *      thread pinned there refuses the whole thing (SMP_ERR_BUSY, the
 *      thread named in the log) and the CPU stays as it was;
 *   3. its message vectors to other CPUs (irq_cpu_leave, drivers/apic/
 *      irq.c, with the devices rewritten by drivers/pci/pci_irq.c): done
 *      here, interrupts on, so a message already sent to an old vector is
 *      delivered and handled here before the old vector goes;
 *   4. interrupts off: its sleepers and callouts to the boot CPU and its
 *      tick stopped (sched_cpu_park), out of the TLB shootdowns
 *      (tlb_cpu_leave);
 *   5. park: a hlt loop with interrupts off, until park_wake. Only an NMI
 *      ends a hlt there; trap.c sends an NMI on a parked CPU straight back
 *      (smp_nmi_parked), so the panic's NMI (panic.c's halt hook) leaves
 *      it parked, as halted as the panic wants it.
 * smp_cpu_online_again(cpu) sets park_wake and sends NMIs until the CPU
 * has left the loop (an NMI that lands between its check of the flag and
 * its hlt is spent: the next one wakes it). No INIT, no SIPI: the CPU
 * still has its stacks, tables and local APIC. Back, it flushes its TLB
 * and rejoins the shootdowns, the scheduler (its tick on) and the vector
 * spread; the emptying thread then exits and the caller joins it. Moved
 * vectors stay where they went.
 *
 * Rules: from a thread (it sleeps), never from the CPU being taken
 * offline's own pinned threads; one change at a time (hotplug_lock).
 */
#include <stdint.h>

#include "apic/irq.h"
#include "arch.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "printk.h"
#include "sched/sched.h"
#include "sync/mutex.h"
#include "timer/clock.h"
#include "x86/lapic.h"

#define BOOT_CPU        0
#define WAKE_RETRY_NS   NS_PER_MS       /* another NMI if the CPU is still parked after this */

struct leave {
    volatile int done;                  /* the thread has parked or given up */
    int result;                         /* 0, or SMP_ERR_BUSY */
    int threads;                        /* moved to other CPUs */
    unsigned vectors;                   /* moved to other CPUs */
    char pinned[THREAD_NAME_MAX];       /* the thread pinned there, when refused */
};

static struct mutex hotplug_lock = MUTEX_INIT("cpu hotplug");
static struct leave leaves[SMP_MAX_CPUS];
static struct thread *leavers[SMP_MAX_CPUS];    /* each offline CPU's emptying thread, parked in it */

int smp_cpu_active(unsigned cpu)
{
    const struct percpu *c = smp_cpu(cpu);

    return c && !c->offline;
}

int smp_nmi_parked(void)
{
    return __atomic_load_n(&percpu_this()->parked, __ATOMIC_ACQUIRE);
}

/* Interrupts off; hlt returns only for an NMI (or SMI, INIT), so the flag is checked after each. */
static void park(struct percpu *c)
{
    __atomic_store_n(&c->parked, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&c->park_wake, __ATOMIC_ACQUIRE))
        __asm__ volatile("hlt" ::: "memory");
    c->park_wake = 0;
    __atomic_store_n(&c->parked, 0, __ATOMIC_RELEASE);
}

/* The emptying thread, pinned to the CPU that leaves (steps 1 to 5 above, then back). */
static void leave_cpu(void *arg)
{
    struct leave *l = arg;
    struct percpu *c = percpu_this();

    c->offline = 1;
    if ((l->threads = sched_cpu_drain(l->pinned)) < 0) {
        c->offline = 0;
        l->result = SMP_ERR_BUSY;
        __atomic_store_n(&l->done, 1, __ATOMIC_RELEASE);
        return;
    }
    l->vectors = irq_cpu_leave(c->cpu_id);
    arch_irq_disable();
    sched_cpu_park();
    tlb_cpu_leave();
    l->result = 0;
    __atomic_store_n(&l->done, 1, __ATOMIC_RELEASE);
    park(c);
    tlb_cpu_join();
    sched_cpu_rejoin();
    c->offline = 0;
    arch_irq_enable();
}

/* Start the emptying thread on cpu and wait until it parked or gave up: its result. */
static int empty_cpu(unsigned cpu)
{
    struct leave *l = &leaves[cpu];
    struct thread *t;

    *l = (struct leave){ 0 };
    if (!(t = thread_create_on("cpu offline", leave_cpu, l, SCHED_PRIO_MAX, (int)cpu)))
        return SMP_ERR_NO_CPU;
    while (!__atomic_load_n(&l->done, __ATOMIC_ACQUIRE))
        sched_sleep_ns(NS_PER_MS);
    if (l->result == 0) {
        leavers[cpu] = t;
        printk(LOG_INFO, "[smp] CPU %u offline: %d threads moved, %u interrupts moved\n", cpu,
               l->threads, l->vectors);
        return 0;
    }
    thread_join(t);
    printk(LOG_WARN, "[smp] smp_cpu_offline: CPU %u stays online: thread '%s' is pinned to it\n", cpu,
           l->pinned);
    return l->result;
}

int smp_cpu_offline(unsigned cpu)
{
    int r;

    if (cpu == BOOT_CPU) {
        printk(LOG_WARN, "[smp] smp_cpu_offline: CPU 0 is the boot CPU: it cannot go offline\n");
        return SMP_ERR_BOOT_CPU;
    }
    if (!smp_cpu(cpu))
        return SMP_ERR_NO_CPU;
    mutex_lock(&hotplug_lock);
    r = leavers[cpu] ? SMP_ERR_STATE : empty_cpu(cpu);
    mutex_unlock(&hotplug_lock);
    return r;
}

/* park_wake, then an NMI until it has left the loop (one that came before its hlt was spent). */
static void wake(struct percpu *c)
{
    __atomic_store_n(&c->park_wake, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&c->parked, __ATOMIC_ACQUIRE)) {
        lapic_send_ipi(c->apic_id, LAPIC_ICR_NMI | LAPIC_ICR_ASSERT);
        sched_sleep_ns(WAKE_RETRY_NS);
    }
}

int smp_cpu_online_again(unsigned cpu)
{
    int r = 0;

    if (!smp_cpu(cpu) || cpu == BOOT_CPU)
        return SMP_ERR_NO_CPU;
    mutex_lock(&hotplug_lock);
    if (!leavers[cpu]) {
        r = SMP_ERR_STATE;
    } else {
        wake(smp_cpu(cpu));
        thread_join(leavers[cpu]);
        leavers[cpu] = 0;
        printk(LOG_INFO, "[smp] CPU %u online again\n", cpu);
    }
    mutex_unlock(&hotplug_lock);
    return r;
}
