/*
 * signal.h - signals (signal.c; docs/signals.md): what a process does
 * when a signal is sent to it, what is pending and blocked, and the calls
 * the rest of the kernel makes to send, wait and deliver.
 *
 * The numbers, flags and si_code values are Linux's (asm/signal.h,
 * asm-generic/siginfo.h), so the Linux personality passes them through;
 * the frame a handler runs on is the personality's (abi/linux/sigframe.c).
 *
 * Where things live:
 *   - struct sighand: the 64 actions (handler, flags, mask, restorer),
 *     shared by the threads of a process (CLONE_SIGHAND), copied by fork;
 *     its lock guards everything below for every process that uses it;
 *   - struct sig_proc (in struct proc): signals sent to the process as a
 *     whole (kill), taken by whichever of its threads does not block them
 *     (the stop state is the process core's: p->stopped, proc_stop);
 *   - struct sig_thread (in struct uthread): the thread's mask, signals sent
 *     to it alone (tgkill, faults), its alternate stack, and the mask
 *     rt_sigsuspend replaced.
 * One siginfo is kept per pending signal: a second one of the same number
 * sent before the first is taken is merged into it (real-time signals do
 * not queue yet).
 *
 * A thread that has a signal to take has its struct thread's sigwake flag
 * set (sched.h): its interruptible waits end with -EINTR and the way back
 * to ring 3 calls signal_deliver. The flag is recomputed under the lock
 * whenever the mask or the pending sets change (signal_recalc_locked).
 */
#pragma once

#include <stdint.h>

#include "sched/waitq.h"
#include "sync/spinlock.h"

struct proc;
struct trap_frame;
struct uthread;

#define SIG_MAX     64          /* signals 1..64 (Linux's _NSIG) */
#define SIG_BIT(s)  (1ULL << ((s) - 1))

#define SIGHUP      1
#define SIGINT      2
#define SIGQUIT     3
#define SIGILL      4
#define SIGTRAP     5
#define SIGABRT     6
#define SIGBUS      7
#define SIGFPE      8
#define SIGKILL     9
#define SIGUSR1     10
#define SIGSEGV     11
#define SIGUSR2     12
#define SIGPIPE     13
#define SIGALRM     14
#define SIGTERM     15
#define SIGSTKFLT   16
#define SIGCHLD     17
#define SIGCONT     18
#define SIGSTOP     19
#define SIGTSTP     20
#define SIGTTIN     21
#define SIGTTOU     22
#define SIGURG      23
#define SIGXCPU     24
#define SIGXFSZ     25
#define SIGVTALRM   26
#define SIGPROF     27
#define SIGWINCH    28
#define SIGIO       29
#define SIGPWR      30
#define SIGSYS      31
#define SIGRTMIN    32

/* Never blocked, caught or ignored. */
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

/* Handlers with a meaning of their own. */
#define SIG_DFL     0
#define SIG_IGN     1

/* sa_flags */
#define SA_NOCLDSTOP    0x00000001u
#define SA_NOCLDWAIT    0x00000002u
#define SA_SIGINFO      0x00000004u
#define SA_RESTORER     0x04000000u
#define SA_ONSTACK      0x08000000u
#define SA_RESTART      0x10000000u
#define SA_NODEFER      0x40000000u
#define SA_RESETHAND    0x80000000u

/* si_code */
#define SI_USER         0       /* kill */
#define SI_KERNEL       0x80
#define SI_QUEUE        (-1)
#define SI_TKILL        (-6)    /* tkill, tgkill */
#define SEGV_MAPERR     1
#define SEGV_ACCERR     2
#define BUS_ADRALN      1
#define ILL_ILLOPN      2
#define FPE_INTDIV      1
#define TRAP_BRKPT      1

/* sigaltstack's ss_flags */
#define SS_ONSTACK      1
#define SS_DISABLE      2
#define SS_AUTODISARM   (1u << 31)
#define MINSIGSTKSZ     2048

/* One action (the kernel's struct sigaction on x86_64: 32 bytes). */
struct k_sigaction {
    uint64_t handler;           /* SIG_DFL, SIG_IGN or the address */
    uint64_t flags;             /* SA_* */
    uint64_t restorer;          /* where the handler returns: calls rt_sigreturn */
    uint64_t mask;              /* blocked as well while the handler runs */
};

