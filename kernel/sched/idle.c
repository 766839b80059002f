/*
 * idle.c - the idle thread of each CPU and an AP's bring-up.
 *
 * The idle thread never sits on a run queue: switch.c's pick_next falls
 * back to it when nothing is queued and nothing can be stolen. Its loop
 * checks, with interrupts off, whether there is work (queued here, or
 * stealable); if not it stops an AP's tick unless a sleeper or a callout
 * waits (tick.c, sched_tick_idle) and halts with
 * arch_wait_for_interrupt (sti; hlt), so a wake-up IPI cannot slip in
 * between the check and the halt. On an AP the boot context becomes the
 * idle thread (sched_init_cpu); the boot CPU's idle thread is made by
 * sched_init (sched.c).
 *
 * `idle=poll` on the command line (Linux's name) makes the loop spin with
 * interrupts on (pause) instead of halting: for benchmarks of
 * I/O under QEMU's -icount sleep=off, where a halted CPU makes QEMU jump
 * its virtual clock (the guest TSC) to the next timer deadline, so a read
 * that waits for a disk would count the jump instead of the work
 * (../shared/anchors/linux/RESULTS.md measures Linux the same way).
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "format.h"
#include "mm/heap.h"
#include "panic.h"
#include "printk.h"
#include "sched/sched_cpu.h"

/* idle=poll: read once, by the first idle loop (sched_idle_loop runs only after the boot). */
static int idle_poll = -1;

static int poll_asked(void)
{
    if (idle_poll < 0) {
        size_t len;
        const char *cmdline = bootinfo_cmdline(&len);
        idle_poll = cmdline && cmdline_has_word(cmdline, len, "idle=poll");
        if (idle_poll)
            printk(LOG_INFO, "[sched] idle=poll: idle CPUs spin instead of halting\n");
    }
    return idle_poll;
}

__attribute__((noreturn)) void sched_idle_loop(void)
{
    int poll = poll_asked();

    for (;;) {
        struct sched_cpu *c;

        arch_irq_disable();
        c = sched_this_cpu();
        if (c->runnable || sched_can_steal(c)) {
            sched_reschedule();
            arch_irq_enable();
            continue;
        }
        sched_tick_idle(c);
        if (poll) {
            arch_irq_enable();          /* an interrupt may come: it queues the work */
            arch_cpu_relax();
            continue;
        }
        arch_wait_for_interrupt();      /* sti; hlt: no wake-up slips in between */
    }
}

void sched_idle_entry(void *arg)
{
    (void)arg;
    sched_idle_loop();
}

void sched_init_cpu(void)
{
    unsigned id = percpu_cpu_id();
    struct sched_cpu *c = &sched_cpu_table[id];
    struct thread *idle = kcalloc(1, sizeof *idle);
    void *fpu = kmalloc_aligned(fpu_area_size(), FPU_AREA_ALIGN);

    if (!idle || !fpu)
        panic("sched_init_cpu: no memory for CPU %u's idle thread", id);
    format_snprintf(idle->name, THREAD_NAME_MAX, "idle%u", id);
    idle->base_prio = idle->prio = SCHED_PRIO_MIN;
    idle->pinned = (int)id;
    idle->fpu = fpu;
    fpu_area_init(fpu);
    sched_adopt_running(c, idle);
    c->idle = idle;
    sched_add_thread(idle);
    if (id >= sched_ncpus)              /* APs start one at a time (smp.c waits for each) */
        sched_ncpus = id + 1;
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
}

void sched_run_cpu(void)
{
    arch_irq_enable();
    sched_idle_loop();
}
