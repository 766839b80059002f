/*
 * sigframe.c - a signal handler's frame, exactly Linux's on x86_64
 * (arch/x86/kernel/signal_64.c, arch/x86/include/uapi/asm/sigcontext.h),
 * signal_deliver, which builds it on the way back to ring 3, and
 * rt_sigreturn, which takes it down again.
 *
 * The frame, from the handler's RSP up:
 *
 *   pretcode   the action's sa_restorer: the handler's `ret` goes there,
 *              and it calls rt_sigreturn (libc's __restore_rt)
 *   ucontext   uc_flags, uc_link, uc_stack, the sigcontext (every
 *              register, the fault's trap number, error and CR2, a pointer
 *              to the FPU state), uc_sigmask (the mask to put back)
 *   siginfo    128 bytes
 *   ...        the FPU state, 64-byte aligned, above: FXSAVE's 512 bytes
 *
 * RSP is 16-byte aligned minus 8 at the handler's first instruction, as
 * after a call. The handler gets RDI = the signal, RSI = &siginfo, RDX =
 * &ucontext, RAX = 0, and a clean FPU state (Linux's fpu__clear_user_states).
 * The FPU state in the frame is the legacy FXSAVE image only (no XSAVE
 * header: sw_reserved holds no FP_XSTATE_MAGIC1, so libc and debuggers
 * read it as FXSAVE's); YMM upper halves are kept across a handler as the
 * thread's own, not saved in the frame.
 *
 * The registers and the FPU image come through proc_arch.h
 * (kernel/arch/x86_64/signal_regs.c): this file knows Linux's layout, the
 * arch knows its trap frame.
 *
 * A frame that cannot be written (a bad stack) ends the process with
 * SIGSEGV, as Linux's force_sigsegv does; so does a handler without
 * SA_RESTORER (x86_64 has no vDSO trampoline here) or at a non-canonical
 * address, which SYSRET and IRETQ would otherwise fault on in ring 0.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "abi/linux/sigframe.h"
#include "abi/linux/syscalls.h"
#include "arch.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "mutant.h"
#include "printk.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/uaccess.h"
#include "sched/sched.h"

#define NR_RESTART_SYSCALL  219
#define UC_SIGCONTEXT_SS    0x2
#define UC_STRICT_RESTORE_SS 0x4
#define FXSAVE_SIZE         ARCH_FPU_IMAGE_SIZE

/* struct sigcontext (64-bit) */
struct linux_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate;
    uint64_t reserved1[8];
};

struct linux_stack {
    uint64_t ss_sp;
    int32_t ss_flags;
    uint32_t pad;
    uint64_t ss_size;
};

struct linux_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    struct linux_stack uc_stack;
    struct linux_sigcontext uc_mcontext;
    uint64_t uc_sigmask;
};

struct linux_siginfo {
    int32_t si_signo, si_errno, si_code, pad;
    union {
        struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad2; } kill;   /* and sigchld */
        uint64_t addr;                                                              /* sigfault */
        uint8_t bytes[112];
    } u;
};

struct linux_rt_sigframe {
    uint64_t pretcode;
    struct linux_ucontext uc;
    struct linux_siginfo info;
};

_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext is Linux's 256 bytes");
_Static_assert(sizeof(struct linux_ucontext) == 304, "ucontext is Linux's 304 bytes");
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(offsetof(struct linux_rt_sigframe, info) == 312, "siginfo after the ucontext");

uint64_t linux_user_sp(void)
{
    return arch_frame_sp(arch_user_frame());
}

static int user_addr(uint64_t a)
{
    return a < ARCH_USER_TOP;
}

static void to_linux_siginfo(struct linux_siginfo *out, const struct ksiginfo *in)
{
    memset(out, 0, sizeof *out);
    out->si_signo = in->signo;
    out->si_errno = in->err;
    out->si_code = in->code;
    switch (in->signo) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
        if (in->code > 0 && in->code != SI_KERNEL) {
            out->u.addr = in->addr;
            break;
        }
        __attribute__((fallthrough));           /* sent by kill, or SI_KERNEL */
    default:
        out->u.kill.pid = in->pid;
        out->u.kill.uid = in->uid;
        out->u.kill.status = in->status;
    }
}