/* What a pending signal carries (Linux's siginfo, the fields this kernel fills). */
struct ksiginfo {
    int signo, code, err;
    int pid;                    /* the sender (kill, tgkill), or the child (SIGCHLD) */
    uint32_t uid;
    int status;                 /* SIGCHLD: the exit code or signal */
    uint64_t addr;              /* faults: the address */
};

struct sighand {
    struct spinlock lock;       /* the actions, and every pending set and mask of its users */
    int refs;
    struct k_sigaction action[SIG_MAX];
};

/* A thread's part. */
struct sig_thread {
    uint64_t blocked;           /* bit sig-1 */
    uint64_t pending;
    struct ksiginfo info[SIG_MAX];
    uint64_t saved_blocked;     /* rt_sigsuspend: the mask to put back once a handler is set up */
    int has_saved;
    int full_return;            /* rt_sigreturn: every register back, so iretq and not sysret */
    uint64_t altstack_sp, altstack_size;
    uint32_t altstack_flags;    /* SS_DISABLE or 0 (| SS_AUTODISARM) */
};

/* A process's part. */
struct sig_proc {
    uint64_t pending;
    struct ksiginfo info[SIG_MAX];
};

/* The terminal's ^C ^\ ^Z to its foreground group (signal_tty.c); once, at boot. */
void signal_init(void);
/*
 * Job control, for a read (sig SIGTTIN) or a write (SIGTTOU) of terminal t
 * by the calling process (signal_tty.c): 0 to go on (not its controlling
 * terminal, its group is the foreground one, or a write without TOSTOP);
 * -EIO for a read the process blocks or ignores SIGTTIN for; else its group
 * is sent sig and the call returns -ERESTARTSYS (run again once continued).
 */
struct tty;
int signal_tty_access(struct tty *t, int sig);

/* SIGCHLD's si_code (the process core's notice to a parent) */
#define CLD_EXITED      1
#define CLD_KILLED      2
#define CLD_DUMPED      3
#define CLD_STOPPED     5
#define CLD_CONTINUED   6
/*
 * What the parent's SIGCHLD action asks of its children (for the process
 * core): SIGCHLD_NOCLDSTOP no SIGCHLD for a stop or continue (SA_NOCLDSTOP);
 * SIGCHLD_AUTOREAP children are not left as zombies (SIG_IGN or
 * SA_NOCLDWAIT, POSIX XSH 2.4.3).
 */
#define SIGCHLD_NOCLDSTOP   1
#define SIGCHLD_AUTOREAP    2
int signal_child_flags(struct proc *parent);
/*
 * The notice to child's parent (proc_lock held, no sighand lock): its
 * exit_signal (SIGCHLD for fork) for CLD_EXITED (status: the exit code) and
 * CLD_KILLED (the signal); SIGCHLD for CLD_STOPPED (the stop signal) and
 * CLD_CONTINUED (SIGCONT) unless the parent asked SA_NOCLDSTOP.
 */
void signal_notify_parent_locked(struct proc *child, int code, int status);

/* Actions: made with every action SIG_DFL; cloned for fork; counted. NULL: no memory. */
struct sighand *sighand_create(void);
struct sighand *sighand_clone(struct sighand *h);
struct sighand *sighand_get(struct sighand *h);
void sighand_put(struct sighand *h);

/* Fork: the child's thread starts with the parent's mask and alternate stack, nothing pending. */
void signal_fork(struct uthread *child, const struct uthread *parent);
/* Execve: caught signals go back to SIG_DFL (ignored ones stay ignored), the mask is kept,
 * the alternate stack is forgotten. */
void signal_exec(struct proc *p);

/*
 * Sending. info NULL: SI_KERNEL with no sender. 0, or -EINVAL for a bad
 * number. A signal the process ignores is dropped; one already pending is
 * merged. SIGCONT and SIGKILL continue a stopped process: the caller holds
 * proc_lock for those (proc_continue_locked). Never sleeps; any context.
 * signal_send_group_locked: every process of group pgid, proc_lock held;
 * how many got it, or -ESRCH for none.
 */
int signal_send_proc(struct proc *p, int sig, const struct ksiginfo *info);
int signal_send_thread(struct uthread *ut, int sig);
int signal_send_thread_info(struct uthread *ut, int sig, const struct ksiginfo *info);
int signal_send_group_locked(int pgid, int sig);

/* ut's kernel thread exists now (ut->thread set): a signal sent before that is seen (sigwake). */
void signal_thread_started(struct uthread *ut);

