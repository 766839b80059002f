/*
 * exec_threads.c - execve in a process with other threads: they end
 * first, and the one that execs becomes the process's only thread, as
 * Linux's de_thread (fs/exec.c) does.
 *
 * exec_end_other_threads sets p->exec_thread and interrupts every other
 * thread (signal_exec_end_others_locked): wherever it is, each comes out
 * of its interruptible wait (a futex, a pipe, a stop) or its time in
 * ring 3 and ends at its next step back (signal_deliver: proc_thread_doomed),
 * as for exit_group. No new thread can start meanwhile (clone refuses
 * while exec_thread is set). The exec'ing thread waits on threads_gone,
 * which proc_exit wakes when the count falls to one; SIGKILL or another
 * thread's exit_group wakes it too, and then the execve gives up with
 * -EAGAIN and the thread ends on its way out (Linux's "killed" path).
 * Two threads calling execve at once: the second gets -EAGAIN and ends.
 *
 * When the thread that execs is not the leader, it takes the leader's
 * place once the leader has left the list: its record moves into
 * p->main (tid = pid, hashed since the process began), its kernel thread
 * points there, and its own tid is let go. The old leader's kernel
 * thread no longer reads p->main once it has left the list (proc_exit),
 * so the record is free to take; the reaper frees only records that are
 * not p->main. Everything is done under proc_lock and the sighand's lock,
 * the locks whoever looks a thread up (a tgkill, a futex owner's death)
 * or changes its signals holds.
 */
#include "arch.h"
#include "errno.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "sched/sched.h"

/* p->main takes the place (and the signals) of u, the last thread left; proc_lock held. */
static void take_leader_place_locked(struct proc *p, struct uthread *u)
{
    struct uthread *m = &p->main;
    struct thread *t = u->thread;
    uint64_t flags = arch_irq_save();

    if (p->sighand)
        spin_lock_noirq(&p->sighand->lock);
    uthread_unhash_locked(u);
    m->thread = t;
    m->clear_child_tid = u->clear_child_tid;
    m->robust_list = u->robust_list;
    m->sig = u->sig;
    m->next = NULL;
    m->start_regs = NULL;
    p->threads = m;
    t->uthread = m;
    if (p->sighand)
        spin_unlock_noirq(&p->sighand->lock);
    arch_irq_restore(flags);
}

int exec_end_other_threads(struct proc *p)
{
    struct uthread *self = uthread_current(), *old = NULL;
    int err = 0;

    spin_lock(&proc_lock);
    if (p->nthreads == 1) {
        spin_unlock(&proc_lock);
        return 0;
    }
    if (p->exiting || p->exec_thread) {
        spin_unlock(&proc_lock);
        return -EAGAIN;                 /* being killed, or another thread execs: this one ends */
    }
    signal_exec_end_others_locked(p, self);
    while (p->nthreads > 1 && !p->exiting)
        waitq_wait(&p->threads_gone, &proc_lock);
    if (p->exiting) {
        err = -EAGAIN;
    } else if (self != &p->main) {
        take_leader_place_locked(p, self);
        old = self;
    }
    __atomic_store_n(&p->exec_thread, NULL, __ATOMIC_RELEASE);
    spin_unlock(&proc_lock);
    kfree(old);
    return err;
}
