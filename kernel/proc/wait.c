/*
 * wait.c - wait4 and job control's stop and continue (see proc.h).
 *
 * A parent sleeps on its own child_exit queue, which a child's end, stop
 * or continuation wakes (proc.c, here). A zombie child found is reaped:
 * out of the tid table and the parent's list, its record's tree
 * reference dropped. A stop or continuation is reported once
 * (stop_report), to a wait4 that asked for it (WUNTRACED, WCONTINUED).
 */
#include <stdint.h>

#include "errno.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "proc/signal.h"

/* 1 when child c is one wait4(pid) of `self` asks about. */
static int matches(const struct proc *c, int pid, const struct proc *self)
{
    if (pid > 0)
        return c->pid == pid;
    if (pid == -1)
        return 1;
    return c->pgid == (pid == 0 ? self->pgid : -pid);
}

/* Take zombie c off its parent's list and out of the table; proc_lock held. */
static void unlink_child_locked(struct proc *self, struct proc *c)
{
    for (struct proc **pp = &self->children; *pp; pp = &(*pp)->sibling)
        if (*pp == c) {
            *pp = c->sibling;
            break;
        }
    uthread_unhash_locked(&c->main);
}

long proc_wait4(int pid, int *status, int options)
{
    struct proc *self = proc_current(), *c;

    spin_lock(&proc_lock);
    for (;;) {
        int any = 0;
        for (c = self->children; c; c = c->sibling) {
            int report = c->stop_report;
            if (!matches(c, pid, self))
                continue;
            any = 1;
            if (c->state == PROC_ZOMBIE) {
                int found = c->pid;
                *status = c->status;
                unlink_child_locked(self, c);
                rlimit_reap(self, c);
                spin_unlock(&proc_lock);
                proc_put(c);
                return found;
            }
            if (report && ((report == PROC_CONTINUED && (options & PROC_WCONTINUED)) ||
                           (report != PROC_CONTINUED && (options & PROC_WUNTRACED)))) {
                c->stop_report = 0;
                *status = report;
                spin_unlock(&proc_lock);
                return c->pid;
            }
        }
        if (!any) {
            spin_unlock(&proc_lock);
            return -ECHILD;
        }
        if (options & PROC_WNOHANG) {
            spin_unlock(&proc_lock);
            return 0;
        }
        waitq_wait(&self->child_exit, &proc_lock);
    }
}

void proc_stop(int sig)
{
    struct proc *p = proc_current();

    spin_lock(&proc_lock);
    if (!p->stopped) {
        p->stopped = 1;
        p->stop_report = PROC_STOPPED(sig);
        if (p->parent)
            waitq_wake_all(&p->parent->child_exit);
        signal_notify_parent_locked(p, CLD_STOPPED, sig);
    }
    while (p->stopped && !proc_thread_doomed(uthread_current()))
        waitq_wait(&p->continued, &proc_lock);
    spin_unlock(&proc_lock);
}

void proc_continue_locked(struct proc *p)
{
    if (!p->stopped)
        return;
    p->stopped = 0;
    p->stop_report = PROC_CONTINUED;
    waitq_wake_all(&p->continued);
    if (p->parent)
        waitq_wake_all(&p->parent->child_exit);
    signal_notify_parent_locked(p, CLD_CONTINUED, SIGCONT);
}
