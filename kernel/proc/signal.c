/*
 * signal.c - signals (see signal.h; docs/signals.md): actions, sending,
 * the pending sets and masks, default actions, faults as signals.
 *
 * Everything here is guarded by the sighand's lock of the process
 * concerned, taken with interrupts off (a terminal's ^C sends from an
 * interrupt), inside proc_lock where a process's thread list is walked
 * (the process core's order: proc_lock, then the sighand's lock, then a
 * run-queue lock). A sender sets the pending bit and the siginfo, then chooses
 * the thread that will take it (the one it was sent to, or for the whole
 * process the first thread that does not block it) and calls
 * sched_interrupt on it: the flag it sets ends an interruptible wait and
 * makes the return to ring 3 call signal_deliver, which takes signals off
 * here (signal_dequeue) and lets the personality build the frame. The
 * choice follows POSIX (XSH 2.4.1): a process-wide signal goes to one
 * thread that does not block it; SIGKILL reaches every thread.
 */
#include <stdint.h>
#include <string.h>

#include "errno.h"
#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

/* Default actions (signal(7)). */
#define STOP_SET    (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))
#define IGNORE_SET  (SIG_BIT(SIGCHLD) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH) | SIG_BIT(SIGCONT))

static const char *const names[SIGRTMIN] = {
    [SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
    [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
    [SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
    [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT",
    [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
    [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
    [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig)
{
    if (sig > 0 && sig < SIGRTMIN)
        return names[sig];
    return sig >= SIGRTMIN && sig <= SIG_MAX ? "SIGRT" : "?";
}

static int valid(int sig)
{
    return sig >= 1 && sig <= SIG_MAX;
}

/* --- actions --- */

struct sighand *sighand_create(void)
{
    struct sighand *h = kcalloc(1, sizeof *h);

    if (h) {
        spin_init(&h->lock, "sighand");
        h->refs = 1;
    }
    return h;
}

struct sighand *sighand_clone(struct sighand *h)
{
    struct sighand *c = sighand_create();

    if (c && h) {
        spin_lock(&h->lock);
        memcpy(c->action, h->action, sizeof c->action);
        spin_unlock(&h->lock);
    }
    return c;
}

struct sighand *sighand_get(struct sighand *h)
{
    __atomic_fetch_add(&h->refs, 1, __ATOMIC_RELAXED);
    return h;
}

void sighand_put(struct sighand *h)
{
    if (h && __atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) == 0)
        kfree(h);
}

/* The process's actions: proc_create (and fork) made them; NULL only if its memory ran out. */
static struct sighand *hand(struct proc *p)
{
    return p->sighand;
}

/* The process's live threads: walked with proc_lock held (a thread leaves the list under it). */
static struct uthread *first_thread(struct proc *p)
{
    return p->threads;
}

/* proc_lock taken unless this CPU holds it already (senders in the tree's walks hold it); 1 if taken. */
static int tree_lock(void)
{
    if (spin_held(&proc_lock))
        return 0;
    spin_lock(&proc_lock);
    return 1;
}

static void tree_unlock(int taken)
{
    if (taken)
        spin_unlock(&proc_lock);
}

void signal_fork(struct uthread *child, const struct uthread *parent)
{
    child->sig = (struct sig_thread){ 0 };
    child->sig.blocked = parent->sig.blocked;
    child->sig.altstack_sp = parent->sig.altstack_sp;
    child->sig.altstack_size = parent->sig.altstack_size;
    child->sig.altstack_flags = parent->sig.altstack_flags;
}

void signal_exec(struct proc *p)
{
    struct sighand *h = hand(p);

    if (!h)
        return;
    spin_lock(&proc_lock);
    spin_lock(&h->lock);
    for (int i = 0; i < SIG_MAX; i++) {
        struct k_sigaction *a = &h->action[i];

        if (a->handler != SIG_IGN)
            a->handler = SIG_DFL;
        a->flags = 0;
        a->restorer = 0;
        a->mask = 0;
    }
    for (struct uthread *ut = first_thread(p); ut; ut = ut->next) {
        ut->sig.altstack_sp = ut->sig.altstack_size = 0;
        ut->sig.altstack_flags = SS_DISABLE;
    }
    spin_unlock(&h->lock);
    spin_unlock(&proc_lock);
}

/* 1 when sig would be thrown away as it arrives: ignored by its action (never when blocked). */
static int ignored(struct sighand *h, int sig)
{
    const struct k_sigaction *a = &h->action[sig - 1];

    if (sig == SIGKILL || sig == SIGSTOP)
        return 0;
    return a->handler == SIG_IGN || (a->handler == SIG_DFL && (IGNORE_SET & SIG_BIT(sig)));
}

/* --- the flag --- */

void signal_recalc_locked(struct uthread *ut)
{
    struct proc *p = ut->proc;
    uint64_t ready = (ut->sig.pending | p->sig.pending) & ~ut->sig.blocked;

    if (!ut->thread)
        return;
    if (ready || proc_thread_doomed(ut))        /* exiting, or another thread's execve: it must come out */
        sched_interrupt(ut->thread);
    else
        sched_clear_interrupt(ut->thread);
}

void signal_thread_started(struct uthread *ut)
{
    struct sighand *h = hand(ut->proc);
    uint64_t flags;

    if (!h)
        return;
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    signal_recalc_locked(ut);
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
}

int signal_pending(void)
{
    struct thread *t = sched_current();

    return t && sched_interrupted(t);
}

/* --- sending --- */

static void set_info(struct ksiginfo *slot, int sig, const struct ksiginfo *info)
{
    if (info) {
        *slot = *info;
        slot->signo = sig;
    } else {
        *slot = (struct ksiginfo){ .signo = sig, .code = SI_KERNEL };
    }
}

/*
 * What sending sig does before it is queued: SIGCONT and the stop signals
 * cancel each other; SIGKILL makes the process exiting (proc.h) and lets a
 * stopped one go. 1 when a SIGCONT must continue p: proc_continue_locked,
 * once the sighand's lock is let go (it tells the parent, whose lock may
 * be this one).
 */
static int stop_or_continue_locked(struct proc *p, int sig)
{
    if (STOP_SET & SIG_BIT(sig)) {
        p->sig.pending &= ~SIG_BIT(SIGCONT);
        for (struct uthread *ut = first_thread(p); ut; ut = ut->next)
            ut->sig.pending &= ~SIG_BIT(SIGCONT);
    } else if (sig == SIGCONT || sig == SIGKILL) {
        p->sig.pending &= ~STOP_SET;
        for (struct uthread *ut = first_thread(p); ut; ut = ut->next)
            ut->sig.pending &= ~STOP_SET;
        if (sig == SIGCONT)
            return 1;
        if (!p->exiting) {
            p->exiting = 1;
            p->status = PROC_KILLED(SIGKILL);
            waitq_wake_all(&p->continued);
            waitq_wake_all(&p->threads_gone);   /* an execve waiting for the others gives up */
        }
    }
    return 0;
}

int signal_send_proc(struct proc *p, int sig, const struct ksiginfo *info)
{
    struct sighand *h;
    uint64_t bit = SIG_BIT(sig), flags;
    struct uthread *to = NULL;
    int taken, cont;

    if (!valid(sig))
        return -EINVAL;
    if (!(h = hand(p)))
        return -ENOMEM;
    taken = tree_lock();
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    cont = stop_or_continue_locked(p, sig);
    if (ignored(h, sig) && !(p->main.sig.blocked & bit))
        goto out;
    if (!(p->sig.pending & bit)) {
        set_info(&p->sig.info[sig - 1], sig, info);
        p->sig.pending |= bit;
    }
    for (struct uthread *ut = first_thread(p); ut; ut = ut->next) {
        if (sig == SIGKILL) {
            if (ut->thread)
                sched_interrupt(ut->thread);
        } else if (!to && !(ut->sig.blocked & bit)) {
            to = ut;
        }
    }
    if (to && to->thread && !MUTANT_ENABLED(signal_wake))
        sched_interrupt(to->thread);
out:
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
    if (cont)
        proc_continue_locked(p);
    tree_unlock(taken);
    return 0;
}

int signal_send_thread_info(struct uthread *ut, int sig, const struct ksiginfo *info)
{
    struct sighand *h;
    uint64_t bit = SIG_BIT(sig), flags;
    int taken, cont;

    if (!valid(sig))
        return -EINVAL;
    if (!ut)
        return -ESRCH;                  /* a kernel thread (a ktest's pipe writer): no signals */
    if (!(h = hand(ut->proc)))
        return -ENOMEM;
    taken = tree_lock();
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    cont = stop_or_continue_locked(ut->proc, sig);
    if (!ignored(h, sig) || (ut->sig.blocked & bit)) {
        if (!(ut->sig.pending & bit)) {
            set_info(&ut->sig.info[sig - 1], sig, info);
            ut->sig.pending |= bit;
        }
        if (ut->thread && (!(ut->sig.blocked & bit) || sig == SIGKILL))
            sched_interrupt(ut->thread);
    }
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
    if (cont)
        proc_continue_locked(ut->proc);
    tree_unlock(taken);
    return 0;
}

int signal_send_thread(struct uthread *ut, int sig)
{
    struct proc *p = proc_current();
    struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = p ? p->pid : 0,
                             .uid = p ? p->cred.uid : 0 };

    return signal_send_thread_info(ut, sig, &info);
}

struct group_send {
    int pgid, sig, sent;
};

static int send_if_in_group(struct proc *p, void *arg)
{
    struct group_send *g = arg;

    if (p->pgid == g->pgid && signal_send_proc(p, g->sig, NULL) == 0)
        g->sent++;
    return 0;
}

int signal_send_group_locked(int pgid, int sig)
{
    struct group_send g = { pgid, sig, 0 };

    if (!valid(sig))
        return -EINVAL;
    proc_for_each_locked(send_if_in_group, &g);
    return g.sent ? g.sent : -ESRCH;
}

void signal_exit_group_locked(struct proc *p)
{
    struct uthread *self = uthread_current();

    for (struct uthread *ut = first_thread(p); ut; ut = ut->next)
        if (ut != self && ut->thread)
            sched_interrupt(ut->thread);
    waitq_wake_all(&p->continued);
    waitq_wake_all(&p->threads_gone);
}

void signal_exec_end_others_locked(struct proc *p, struct uthread *self)
{
    struct sighand *h = hand(p);
    uint64_t flags = arch_irq_save();

    if (h)
        spin_lock_noirq(&h->lock);
    __atomic_store_n(&p->exec_thread, self, __ATOMIC_RELEASE);
    for (struct uthread *ut = first_thread(p); ut; ut = ut->next)
        if (ut != self && ut->thread)
            sched_interrupt(ut->thread);
    waitq_wake_all(&p->continued);
    if (h)
        spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
}

int signal_child_flags(struct proc *parent)
{
    struct sighand *h = hand(parent);
    struct k_sigaction a;
    uint64_t flags;

    if (!h)
        return 0;
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    a = h->action[SIGCHLD - 1];
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
    return ((a.flags & SA_NOCLDSTOP) ? SIGCHLD_NOCLDSTOP : 0) |
           ((a.handler == SIG_IGN || (a.flags & SA_NOCLDWAIT)) ? SIGCHLD_AUTOREAP : 0);
}

void signal_notify_parent_locked(struct proc *child, int code, int status)
{
    struct proc *parent = child->parent;
    int sig = code == CLD_STOPPED || code == CLD_CONTINUED ? SIGCHLD : child->exit_signal;
    struct ksiginfo info = { .signo = sig, .code = code, .pid = child->pid, .uid = child->cred.uid,
                             .status = status };

    if (!parent || !valid(sig) || parent->state != PROC_ALIVE)
        return;
    if (sig == SIGCHLD && (code == CLD_STOPPED || code == CLD_CONTINUED) &&
        (signal_child_flags(parent) & SIGCHLD_NOCLDSTOP))
        return;
    signal_send_proc(parent, sig, &info);
}

/* --- faults --- */

int signal_fault_code(int sig, const char *what)
{
    const char *v = what ? strstr(what, "(#") : NULL;

    switch (sig) {
    case SIGSEGV:
        return v && strncmp(v, "(#PF)", 5) == 0 ? SEGV_MAPERR : SI_KERNEL;
    case SIGBUS:
        return BUS_ADRALN;
    case SIGILL:
        return ILL_ILLOPN;
    case SIGFPE:
        return v && strncmp(v, "(#DE)", 5) == 0 ? FPE_INTDIV : 0;
    case SIGTRAP:
        return SI_KERNEL;
    default:
        return SI_KERNEL;
    }
}

int signal_fault(int sig, uint64_t addr, int code)
{
    struct uthread *ut = uthread_current();
    struct sighand *h;
    struct k_sigaction *a;
    uint64_t bit = SIG_BIT(sig), flags;
    int handled;

    if (!ut || !valid(sig) || !(h = hand(ut->proc)))
        return 0;
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    a = &h->action[sig - 1];
    if ((ut->sig.blocked & bit) || a->handler == SIG_IGN) {
        ut->sig.blocked &= ~bit;                /* force_sig: a fault is never lost */
        a->handler = SIG_DFL;
    }
    handled = a->handler != SIG_DFL;
    if (handled) {
        ut->sig.info[sig - 1] = (struct ksiginfo){ .signo = sig, .code = code,
                                                   .addr = code == SI_KERNEL ? 0 : addr };
        ut->sig.pending |= bit;
        signal_recalc_locked(ut);
    }
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
    return handled;
}

/* --- taking --- */

/* The signal to take next among `ready`: the synchronous faults first, then the lowest. */
static int next_signal(uint64_t ready)
{
    static const uint64_t faults = SIG_BIT(SIGSEGV) | SIG_BIT(SIGBUS) | SIG_BIT(SIGILL) |
                                   SIG_BIT(SIGFPE) | SIG_BIT(SIGTRAP);

    if (ready & SIG_BIT(SIGKILL))
        return SIGKILL;
    if (ready & faults)
        ready &= faults;
    return ready ? __builtin_ctzll(ready) + 1 : 0;
}

int signal_dequeue(struct ksiginfo *info, struct k_sigaction *ka)
{
    struct uthread *ut = uthread_current();
    struct proc *p = ut->proc;
    struct sighand *h = hand(p);
    uint64_t flags;

    if (!h)
        return 0;
    for (;;) {
        int sig;
        uint64_t bit;

        flags = arch_irq_save();
        spin_lock_noirq(&h->lock);
        sig = next_signal((ut->sig.pending | p->sig.pending) & ~ut->sig.blocked);
        if (!sig) {
            signal_recalc_locked(ut);
            spin_unlock_noirq(&h->lock);
            arch_irq_restore(flags);
            return 0;
        }
        bit = SIG_BIT(sig);
        if (ut->sig.pending & bit) {
            *info = ut->sig.info[sig - 1];
            ut->sig.pending &= ~bit;
        } else {
            *info = p->sig.info[sig - 1];
            p->sig.pending &= ~bit;
        }
        *ka = h->action[sig - 1];
        if (ka->handler > SIG_IGN && (ka->flags & SA_RESETHAND))
            h->action[sig - 1].handler = SIG_DFL;
        signal_recalc_locked(ut);
        spin_unlock_noirq(&h->lock);
        arch_irq_restore(flags);

        if (sig == SIGKILL)
            ka->handler = SIG_DFL;
        if (ka->handler == SIG_IGN)
            continue;
        if (ka->handler != SIG_DFL)
            return sig;
        if (IGNORE_SET & bit)
            continue;
        if (STOP_SET & bit) {
            proc_stop(sig);
            continue;
        }
        proc_exit_group(sig & 0x7F);            /* wait4's "killed by sig" (no core dumps) */
    }
}

uint64_t signal_frame_mask(const struct uthread *ut)
{
    return ut->sig.has_saved ? ut->sig.saved_blocked : ut->sig.blocked;
}

void signal_handler_mask(int sig, const struct k_sigaction *ka)
{
    struct uthread *ut = uthread_current();
    struct sighand *h = hand(ut->proc);
    uint64_t flags = arch_irq_save();

    spin_lock_noirq(&h->lock);
    if (ut->sig.has_saved) {
        ut->sig.blocked = ut->sig.saved_blocked;
        ut->sig.has_saved = 0;
    }
    ut->sig.blocked |= ka->mask & ~SIG_UNBLOCKABLE;
    if (!(ka->flags & SA_NODEFER))
        ut->sig.blocked |= SIG_BIT(sig) & ~SIG_UNBLOCKABLE;
    signal_recalc_locked(ut);
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
}

/* --- the calls behind the personality --- */

void signal_set_mask(uint64_t mask)
{
    struct uthread *ut = uthread_current();
    struct sighand *h = hand(ut->proc);
    uint64_t flags;

    if (!h)
        return;
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    ut->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    signal_recalc_locked(ut);
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
}

int signal_action(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
    struct proc *p = proc_current();
    struct sighand *h;
    uint64_t flags;
    int taken;

    if (!valid(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    if (!(h = hand(p)))
        return -ENOMEM;
    taken = tree_lock();
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    if (old)
        *old = h->action[sig - 1];
    if (act) {
        h->action[sig - 1] = *act;
        h->action[sig - 1].mask &= ~SIG_UNBLOCKABLE;
        if (ignored(h, sig)) {                  /* POSIX: pending ones are discarded */
            p->sig.pending &= ~SIG_BIT(sig);
            for (struct uthread *ut = first_thread(p); ut; ut = ut->next) {
                ut->sig.pending &= ~SIG_BIT(sig);
                signal_recalc_locked(ut);
            }
        }
    }
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
    tree_unlock(taken);
    return 0;
}

uint64_t signal_pending_set(void)
{
    struct uthread *ut = uthread_current();
    struct sighand *h = hand(ut->proc);
    uint64_t flags, set;

    if (!h)
        return 0;
    flags = arch_irq_save();
    spin_lock_noirq(&h->lock);
    set = ut->sig.pending | ut->proc->sig.pending;
    spin_unlock_noirq(&h->lock);
    arch_irq_restore(flags);
    return set;
}

int signal_suspend(uint64_t mask)
{
    struct uthread *ut = uthread_current();
    struct sighand *h = hand(ut->proc);
    struct waitq never = WAITQ_INIT;            /* nobody wakes it: only a signal ends the wait */

    if (!h)
        return -ENOMEM;
    spin_lock(&h->lock);
    ut->sig.saved_blocked = ut->sig.blocked;
    ut->sig.has_saved = 1;
    ut->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    signal_recalc_locked(ut);
    while (waitq_wait_intr(&never, &h->lock) == 0)
        ;
    spin_unlock(&h->lock);
    return -EINTR;
}

static int on_altstack(const struct uthread *ut, uint64_t sp)
{
    return ut->sig.altstack_size && sp - ut->sig.altstack_sp <= ut->sig.altstack_size;
}

int signal_altstack(const uint64_t *sp, const uint32_t *fl, const uint64_t *size, uint64_t *old_sp,
                    uint32_t *old_flags, uint64_t *old_size, uint64_t user_sp)
{
    struct uthread *ut = uthread_current();
    int on = on_altstack(ut, user_sp);

    if (old_sp) {
        *old_sp = ut->sig.altstack_sp;
        *old_size = ut->sig.altstack_size;
        *old_flags = on ? SS_ONSTACK : (ut->sig.altstack_size ? (ut->sig.altstack_flags & SS_AUTODISARM)
                                                                : SS_DISABLE);
    }
    if (!sp)
        return 0;
    if (on)
        return -EPERM;
    if ((*fl & ~SS_AUTODISARM) == SS_DISABLE) {
        ut->sig.altstack_sp = ut->sig.altstack_size = 0;
        ut->sig.altstack_flags = SS_DISABLE;
        return 0;
    }
    if ((*fl & ~SS_AUTODISARM) != 0 && (*fl & ~SS_AUTODISARM) != SS_ONSTACK)
        return -EINVAL;
    if (*size < MINSIGSTKSZ)
        return -ENOMEM;
    ut->sig.altstack_sp = *sp;
    ut->sig.altstack_size = *size;
    ut->sig.altstack_flags = *fl & SS_AUTODISARM;
    return 0;
}

uint64_t signal_frame_sp(const struct k_sigaction *ka, uint64_t sp)
{
    struct uthread *ut = uthread_current();

    if ((ka->flags & SA_ONSTACK) && ut->sig.altstack_size && !on_altstack(ut, sp)) {
        sp = ut->sig.altstack_sp + ut->sig.altstack_size;
        if (ut->sig.altstack_flags & SS_AUTODISARM)
            ut->sig.altstack_sp = ut->sig.altstack_size = 0;
        return sp;
    }
    return sp - 128;                            /* below the SysV ABI's red zone */
}

int signal_on_altstack(uint64_t sp)
{
    return on_altstack(uthread_current(), sp);
}