/* The frame for sig's handler on the user stack, and the registers to enter it. 0, or -EFAULT. */
static int setup_frame(struct trap_frame *f, int sig, const struct ksiginfo *info, const struct k_sigaction *ka)
{
    struct uthread *ut = uthread_current();
    struct linux_rt_sigframe fr;
    struct arch_sigregs regs;
    uint8_t fpu[FXSAVE_SIZE] __attribute__((aligned(16)));
    uint64_t sp, fpstate, frame;

    if (!(ka->flags & SA_RESTORER) || !user_addr(ka->restorer) || !user_addr(ka->handler))
        return -EFAULT;
    sp = signal_frame_sp(ka, arch_frame_sp(f));
    fpstate = (sp - FXSAVE_SIZE) & ~63ULL;
    frame = ((fpstate - sizeof fr) & ~15ULL) - 8;
    if (!user_addr(frame) || frame < 4096)
        return -EFAULT;

    memset(&fr, 0, sizeof fr);
    fr.pretcode = ka->restorer;
    fr.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    fr.uc.uc_stack.ss_sp = ut->sig.altstack_sp;
    fr.uc.uc_stack.ss_size = ut->sig.altstack_size;
    fr.uc.uc_stack.ss_flags = signal_on_altstack(arch_frame_sp(f)) ? SS_ONSTACK
                              : ut->sig.altstack_size ? (int32_t)(ut->sig.altstack_flags & SS_AUTODISARM)
                                                      : SS_DISABLE;
    arch_sigregs_get(f, &regs);
    struct linux_sigcontext *sc = &fr.uc.uc_mcontext;
    sc->r8 = regs.r8; sc->r9 = regs.r9; sc->r10 = regs.r10; sc->r11 = regs.r11;
    sc->r12 = regs.r12; sc->r13 = regs.r13; sc->r14 = regs.r14; sc->r15 = regs.r15;
    sc->rdi = regs.rdi; sc->rsi = regs.rsi; sc->rbp = regs.rbp; sc->rbx = regs.rbx;
    sc->rdx = regs.rdx; sc->rax = regs.rax; sc->rcx = regs.rcx; sc->rsp = regs.rsp;
    sc->rip = regs.rip; sc->eflags = regs.rflags;
    sc->cs = (uint16_t)regs.cs;
    sc->ss = (uint16_t)regs.ss;
    sc->trapno = regs.trapno;
    sc->err = regs.err;
    sc->cr2 = arch_frame_from_page_fault(f) ? info->addr : 0;      /* Linux: the last page fault's */
    sc->oldmask = signal_frame_mask(ut);
    sc->fpstate = fpstate;
    fr.uc.uc_sigmask = signal_frame_mask(ut);
    to_linux_siginfo(&fr.info, info);

    arch_fpu_take(fpu);
    if (copy_to_user(fpstate, fpu, sizeof fpu) || copy_to_user(frame, &fr, sizeof fr)) {
        arch_fpu_give(fpu);                          /* the registers as they were, for the core's report */
        return -EFAULT;
    }
    arch_signal_enter(f, ka->handler, frame, (uint64_t)sig, frame + offsetof(struct linux_rt_sigframe, info),
                      frame + offsetof(struct linux_rt_sigframe, uc));
    return 0;
}

/* What an interrupted call becomes: handler 1 when a handler is about to run. */
static void restart(struct trap_frame *f, long nr, int handler, const struct k_sigaction *ka)
{
    long ret = arch_frame_result(f);

    if (nr < 0 || ret < -ERESTART_RESTARTBLOCK || ret > -ERESTARTSYS || MUTANT_ENABLED(signal_restart))
        return;
    if (handler && (ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK ||
                    (ret == -ERESTARTSYS && !(ka->flags & SA_RESTART)))) {
        arch_frame_set_result(f, -EINTR);
        return;
    }
    if (ret == -ERESTART_RESTARTBLOCK + 1)      /* 515: not a restart code */
        return;
    arch_frame_restart(f, ret == -ERESTART_RESTARTBLOCK ? NR_RESTART_SYSCALL : (uint64_t)nr);
}

