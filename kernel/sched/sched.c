/*
 * sched.c - the scheduler (see sched.h): the per-CPU table and the boot
 * CPU's bring-up. Each concept has a file of its own beside it (listed in
 * sched_cpu.h): run queues and aging (runq.c), placement (place.c),
 * stealing and balancing (steal.c), the switch (switch.c), sleeping
 * (sleep.c), the tick and preemption (tick.c), the idle thread (idle.c),
 * the thread list and counters (stats.c).
 *
 * The invariant that makes several CPUs safe: a thread on a run queue has
 * finished switching out (its registers and FPU state are saved), as seen
 * by anyone holding that queue's lock. Three rules keep it:
 *   - a CPU holds its own run-queue lock from choosing the next thread
 *     until that thread runs (sched_finish_switch releases it), so the
 *     outgoing thread, put on this CPU's queue while still running, cannot
 *     be stolen before its switch is over;
 *   - a thread that blocks takes its CPU's run-queue lock before letting go
 *     of the wait queue's lock (sched_block_release);
 *   - a waker that finds the thread still on_cpu queues it on that same
 *     CPU, whose lock it then has to wait for: the switch finishes first.
 * A joiner waits for on_cpu to clear before freeing a zombie's stack.
 */
#include <stdint.h>
#include <string.h>

#include "panic.h"
#include "printk.h"
#include "sched/sched_cpu.h"
#include "timer/clock.h"

struct sched_cpu sched_cpu_table[SMP_MAX_CPUS];
volatile unsigned sched_ncpus;
static struct thread boot_thread;

struct thread *sched_current(void)
{
    return percpu_current();
}

int sched_cpu_id(void)
{
    return (int)percpu_cpu_id();
}

unsigned sched_cpus(void)
{
    unsigned n = 0;

    for (unsigned i = 0; i < sched_ncpus; i++)
        n += sched_cpu_table[i].online;
    return n;
}

int sched_cpu_online(int cpu)
{
    return cpu >= 0 && (unsigned)cpu < sched_ncpus && __atomic_load_n(&sched_cpu_table[cpu].online, __ATOMIC_ACQUIRE);
}

/* Make `t` the thread this CPU's code is already running as. */
void sched_adopt_running(struct sched_cpu *c, struct thread *t)
{
    t->state = THREAD_RUNNING;
    t->ran_since_ns = clock_ns();
    t->cpu = sched_cpu_index(c);
    t->on_cpu = 1;
    t->switches = 1;
    c->curr = t;
    c->slice = SCHED_SLICE_TICKS;
    percpu_set_current(t);
}

void sched_init(void)
{
    struct sched_cpu *c = &sched_cpu_table[0];
    static uint8_t boot_fpu[4096] __attribute__((aligned(FPU_AREA_ALIGN)));

    if (fpu_area_size() > sizeof boot_fpu)
        panic("sched_init: FPU area of %zu bytes", fpu_area_size());
    for (unsigned i = 0; i < SMP_MAX_CPUS; i++)
        spin_init(&sched_cpu_table[i].lock, "run queue");
    sched_ncpus = 1;
    memcpy(boot_thread.name, "kmain", sizeof "kmain");
    boot_thread.base_prio = boot_thread.prio = SCHED_PRIO_DEFAULT;
    boot_thread.pinned = 0;             /* tests arm per-CPU exception catches (trap.h) */
    boot_thread.fpu = boot_fpu;
    sched_adopt_running(c, &boot_thread);
    sched_add_thread(&boot_thread);
    c->online = 1;
    c->idle = thread_create_on("idle0", sched_idle_entry, 0, SCHED_PRIO_MIN, 0);
    if (!c->idle)
        panic("sched_init: no idle thread");
    runq_pop(c, SCHED_PRIO_MIN);        /* idle runs only when nothing else can */
    runq_count(c, c->idle, -1);
    c->idle->state = THREAD_RUNNABLE;
    c->need_resched = 0;
    sched_tick_init();
    printk(LOG_INFO, "[sched] kmain is thread 0; %d priorities, %d-tick slices, aging every %d ticks\n",
           SCHED_PRIO_LEVELS, SCHED_SLICE_TICKS, SCHED_AGING_TICKS);
}
