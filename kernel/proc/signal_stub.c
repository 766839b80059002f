/*
 * signal_stub.c - stand-ins for the process core's calls signal.c needs
 * (issue 16's contract: the integrator's proc.c provides them), weak so
 * that the real ones replace them as they land; this file goes once main
 * has them all.
 *
 *   proc_exit_group  today's proc_exit (one thread per process)
 *   proc_stop        the caller's process waits on sig_proc.stopq under
 *                    proc_lock until proc_continue_locked (SIGCONT,
 *                    SIGKILL); no wait4 report
 *   proc_find_locked, uthread_find_locked, proc_for_each_locked
 *                    know only the calling process (there is no process
 *                    table before the integrator's)
 */
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/waitq.h"

__attribute__((weak)) void proc_exit_group(int wstatus)
{
    proc_exit(wstatus);
}

__attribute__((weak)) void proc_stop(int sig)
{
    struct proc *p = proc_current();

    spin_lock(&proc_lock);
    p->sig.stopped = sig;
    while (p->sig.stopped)
        waitq_wait(&p->sig.stopq, &proc_lock);
    spin_unlock(&proc_lock);
}

__attribute__((weak)) void proc_continue_locked(struct proc *p)
{
    p->sig.stopped = 0;
    waitq_wake_all(&p->sig.stopq);
}

__attribute__((weak)) struct proc *proc_find_locked(int pid)
{
    struct proc *p = proc_current();

    return p && p->pid == pid ? p : NULL;
}

__attribute__((weak)) struct uthread *uthread_find_locked(int tid)
{
    struct proc *p = proc_find_locked(tid);

    return p && p->main.tid == tid ? &p->main : NULL;
}

__attribute__((weak)) int proc_for_each_locked(int (*fn)(struct proc *p, void *arg), void *arg)
{
    struct proc *p = proc_current();

    return p ? fn(p, arg) : 0;
}
