/*
 * thread.c - making, ending and joining kernel threads (see thread.h).
 *
 * The memory manager has no lock yet (one CPU, and until now no
 * preemption): its calls here run with interrupts off, which is its lock
 * until kernel/mm gets one. A zombie's stack is freed by its joiner, never
 * by itself (it is still running on it while it exits); on one CPU the
 * zombie has left the CPU for good once the joiner runs. SMP must also
 * wait until the zombie's CPU has switched away from it.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/switch.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "panic.h"
#include "sched/sched.h"
#include "sync/lockcheck.h"
#include "sync/spinlock.h"

/* Guards every thread's `joiners` queue and the ZOMBIE state. */
static struct spinlock exit_lock = SPINLOCK_INIT("thread exit");

/* Where a new thread starts (arch_thread_entry calls it): interrupts on, fn, exit. */
static void thread_start(void (*fn)(void *), void *arg)
{
    arch_irq_enable();
    fn(arg);
    thread_exit();
}

static void thread_free(struct thread *t)
{
    uint64_t flags = arch_irq_save();

    kva_free(t->stack);
    kfree(t->fpu);
    kfree(t);
    arch_irq_restore(flags);
}

/* Record, save area and stack, under interrupts off (the allocators' lock for now). */
static struct thread *thread_alloc(const char *name)
{
    uint64_t flags = arch_irq_save();
    struct thread *t = kcalloc(1, sizeof *t);

    if (t) {
        memcpy(t->name, name, strnlen(name, THREAD_NAME_MAX - 1));
        t->fpu = kmalloc_aligned(fpu_area_size(), FPU_AREA_ALIGN);
        t->stack = kva_alloc(THREAD_STACK_SIZE, KVA_GUARD, t->name);
    }
    arch_irq_restore(flags);
    if (t && (!t->fpu || !t->stack)) {
        thread_free(t);
        return 0;
    }
    return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, int prio)
{
    struct thread *t;
    uint64_t flags;

    if (prio < SCHED_PRIO_MIN || prio > SCHED_PRIO_MAX || !(t = thread_alloc(name)))
        return 0;
    fpu_area_init(t->fpu);
    t->fn = fn;
    t->arg = arg;
    t->base_prio = t->prio = prio;
    waitq_init(&t->joiners);
    t->sp = arch_thread_stack(t->stack + THREAD_STACK_SIZE, thread_start, fn, arg);
    flags = arch_irq_save();
    sched_add_thread(t);
    sched_enqueue(t);
    arch_irq_restore(flags);
    return t;
}

void thread_exit(void)
{
    struct thread *self = sched_current();

    spin_lock(&exit_lock);
    waitq_wake_all(&self->joiners);
    spin_release_keep_irq(&exit_lock);          /* interrupts stay off to the switch */
    sched_block(THREAD_ZOMBIE);
    panic("thread_exit: zombie '%s' ran again", self->name);
}

void thread_join(struct thread *t)
{
    uint64_t flags;

    if (t == sched_current())
        panic("thread_join: '%s' joins itself", t->name);
    if (lockcheck_may_sleep("thread_join"))
        return;
    spin_lock(&exit_lock);
    while (t->state != THREAD_ZOMBIE)
        waitq_wait(&t->joiners, &exit_lock);
    spin_unlock(&exit_lock);
    flags = arch_irq_save();
    sched_remove_thread(t);
    arch_irq_restore(flags);
    thread_free(t);
}