int signal_deliver(struct trap_frame *f, long syscall_nr)
{
    struct uthread *ut = uthread_current();
    struct ksiginfo info;
    struct k_sigaction ka;
    int sig, full = 0;

    if (!ut)
        return 0;
    if (proc_thread_doomed(ut))
        proc_exit(0);                           /* exit_group or SIGKILL (the status is set already), execve */
    if (ut->sig.full_return) {                  /* after rt_sigreturn: RAX is the program's, not a result */
        ut->sig.full_return = 0;
        full = 1;
        syscall_nr = -1;
    }
    sig = signal_dequeue(&info, &ka);
    restart(f, syscall_nr, sig != 0, &ka);
    if (!sig) {
        if (ut->sig.has_saved) {                /* rt_sigsuspend without a handler to run */
            ut->sig.has_saved = 0;
            signal_set_mask(ut->sig.saved_blocked);
        }
        return full;
    }
    if (setup_frame(f, sig, &info, &ka) != 0) {
        struct proc *p = ut->proc;

        printk(LOG_WARN, "[signal] pid %d (%s): cannot set up the frame for %s (stack 0x%llx): killed by "
               "signal 11\n", p->pid, p->name, signal_name(sig), (unsigned long long)arch_frame_sp(f));
        proc_exit_group(SIGSEGV);
    }
    signal_handler_mask(sig, &ka);
    return 1;                                   /* RDX and the others must reach the handler */
}

long linux_sys_rt_sigreturn(const uint64_t a[6])
{
    struct trap_frame *f = arch_user_frame();
    struct uthread *ut = uthread_current();
    struct linux_ucontext uc;
    uint64_t frame = arch_frame_sp(f) - 8;      /* the handler's ret popped pretcode */
    uint8_t fpu[FXSAVE_SIZE] __attribute__((aligned(16)));
    const struct linux_sigcontext *sc = &uc.uc_mcontext;
    struct arch_sigregs regs;

    (void)a;
    if (copy_from_user(&uc, frame + offsetof(struct linux_rt_sigframe, uc), sizeof uc) ||
        (sc->fpstate && copy_from_user(fpu, sc->fpstate, sizeof fpu))) {
        struct proc *p = ut->proc;

        printk(LOG_WARN, "[signal] pid %d (%s): rt_sigreturn with a bad frame at 0x%llx: killed by signal 11\n",
               p->pid, p->name, (unsigned long long)frame);
        proc_exit_group(SIGSEGV);
    }
    signal_set_mask(uc.uc_sigmask);
    regs = (struct arch_sigregs){
        .r8 = sc->r8, .r9 = sc->r9, .r10 = sc->r10, .r11 = sc->r11,
        .r12 = sc->r12, .r13 = sc->r13, .r14 = sc->r14, .r15 = sc->r15,
        .rdi = sc->rdi, .rsi = sc->rsi, .rbp = sc->rbp, .rbx = sc->rbx,
        .rdx = sc->rdx, .rax = sc->rax, .rcx = sc->rcx, .rsp = sc->rsp,
        .rip = sc->rip, .rflags = sc->eflags,
    };
    arch_sigregs_set(f, &regs);
    arch_fpu_give(sc->fpstate ? fpu : NULL);
    {
        uint64_t ss_sp = uc.uc_stack.ss_sp, ss_size = uc.uc_stack.ss_size, o_sp, o_size;
        uint32_t ss_flags = (uint32_t)uc.uc_stack.ss_flags, o_flags;

        signal_altstack(&ss_sp, &ss_flags, &ss_size, &o_sp, &o_flags, &o_size, sc->rsp);
    }
    ut->sig.full_return = 1;                    /* RCX and R11 are the frame's: iretq, not sysret */
    sched_interrupt(sched_current());           /* so the way out looks (signal_deliver clears it) */
    return (long)sc->rax;
}
