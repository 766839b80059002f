/*
 * fork.c - clone: a new process (fork, vfork, and clone with a fork-like
 * flag set) or a new thread of the calling process (clone with
 * CLONE_THREAD, as pthread_create in glibc and musl asks), resuming from
 * the caller's system call with 0 (see proc.h).
 *
 * A new process gets a copy-on-write copy of the caller's memory
 * (uspace_fork), a copy of its descriptor table (or the table itself with
 * CLONE_FILES), its credentials, group, session and terminal, and the
 * calling thread's registers, signal mask and FS base. CLONE_VM without
 * CLONE_THREAD (vfork, musl's posix_spawn) is served as a copy too: a
 * program cannot tell, since its parent waits (CLONE_VFORK) until it has
 * called execve or ended, which is all such a child may do.
 *
 * The child is in the tables and its parent's list before its thread
 * starts: a wait4 from another thread of the parent sees it alive.
 * RLIMIT_NPROC: a user may have at most that many processes (root too,
 * unlike Linux: a fork bomb started by root in a test must stop).
 */
#include <stdint.h>
#include <string.h>

#include "arch/proc_arch.h"
#include "errno.h"
#include "mm/heap.h"
#include "mm/uspace.h"
#include "proc/proc.h"
#include "proc/proc_impl.h"
#include "proc/signal.h"
#include "proc/uaccess.h"
#include "sched/sched.h"

#define CSIGNAL         0xFF

struct count_uid {
    uint32_t uid;
    unsigned n;
};

static int count_user(struct proc *p, void *arg)
{
    struct count_uid *c = arg;

    if (p->state == PROC_ALIVE && p->cred.uid == c->uid)
        c->n++;
    return 0;
}

/* A new thread of the calling process. */
static long clone_thread(const struct proc_clone_args *a)
{
    struct proc *p = proc_current();
    struct uthread *u = kcalloc(1, sizeof *u);
    int tid;

    if (!u)
        return -ENOMEM;
    u->proc = p;
    signal_fork(u, uthread_current());
    u->start_tls = a->flags & PROC_CLONE_SETTLS ? a->tls : sched_current()->tls;
    if (a->flags & PROC_CLONE_CHILD_CLEARTID)
        u->clear_child_tid = a->child_tid;
    if (!(u->start_regs = arch_user_regs_fork(a->stack))) {
        kfree(u);
        return -ENOMEM;
    }
    spin_lock(&proc_lock);
    tid = p->exiting || p->exec_thread ? -EAGAIN : proc_alloc_tid_locked();
    if (tid > 0) {
        u->tid = tid;
        uthread_hash_locked(u);
        u->next = p->threads;
        p->threads = u;
        p->nthreads++;
    }
    spin_unlock(&proc_lock);
    if (tid < 0)
        goto fail;
    if (((a->flags & PROC_CLONE_PARENT_SETTID) && copy_to_user(a->parent_tid, &tid, sizeof tid)) ||
        ((a->flags & PROC_CLONE_CHILD_SETTID) && copy_to_user(a->child_tid, &tid, sizeof tid)) ||
        proc_start_thread(u, p->us->vm) != 0) {
        spin_lock(&proc_lock);
        for (struct uthread **pp = &p->threads; *pp; pp = &(*pp)->next)
            if (*pp == u) {
                *pp = u->next;
                break;
            }
        p->nthreads--;
        uthread_unhash_locked(u);
        spin_unlock(&proc_lock);
        tid = -ENOMEM;
        goto fail;
    }
    return tid;
fail:
    arch_user_regs_free(u->start_regs);
    kfree(u);
    return tid;
}

/* Take c out of the tables and free what it holds, before it ever ran. */
static void discard_child(struct proc *c)
{
    struct proc *parent = c->parent;

    spin_lock(&proc_lock);
    if (c->pid) {
        uthread_unhash_locked(&c->main);
        for (struct proc **pp = &parent->children; *pp; pp = &(*pp)->sibling)
            if (*pp == c) {
                *pp = c->sibling;
                break;
            }
    }
    spin_unlock(&proc_lock);
    arch_user_regs_free(c->main.start_regs);
    if (c->fds)
        fd_table_put(c->fds);
    proc_fs_release(&c->fs);
    if (c->us)
        uspace_destroy(c->us);
    proc_put(c);
}