/* The calling thread has a signal to take: its interruptible waits end (sched.h). */
int signal_pending(void);

/*
 * A fault from ring 3 (the arch's user-fault hook, proc.c): sig (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGTRAP) is queued for the calling thread with
 * si_addr and si_code, unblocked and back to SIG_DFL if it was blocked or
 * ignored (Linux's force_sig). 1 when a handler will take it on the way
 * back to ring 3; 0 when the default action would end the process (the
 * caller then logs and ends it, as before signals).
 */
int signal_fault(int sig, uint64_t addr, int code);
/* si_code for an exception, from its name as exception_name gives it ("page fault (#PF)"). */
int signal_fault_code(int sig, const char *what);

/*
 * On every return to ring 3 whose thread has sigwake set (syscall.c after
 * a system call, syscall_nr its number; trap.c after an interrupt or a
 * fault from ring 3, syscall_nr -1), interrupts on: restart or -EINTR for
 * an interrupted call, default actions taken, a handler's frame built
 * (abi/linux/sigframe.c). 1 when the way back must restore every register
 * (iretq), 0 when sysret will do.
 */
int signal_deliver(struct trap_frame *f, long syscall_nr);

/* --- for the personality (sys_signal.c, sigframe.c) --- */

/* sigwake set or cleared from the thread's pending sets and mask; h's lock held. */
void signal_recalc_locked(struct uthread *ut);
/*
 * The next signal the calling thread takes, with its siginfo and action;
 * default actions are taken here (ignored: the next one; stop: the process
 * stops until SIGCONT; terminate: the process ends and this never returns).
 * 0 when none is left.
 */
int signal_dequeue(struct ksiginfo *info, struct k_sigaction *ka);
/* The mask the thread had before rt_sigsuspend, or its mask. */
uint64_t signal_frame_mask(const struct uthread *ut);
/* Once a handler's frame is built: the mask for the handler (and the rt_sigsuspend mask dropped). */
void signal_handler_mask(int sig, const struct k_sigaction *ka);
/* The mask (rt_sigprocmask, rt_sigreturn): SIGKILL and SIGSTOP left out, sigwake recomputed. */
void signal_set_mask(uint64_t mask);
/* The action of sig; 0 or -EINVAL. act NULL: only read it. */
int signal_action(int sig, const struct k_sigaction *act, struct k_sigaction *old);
/* Signals pending for the calling thread (its own and its process's). */
uint64_t signal_pending_set(void);
/* rt_sigsuspend: the mask replaced until a handler runs; waits for a signal. -EINTR when one came. */
int signal_suspend(uint64_t mask);
/* The alternate stack; the on_stack test is against sp. 0 or -EPERM, -EINVAL, -ENOMEM. */
int signal_altstack(const uint64_t *sp, const uint32_t *flags, const uint64_t *size, uint64_t *old_sp,
                    uint32_t *old_flags, uint64_t *old_size, uint64_t user_sp);
/* Where a handler's frame goes below: the top of the alternate stack when the action asks for
 * it and sp is not on it already, else sp less the SysV ABI's 128-byte red zone. */
uint64_t signal_frame_sp(const struct k_sigaction *ka, uint64_t sp);
/* 1 when sp is on the calling thread's alternate stack. */
int signal_on_altstack(uint64_t sp);
/* The name of sig ("SIGSEGV"), for logs. */
const char *signal_name(int sig);

/* Restart codes a system call interrupted by a signal returns (never seen by a program). */
#define ERESTARTSYS             512     /* restarted when the handler has SA_RESTART, else -EINTR */
#define ERESTARTNOINTR          513     /* restarted always */
#define ERESTARTNOHAND          514     /* restarted when no handler runs, else -EINTR */
#define ERESTART_RESTARTBLOCK   516     /* restarted through restart_syscall when no handler runs */

/*
 * exit_group's part (proc_exit_group, proc_lock held, p->exiting just set):
 * every other thread of p is interrupted, and a stopped process let go, so
 * that each leaves at its next step towards ring 3 (signal_deliver ends a
 * thread whose process is exiting).
 */
void signal_exit_group_locked(struct proc *p);
/*
 * execve's part (proc_lock held): p->exec_thread becomes self, under the
 * sighand's lock too, so that no signal_recalc_locked of another thread
 * clears its flag after this; every other thread is interrupted and a
 * stopped process let go: each leaves at its next step towards ring 3.
 */
void signal_exec_end_others_locked(struct proc *p, struct uthread *self);
