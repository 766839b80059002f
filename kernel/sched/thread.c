/*
 * thread.c - making, ending and joining kernel threads (see thread.h).
 *
 * A zombie's stack is freed by its joiner, never by itself (it is still
 * running on it while it exits). The joiner may run on another CPU while
 * the zombie's CPU is still switching away from it, so it waits for the
 * zombie's on_cpu to clear (sched_finish_switch) before freeing anything.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/sched_arch.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "panic.h"
#include "sched/sched.h"
#include "sync/lockcheck.h"
#include "sync/spinlock.h"

/* Guards every thread's `joiners` queue and the ZOMBIE state. */
static struct spinlock exit_lock = SPINLOCK_INIT("thread exit");

/* Where a new thread starts (arch_thread_entry calls it): finish the
 * switch that brought it here, interrupts on, fn, exit. */
static void thread_start(void (*fn)(void *), void *arg)
{
    sched_finish_switch();
    arch_irq_enable();
    fn(arg);
    thread_exit();
}

static void thread_free(struct thread *t)
{
    if (t->space)
        vmm_space_put(t->space);
    kva_free(t->stack);
    kfree(t->fpu);
    kfree(t);
}

/* Record, save area and stack (the allocators take their own locks). */
static struct thread *thread_alloc(const char *name)
{
    struct thread *t = kcalloc(1, sizeof *t);

    if (t) {
        memcpy(t->name, name, strnlen(name, THREAD_NAME_MAX - 1));
        t->fpu = kmalloc_aligned(fpu_area_size(), FPU_AREA_ALIGN);
        t->stack = kva_alloc(THREAD_STACK_SIZE, KVA_GUARD, t->name);
    }
    if (t && (!t->fpu || !t->stack)) {
        thread_free(t);
        return 0;
    }
    return t;
}

struct thread *thread_create_on(const char *name, void (*fn)(void *), void *arg, int prio, int cpu)
{
    return thread_create_in(0, name, fn, arg, prio, cpu);
}

struct thread *thread_create_in(struct vmm_space *space, const char *name, void (*fn)(void *),
                                void *arg, int prio, int cpu)
{
    struct thread *t;
    uint64_t flags;

    if (prio < SCHED_PRIO_MIN || prio > SCHED_PRIO_MAX)
        return 0;
    if (cpu != THREAD_ANY_CPU && !sched_cpu_online(cpu))
        return 0;
    if (!(t = thread_alloc(name)))
        return 0;
    fpu_area_init(t->fpu);
    t->fn = fn;
    t->arg = arg;
    t->base_prio = t->prio = prio;
    t->cpu = THREAD_ANY_CPU;            /* never ran */
    t->pinned = cpu;
    t->space = space;
    if (space)
        vmm_space_get(space);      /* the thread's reference, dropped by thread_free */
    waitq_init(&t->joiners);
    t->sp = arch_thread_stack(t->stack + THREAD_STACK_SIZE, thread_start, fn, arg);
    sched_add_thread(t);
    flags = arch_irq_save();
    sched_enqueue(t);
    arch_irq_restore(flags);
    return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, int prio)
{
    return thread_create_on(name, fn, arg, prio, THREAD_ANY_CPU);
}

void thread_set_space(struct vmm_space *space)
{
    struct thread *self = sched_current();
    struct vmm_space *old = self->space;
    uint64_t flags;

    vmm_space_get(space);
    flags = arch_irq_save();
    self->space = space;
    vmm_space_switch(old ? old : vmm_kernel_space(), space);
    arch_irq_restore(flags);
    if (old)
        vmm_space_put(old);
}

void thread_exit(void)
{
    struct thread *self = sched_current();

    spin_lock(&exit_lock);
    waitq_wake_all(&self->joiners);
    sched_block_release(THREAD_ZOMBIE, &exit_lock);     /* ZOMBIE before exit_lock goes */
    panic("thread_exit: zombie '%s' ran again", self->name);
}

void thread_join(struct thread *t)
{
    if (t == sched_current())
        panic("thread_join: '%s' joins itself", t->name);
    if (lockcheck_may_sleep("thread_join"))
        return;
    spin_lock(&exit_lock);
    while (t->state != THREAD_ZOMBIE)
        waitq_wait(&t->joiners, &exit_lock);
    spin_unlock(&exit_lock);
    while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))      /* its CPU is still leaving it */
        arch_cpu_relax();
    sched_remove_thread(t);
    thread_free(t);
}
