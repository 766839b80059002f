/*
 * pgrp.c - process groups and sessions, POSIX's job-control units
 * (XBD 3.296, 3.343; Linux's setpgid(2), setsid(2)): a shell puts each
 * pipeline in a group of its own and the terminal's signals go to its
 * foreground group. Every check is Linux's, in its order.
 */
#include "errno.h"
#include "proc/proc.h"
#include "tty/termios.h"
#include "tty/tty.h"

struct group_probe {
    int pgid, sid;
};

/* 1 when a process of group pgid lives in session sid. */
static int group_in_session(struct proc *p, void *arg)
{
    const struct group_probe *g = arg;

    return p->pgid == g->pgid && p->sid == g->sid;
}

static int leads_group(struct proc *p, void *arg)
{
    return p->pgid == *(int *)arg;
}

long proc_setpgid(int pid, int pgid)
{
    struct proc *self = proc_current(), *p;
    struct group_probe g;
    long r = 0;

    if (pgid < 0)
        return -EINVAL;
    spin_lock(&proc_lock);
    p = pid ? proc_find_locked(pid) : self;
    if (!p || (p != self && p->parent != self) || p->state != PROC_ALIVE)
        r = -ESRCH;
    else if (p->sid != self->sid || p->sid == p->pid)
        r = -EPERM;                     /* another session, or a session leader */
    if (!r) {
        g = (struct group_probe){ pgid ? pgid : p->pid, self->sid };
        if (g.pgid != p->pid && !proc_for_each_locked(group_in_session, &g))
            r = -EPERM;                 /* no such group in this session */
        else
            p->pgid = g.pgid;
    }
    spin_unlock(&proc_lock);
    return r;
}

long proc_setsid(void)
{
    struct proc *self = proc_current();
    long r;

    spin_lock(&proc_lock);
    if (proc_for_each_locked(leads_group, &self->pid)) {
        r = -EPERM;                     /* a group already has our pid as its id */
    } else {
        self->pgid = self->sid = self->pid;
        self->ctty = NULL;
        r = self->sid;
    }
    spin_unlock(&proc_lock);
    return r;
}

/* A terminal's foreground group is its session leader's group from the moment the leader
 * takes it: a login shell's job control starts from there (it waits, stopped by SIGTTIN, while
 * another group is in the foreground), and the terminal's ^C reaches the leader's group. */
void proc_take_ctty(struct tty *t)
{
    struct proc *p = proc_current();
    int pgid = p->pgid;

    p->ctty = t;
    tty_ioctl(t, TIOCSPGRP, &pgid);
}

static long get_id(int pid, int session)
{
    struct proc *p;
    long r;

    spin_lock(&proc_lock);
    p = pid ? proc_find_locked(pid) : proc_current();
    r = !p ? -ESRCH : session ? p->sid : p->pgid;
    spin_unlock(&proc_lock);
    return r;
}

long proc_getpgid(int pid)
{
    return get_id(pid, 0);
}

long proc_getsid(int pid)
{
    return get_id(pid, 1);
}
