/*
 * sys_signal.c - the Linux personality's signal calls over kernel/proc/
 * signal.c (docs/signals.md): rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, pause, sigaltstack, kill, tkill, tgkill, restart_syscall
 * (rt_sigreturn is in sigframe.c, beside the frame it takes down).
 *
 * Sets are Linux's kernel sigset_t, 8 bytes on x86_64: a size other than 8
 * is -EINVAL, as Linux answers. Every process is root for now, so kill
 * needs no permission check (kill(2): EPERM comes with credentials).
 */
#include <stdint.h>

#include "abi/linux/sigframe.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/uaccess.h"

#define SIGSET_SIZE     8
#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2

/* stack_t */
struct linux_stack_t {
    uint64_t ss_sp;
    int32_t ss_flags;
    uint32_t pad;
    uint64_t ss_size;
};

long linux_sys_rt_sigaction(const uint64_t a[6])
{
    struct k_sigaction act, old;
    int sig = (int)a[0], err;

    if (a[3] != SIGSET_SIZE)
        return -EINVAL;
    if (a[1] && copy_from_user(&act, a[1], sizeof act))
        return -EFAULT;
    if ((err = signal_action(sig, a[1] ? &act : NULL, &old)) != 0)
        return err;
    return a[2] && copy_to_user(a[2], &old, sizeof old) ? -EFAULT : 0;
}

long linux_sys_rt_sigprocmask(const uint64_t a[6])
{
    struct uthread *ut = uthread_current();
    uint64_t set, old = ut->sig.blocked;

    if (a[3] != SIGSET_SIZE)
        return -EINVAL;
    if (a[1]) {
        if (copy_from_user(&set, a[1], sizeof set))
            return -EFAULT;
        switch (a[0]) {
        case SIG_BLOCK: signal_set_mask(old | set); break;
        case SIG_UNBLOCK: signal_set_mask(old & ~set); break;
        case SIG_SETMASK: signal_set_mask(set); break;
        default: return -EINVAL;
        }
    }
    return a[2] && copy_to_user(a[2], &old, sizeof old) ? -EFAULT : 0;
}

long linux_sys_rt_sigpending(const uint64_t a[6])
{
    uint64_t set = signal_pending_set() & uthread_current()->sig.blocked;

    if (a[1] > SIGSET_SIZE)
        return -EINVAL;
    return copy_to_user(a[0], &set, a[1]) ? -EFAULT : 0;
}

long linux_sys_rt_sigsuspend(const uint64_t a[6])
{
    uint64_t mask;

    if (a[1] != SIGSET_SIZE)
        return -EINVAL;
    if (copy_from_user(&mask, a[0], sizeof mask))
        return -EFAULT;
    signal_suspend(mask);
    return -ERESTARTNOHAND;                     /* -EINTR once the handler is set up (sigframe.c) */
}

long linux_sys_pause(const uint64_t a[6])
{
    (void)a;
    signal_suspend(uthread_current()->sig.blocked);
    return -ERESTARTNOHAND;
}

long linux_sys_sigaltstack(const uint64_t a[6])
{
    struct linux_stack_t ss, old = { 0 };
    uint64_t sp, size, o_sp, o_size;
    uint32_t fl, o_fl;
    int err;

    if (a[0]) {
        if (copy_from_user(&ss, a[0], sizeof ss))
            return -EFAULT;
        sp = ss.ss_sp;
        size = ss.ss_size;
        fl = (uint32_t)ss.ss_flags;
    }
    err = signal_altstack(a[0] ? &sp : NULL, &fl, &size, &o_sp, &o_fl, &o_size, linux_user_sp());
    old.ss_sp = o_sp;
    old.ss_flags = (int32_t)o_fl;
    old.ss_size = o_size;
    if (err)
        return err;
    return a[1] && copy_to_user(a[1], &old, sizeof old) ? -EFAULT : 0;
}

/* siginfo for a signal sent by the calling process. */
static struct ksiginfo sender(int sig, int code)
{
    struct proc *p = proc_current();

    return (struct ksiginfo){ .signo = sig, .code = code, .pid = p->pid, .uid = p->cred.uid };
}

struct kill_all {
    int sig, sent, self;
    struct ksiginfo info;
};

static int kill_one(struct proc *p, void *arg)
{
    struct kill_all *k = arg;

    if (p->pid != 1 && p->pid != k->self && (k->sig == 0 || signal_send_proc(p, k->sig, &k->info) == 0))
        k->sent++;
    return 0;
}

long linux_sys_kill(const uint64_t a[6])
{
    int pid = (int)a[0], sig = (int)a[1], err = 0;
    struct proc *self = proc_current();
    struct ksiginfo info = sender(sig, SI_USER);

    if (sig < 0 || sig > SIG_MAX)
        return -EINVAL;
    spin_lock(&proc_lock);
    if (pid > 0) {
        struct proc *p = proc_find_locked(pid);

        err = !p ? -ESRCH : sig ? signal_send_proc(p, sig, &info) : 0;
    } else if (pid == -1) {
        struct kill_all k = { sig, 0, self->pid, info };

        proc_for_each_locked(kill_one, &k);
        err = k.sent ? 0 : -ESRCH;
    } else {
        int pgid = pid == 0 ? self->pgid : -pid;

        if (sig == 0) {
            err = -ESRCH;                       /* does the group exist: the caller's does */
            if (pgid == self->pgid)
                err = 0;
        } else {
            err = signal_send_group_locked(pgid, sig);
            err = err > 0 ? 0 : err;
        }
    }
    spin_unlock(&proc_lock);
    return err;
}

/* The thread tid (of process tgid, or any when tgid is 0); proc_lock held. */
static struct uthread *find_thread_locked(int tgid, int tid)
{
    struct uthread *ut = uthread_find_locked(tid);

    return ut && (!tgid || ut->proc->pid == tgid) ? ut : NULL;
}

static long send_to_thread(int tgid, int tid, int sig)
{
    struct uthread *ut;
    struct ksiginfo info = sender(sig, SI_TKILL);
    int err;

    if (tid <= 0 || (tgid <= 0 && tgid != 0) || sig < 0 || sig > SIG_MAX)
        return -EINVAL;
    spin_lock(&proc_lock);
    ut = find_thread_locked(tgid, tid);
    err = !ut ? -ESRCH : sig ? signal_send_thread_info(ut, sig, &info) : 0;
    spin_unlock(&proc_lock);
    return err;
}

long linux_sys_tkill(const uint64_t a[6])
{
    return send_to_thread(0, (int)a[0], (int)a[1]);
}

long linux_sys_tgkill(const uint64_t a[6])
{
    if ((int)a[0] <= 0)
        return -EINVAL;
    return send_to_thread((int)a[0], (int)a[1], (int)a[2]);
}

long linux_sys_restart_syscall(const uint64_t a[6])
{
    (void)a;
    return -EINTR;                              /* no call saves a restart block yet */
}
