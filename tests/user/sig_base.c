/*
 * sig_base.c - signals sent to oneself (docs/signals.md): raise and kill
 * run a handler with SA_SIGINFO's fields (si_code SI_TKILL for raise,
 * SI_USER and the sender's pid for kill); a blocked signal waits in
 * sigpending and is delivered as sigprocmask unblocks it; SIG_IGN drops
 * one; the handler runs with its signal blocked, or not with SA_NODEFER,
 * and with sa_mask added; SA_RESETHAND puts SIG_DFL back; sigaltstack and
 * SA_ONSTACK run it on the alternate stack; the FPU registers a handler
 * changes are back after it (the frame's FPU state); sigsuspend waits for
 * one. Every line is compared with Linux's (tests/user/diff.sh). With
 * the argument "term" it raises SIGTERM without a handler instead: the
 * process ends, killed by signal 15 (proc/bios-sig-term).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int got, got_sig, got_code, got_pid_ok, blocked_in_handler, usr2_blocked_in_handler;
static volatile uintptr_t local_addr;
static volatile int onstack_flags;

static void on_info(int sig, siginfo_t *si, void *uc)
{
    sigset_t now;
    stack_t ss;
    int local;

    (void)uc;
    got++;
    got_sig = sig;
    got_code = si->si_code;
    got_pid_ok = si->si_pid == getpid();
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_in_handler = sigismember(&now, sig);
    usr2_blocked_in_handler = sigismember(&now, SIGUSR2);
    local_addr = (uintptr_t)&local;
    sigaltstack(NULL, &ss);
    onstack_flags = ss.ss_flags;
}

static void set(int sig, int flags, int mask_usr2)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (mask_usr2)
        sigaddset(&sa.sa_mask, SIGUSR2);
    if (sigaction(sig, &sa, NULL) != 0)
        printf("sigaction failed\n");
}

static void report(const char *what)
{
    printf("%s: got=%d sig=%d code=%d pid_ok=%d blocked_in_handler=%d usr2_blocked=%d\n", what, got, got_sig,
           got_code, got_pid_ok, blocked_in_handler, usr2_blocked_in_handler);
    got = got_sig = got_code = got_pid_ok = blocked_in_handler = usr2_blocked_in_handler = 0;
}

/* xmm0 holds a pattern across a kill whose handler changes xmm0 itself. */
static double fpu_handler_value;
static void on_fpu(int sig)
{
    volatile double x = 3.25;

    (void)sig;
    __asm__ volatile("movsd %0, %%xmm0" ::"m"(x) : "xmm0");
    fpu_handler_value = x * 2;
}

static void fpu_kept(void)
{
    uint64_t before = 0x1122334455667788ull, after = 0;

    signal(SIGUSR1, on_fpu);
    __asm__ volatile("movq %1, %%xmm0\n\t"
                     "syscall\n\t"
                     "movq %%xmm0, %0"
                     : "=r"(after)
                     : "r"(before), "a"((long)SYS_kill), "D"((long)getpid()), "S"((long)SIGUSR1)
                     : "rcx", "r11", "xmm0", "memory");
    printf("fpu: xmm0 %s across the handler (handler computed %.2f)\n", after == before ? "kept" : "CHANGED",
           fpu_handler_value);
}

/* Every general register the handler's frame holds comes back as it was. */
static void on_nothing(int sig)
{
    (void)sig;
    __asm__ volatile("mov $-1, %%rbx\n\tmov $-1, %%r12\n\tmov $-1, %%r15" ::: "rbx", "r12", "r15");
}

static void regs_kept(void)
{
    uint64_t rbx, r12, r15;

    signal(SIGUSR2, on_nothing);
    __asm__ volatile("mov $0x1234, %%rbx\n\tmov $0x5678, %%r12\n\tmov $0x9abc, %%r15\n\t"
                     "syscall\n\t"
                     "mov %%rbx, %0\n\tmov %%r12, %1\n\tmov %%r15, %2"
                     : "=r"(rbx), "=r"(r12), "=r"(r15)
                     : "a"((long)SYS_kill), "D"((long)getpid()), "S"((long)SIGUSR2)
                     : "rbx", "r12", "r15", "rcx", "r11", "memory");
    printf("regs: rbx=%#lx r12=%#lx r15=%#lx\n", (unsigned long)rbx, (unsigned long)r12, (unsigned long)r15);
}

int main(int argc, char **argv)
{
    sigset_t set_usr1, pending, old;
    struct sigaction cur;
    static char alt[16384];
    stack_t ss;

    if (argc > 1 && strcmp(argv[1], "term") == 0) {     /* the default action: the process ends */
        printf("sig_base: raising SIGTERM with its default action\n");
        fflush(stdout);
        raise(SIGTERM);
        printf("sig_base: still alive\n");
        return 0;
    }

    set(SIGUSR1, 0, 1);
    raise(SIGUSR1);
    report("raise");

    kill(getpid(), SIGUSR1);
    report("kill");

    sigemptyset(&set_usr1);
    sigaddset(&set_usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set_usr1, &old);
    raise(SIGUSR1);
    sigpending(&pending);
    printf("blocked: got=%d pending=%d\n", got, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &set_usr1, NULL);
    sigpending(&pending);
    printf("unblocked: pending=%d\n", sigismember(&pending, SIGUSR1));
    report("unblocked");

    set(SIGUSR1, SA_NODEFER, 0);
    raise(SIGUSR1);
    report("nodefer");

    set(SIGUSR1, SA_RESETHAND, 0);
    raise(SIGUSR1);
    report("resethand");
    sigaction(SIGUSR1, NULL, &cur);
    printf("resethand: handler now %s\n", cur.sa_handler == SIG_DFL ? "SIG_DFL" : "still set");

    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored: got=%d\n", got);

    ss.ss_sp = alt;
    ss.ss_size = sizeof alt;
    ss.ss_flags = 0;
    printf("sigaltstack: %d\n", sigaltstack(&ss, NULL));
    set(SIGUSR1, SA_ONSTACK, 0);
    raise(SIGUSR1);
    printf("onstack: on the alternate stack %d, ss_flags in the handler %d\n",
           local_addr >= (uintptr_t)alt && local_addr < (uintptr_t)alt + sizeof alt, onstack_flags);
    report("onstack");
    set(SIGUSR1, 0, 0);
    raise(SIGUSR1);
    printf("not onstack: on the alternate stack %d\n",
           local_addr >= (uintptr_t)alt && local_addr < (uintptr_t)alt + sizeof alt);
    report("not onstack");
    sigaltstack(NULL, &ss);
    printf("sigaltstack now: flags %d size %zu\n", ss.ss_flags, ss.ss_size);
    ss.ss_size = 100;
    ss.ss_flags = 0;
    printf("sigaltstack too small: %d\n", sigaltstack(&ss, NULL));

    fpu_kept();
    regs_kept();

    /* sigsuspend: blocked, raised, then waited for with an empty mask */
    set(SIGUSR1, 0, 0);
    sigprocmask(SIG_BLOCK, &set_usr1, NULL);
    raise(SIGUSR1);
    sigemptyset(&pending);
    printf("sigsuspend: %d", sigsuspend(&pending));
    printf(" got=%d\n", got);
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("mask after sigsuspend: usr1 %d\n", sigismember(&old, SIGUSR1));
    got = 0;

    printf("kill 0: %d, kill bad signal: %d\n", kill(getpid(), 0), kill(getpid(), 65));
    printf("sigaction SIGKILL: %d\n", sigaction(SIGKILL, &cur, NULL));
    printf("sig_base: all passed\n");
    return 0;
}
