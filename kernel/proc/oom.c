/*
 * oom.c - the out-of-memory killer. When a page fault of a process finds no
 * frame (uspace_fault in kernel/mm/uspace.c), the process with the most
 * resident pages gets SIGKILL, with one log line:
 *
 *   [mm] out of memory: killed pid 7 (oom), 98304 kB resident
 *
 * and the fault waits, boundedly, for that process to end (its pages come
 * back as it does) before the access is tried again. A victim already on
 * its way out is waited for, not doubled by a second. The first process is
 * never chosen while another one is there; when the largest is the faulting
 * process itself, the fault ends it as SIGKILL would: a fault from ring 3
 * is retried and the pending SIGKILL is taken on the way back, a kernel
 * access (copy_to_user) gets EFAULT and the signal at the system call's end.
 * Like Linux's, the measure is resident pages only (no kernel memory, no
 * page cache, no badness score).
 */
#include <stdint.h>

#include "mm/uspace.h"
#include "printk.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define OOM_WAIT_NS     (2 * NS_PER_SEC)    /* for the victim's end; then the fault is tried again anyway */

struct oom_pick {
    struct proc *victim;
    uint64_t pages;
};

/* The live process with the most resident pages, init last (proc_lock held). */
static int consider_locked(struct proc *p, void *arg)
{
    struct oom_pick *k = arg;
    uint64_t pages;

    if (p->state != PROC_ALIVE || !p->us)
        return 0;
    pages = __atomic_load_n(&p->us->resident, __ATOMIC_RELAXED);    /* an estimate is enough */
    if (p->pid == 1)
        pages = pages ? 1 : 0;          /* init only when nobody else holds a page */
    if (pages > k->pages) {
        k->victim = p;
        k->pages = pages;
    }
    return 0;
}

int proc_oom_kill(int from_user)
{
    struct proc *self = proc_current(), *v;
    struct oom_pick k = { 0, 0 };
    uint64_t end;
    int killing;

    spin_lock(&proc_lock);
    proc_for_each_locked(consider_locked, &k);
    v = k.victim;
    if (!v) {
        spin_unlock(&proc_lock);
        return 0;
    }
    killing = !__atomic_load_n(&v->exiting, __ATOMIC_RELAXED);
    if (killing) {
        k.pages = __atomic_load_n(&v->us->resident, __ATOMIC_RELAXED);
        signal_send_proc(v, SIGKILL, NULL);
    }
    proc_get(v);
    spin_unlock(&proc_lock);
    if (killing)
        printk(LOG_ERR, "[mm] out of memory: killed pid %d (%s), %llu kB resident\n", v->pid, v->name,
               (unsigned long long)k.pages * 4);
    if (v == self) {
        proc_put(v);
        return from_user;
    }
    for (end = clock_ns() + OOM_WAIT_NS; __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != PROC_ZOMBIE &&
                                         clock_ns() < end;)
        sched_sleep_ns(NS_PER_MS);
    proc_put(v);
    return 1;
}
