/*
 * sys_sched.c - the Linux personality's scheduling calls: sched_yield,
 * sched_getaffinity, sched_setaffinity, getcpu (kernel/sched/sched.h), and
 * rseq, declined.
 *
 * The scheduler knows two placements: any CPU, or pinned to one
 * (thread.h's `pinned`). An affinity mask that holds every online CPU is
 * "any"; any other is the CPU the thread runs on when the mask has it,
 * else the lowest CPU of the mask: the thread then runs only on CPUs of
 * its mask, as Linux promises, and sched_getaffinity reports the one CPU.
 * A thread moved to another CPU sleeps one tick and is woken there (the
 * wake-up places it by its pin: place.c).
 *
 * Only the calling thread's own affinity for now: pid 0, its tid or its
 * pid (another thread is -ESRCH).
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "arch.h"
#include "errno.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sched/sched_cpu.h"
#include "sched/thread.h"

#define MASK_BYTES  8           /* Linux's cpumask_size() for up to 64 CPUs: what it returns */

_Static_assert(SMP_MAX_CPUS <= 8 * MASK_BYTES, "one 64-bit mask covers every CPU");

/* pid names the calling thread: 0, its tid (Linux's affinity is a thread's), or its process's pid. */
static int is_self(int64_t pid)
{
    return pid == 0 || pid == uthread_current()->tid || pid == proc_current()->pid;
}

static uint64_t online_mask(void)
{
    uint64_t m = 0;

    for (unsigned i = 0; i < sched_cpus(); i++)
        if (sched_cpu_online((int)i))
            m |= 1ull << i;
    return m;
}

long linux_sys_sched_yield(const uint64_t a[6])
{
    (void)a;
    sched_yield();
    return 0;
}

long linux_sys_sched_getaffinity(const uint64_t a[6])
{
    struct thread *self = sched_current();
    uint64_t mask;

    if (!is_self((int64_t)a[0]))
        return -ESRCH;
    if (a[1] * 8 < sched_cpus() || (a[1] & (MASK_BYTES - 1)))
        return -EINVAL;
    mask = self->pinned == THREAD_ANY_CPU ? online_mask() : 1ull << self->pinned;
    return copy_to_user(a[2], &mask, MASK_BYTES) ? -EFAULT : MASK_BYTES;
}

/* Pin the calling thread to cpu (THREAD_ANY_CPU: unpin); moves it there if it runs elsewhere. */
static void pin_self(int cpu)
{
    struct thread *self = sched_current();
    uint64_t flags = arch_irq_save();
    struct sched_cpu *c = sched_this_cpu();
    int move;

    spin_lock_noirq(&c->lock);
    self->pinned = cpu;
    move = cpu != THREAD_ANY_CPU && cpu != sched_cpu_index(c);
    spin_unlock_noirq(&c->lock);
    arch_irq_restore(flags);
    if (move)
        sched_sleep_ns(1);      /* the tick that wakes it queues it on its pinned CPU */
}

long linux_sys_sched_setaffinity(const uint64_t a[6])
{
    uint64_t mask = 0, online = online_mask();
    int here = sched_cpu_id();

    if (!is_self((int64_t)a[0]))
        return -ESRCH;
    if (copy_from_user(&mask, a[2], a[1] < MASK_BYTES ? a[1] : MASK_BYTES))
        return -EFAULT;
    mask &= online;
    if (!mask)
        return -EINVAL;
    if (mask == online)
        pin_self(THREAD_ANY_CPU);
    else
        pin_self(mask & (1ull << here) ? here : __builtin_ctzll(mask));
    return 0;
}

long linux_sys_getcpu(const uint64_t a[6])
{
    uint32_t cpu = (uint32_t)sched_cpu_id(), node = 0;

    if (a[0] && copy_to_user(a[0], &cpu, sizeof cpu))
        return -EFAULT;
    if (a[1] && copy_to_user(a[1], &node, sizeof node))
        return -EFAULT;
    return 0;
}

/* rseq (restartable sequences) is declined, quietly: glibc registers an area at every thread's start
 * and, on -ENOSYS, goes on without it (sched_getcpu then asks getcpu). Offering it would mean
 * writing the CPU number into the area on every return to ring 3 after a switch, and moving a
 * thread preempted inside a critical section to its abort address. */
long linux_sys_rseq(const uint64_t a[6])
{
    (void)a;
    return -ENOSYS;
}