long proc_clone(const struct proc_clone_args *a)
{
    struct uthread *me = uthread_current();
    struct proc *self = me->proc, *c, *parent;
    struct count_uid users = { self->cred.uid, 0 };
    uint64_t flags = a->flags;
    int pid;

    if (flags & PROC_CLONE_THREAD) {
        if ((flags & (PROC_CLONE_VM | PROC_CLONE_SIGHAND)) != (PROC_CLONE_VM | PROC_CLONE_SIGHAND))
            return -EINVAL;             /* Linux's rule: threads share memory and actions */
        return clone_thread(a);
    }
    if ((flags & PROC_CLONE_SIGHAND) && !(flags & PROC_CLONE_VM))
        return -EINVAL;
    if (!(c = proc_alloc()))
        return -ENOMEM;
    memcpy(c->name, self->name, sizeof c->name);
    memcpy(c->exe, self->exe, sizeof c->exe);
    memcpy(c->cmdline, self->cmdline, self->cmdline_len);
    c->cmdline_len = self->cmdline_len;
    c->segs = self->segs;
    c->cred = self->cred;
    c->ctty = self->ctty;
    c->sighand = flags & PROC_CLONE_SIGHAND ? sighand_get(self->sighand) : sighand_clone(self->sighand);
    c->exit_signal = (int)(flags & CSIGNAL);
    signal_fork(&c->main, me);
    c->main.start_tls = flags & PROC_CLONE_SETTLS ? a->tls : sched_current()->tls;
    if (flags & PROC_CLONE_CHILD_CLEARTID)
        c->main.clear_child_tid = a->child_tid;
    if (!c->sighand || !(c->us = uspace_fork(self->us)) || !(c->main.start_regs = arch_user_regs_fork(a->stack))) {
        discard_child(c);
        return -ENOMEM;
    }
    proc_fs_copy(&c->fs, &self->fs);
    rlimit_fork(&c->rlim, &self->rlim);
    if (flags & PROC_CLONE_FILES)
        c->fds = fd_table_get(self->fds);
    else if (!(c->fds = fd_table_clone(self->fds))) {
        discard_child(c);
        return -ENOMEM;
    }
    spin_lock(&proc_lock);
    parent = (flags & PROC_CLONE_PARENT) && self->parent ? self->parent : self;
    proc_for_each_locked(count_user, &users);
    pid = users.n >= rlimit_cur(self, RLIMIT_NPROC) ? -EAGAIN : proc_alloc_tid_locked();
    if (pid > 0) {
        c->pid = c->main.tid = pid;
        c->pgid = self->pgid;
        c->sid = self->sid;
        c->parent = parent;
        c->ppid = parent->pid;
        c->sibling = parent->children;
        parent->children = c;
        c->threads = &c->main;
        c->nthreads = 1;
        uthread_hash_locked(&c->main);
    }
    spin_unlock(&proc_lock);
    if (pid < 0) {
        discard_child(c);
        return pid;
    }
    if (((flags & PROC_CLONE_PARENT_SETTID) && copy_to_user(a->parent_tid, &pid, sizeof pid)) ||
        ((flags & PROC_CLONE_CHILD_SETTID) && uspace_write(c->us, a->child_tid, &pid, sizeof pid))) {
        discard_child(c);
        return -EFAULT;
    }
    c->vfork_parent_waits = (flags & PROC_CLONE_VFORK) != 0;
    proc_get(c);                        /* ours, for the vfork wait below */
    proc_note_started();
    if (proc_start_thread(&c->main, c->us->vm) != 0) {
        proc_note_ended();
        proc_put(c);
        discard_child(c);
        return -ENOMEM;
    }
    if (flags & PROC_CLONE_VFORK) {
        spin_lock(&proc_lock);
        while (c->vfork_parent_waits)
            waitq_wait(&c->vfork_done, &proc_lock);
        spin_unlock(&proc_lock);
    }
    proc_put(c);
    return pid;
}
