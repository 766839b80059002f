/*
 * rlimit.c - a process's resource limits and CPU-time totals (rlimit.h).
 *
 * Linux's defaults (include/asm-generic/resource.h INIT_RLIMITS, and
 * kernel/fork.c for the two sized from memory): no limit but a 8 MiB
 * soft stack, no core files, 1024/4096 descriptors, 8 MiB locked, 819200
 * bytes of message queues; NPROC and SIGPENDING half of max_threads, the
 * threads whose 16 KiB kernel stacks fit in an eighth of memory
 * (set_max_threads), at least 20.
 */
#include <stdint.h>

#include "abi/linux/linux_time.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "sched/thread.h"
#include "sync/spinlock.h"

#define MIB                 (1ull << 20)
#define PAGES_PER_THREAD    32      /* 8 * THREAD_SIZE (16 KiB) / PAGE_SIZE: set_max_threads */
#define MIN_THREADS         20

void rlimit_init(struct proc_rlimits *r)
{
    uint64_t threads = mm_frames()->managed_frames / PAGES_PER_THREAD;

    if (threads < MIN_THREADS)
        threads = MIN_THREADS;
    for (int i = 0; i < RLIM_NLIMITS; i++)
        r->lim[i] = (struct rlimit_pair){ RLIM_INFINITY, RLIM_INFINITY };
    r->lim[RLIMIT_STACK].cur = 8 * MIB;
    r->lim[RLIMIT_CORE].cur = 0;
    r->lim[RLIMIT_NPROC] = (struct rlimit_pair){ threads / 2, threads / 2 };
    r->lim[RLIMIT_NOFILE] = (struct rlimit_pair){ 1024, 4096 };
    r->lim[RLIMIT_MEMLOCK] = (struct rlimit_pair){ 8 * MIB, 8 * MIB };
    r->lim[RLIMIT_SIGPENDING] = (struct rlimit_pair){ threads / 2, threads / 2 };
    r->lim[RLIMIT_MSGQUEUE] = (struct rlimit_pair){ 819200, 819200 };
    r->lim[RLIMIT_NICE] = (struct rlimit_pair){ 0, 0 };
    r->lim[RLIMIT_RTPRIO] = (struct rlimit_pair){ 0, 0 };
    r->exited_cpu_ns = r->children_cpu_ns = 0;
}

void rlimit_fork(struct proc_rlimits *child, const struct proc_rlimits *parent)
{
    *child = *parent;
    child->exited_cpu_ns = child->children_cpu_ns = 0;
}

uint64_t rlimit_cur(struct proc *p, int res)
{
    return res >= 0 && res < RLIM_NLIMITS ? __atomic_load_n(&proc_rlimits(p)->lim[res].cur, __ATOMIC_RELAXED)
                                          : RLIM_INFINITY;
}

void rlimit_thread_exit(struct proc *p, struct thread *t)
{
    __atomic_fetch_add(&proc_rlimits(p)->exited_cpu_ns, linux_thread_cpu_ns(t), __ATOMIC_RELAXED);
}

uint64_t rlimit_cpu_ns(struct proc *p)
{
    uint64_t ns = __atomic_load_n(&proc_rlimits(p)->exited_cpu_ns, __ATOMIC_RELAXED);

    spin_lock(&proc_lock);
    for (struct uthread *u = p->threads; u; u = u->next)
        if (u->thread)
            ns += linux_thread_cpu_ns(u->thread);
    spin_unlock(&proc_lock);
    return ns;
}

void rlimit_reap(struct proc *parent, struct proc *child)
{
    struct proc_rlimits *c = proc_rlimits(child);

    __atomic_fetch_add(&proc_rlimits(parent)->children_cpu_ns, c->exited_cpu_ns + c->children_cpu_ns,
                       __ATOMIC_RELAXED);
}
