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
 */
#include "arch.h"
#include "format.h"
#include "mm/heap.h"
#include "panic.h"
#include "sched/sched_cpu.h"

__attribute__((noreturn)) void sched_idle_loop(void)
{
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
