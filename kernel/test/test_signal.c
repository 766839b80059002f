/*
 * test_signal.c - ktests for signals sent by the kernel to hand-assembled
 * processes (tiny_elf.h): a process blocked in rt_sigsuspend is woken by
 * SIGTERM and ended by its default action (the send interrupts the wait:
 * kernel/sched/intr.c); a process spinning in ring 3 that never enters the
 * kernel is ended by SIGKILL on its way back from a timer interrupt
 * (trap_dispatch's delivery); a signal the process ignores is dropped and
 * the process goes on (then SIGKILL, which cannot be ignored, ends it);
 * a process stopped by SIGSTOP in rt_sigsuspend and continued by SIGCONT
 * (no handler runs) is back in the same call: restarted, not ended with
 * its -ERESTARTNOHAND or -EINTR; ^C typed on a terminal ends the process
 * of its foreground group (SIGINT through signal_tty.c), and nobody when
 * the foreground group is another.
 */
#include <stdint.h>

#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "test/ktest.h"
#include "test/tiny_elf.h"
#include "timer/clock.h"
#include "tty/termios.h"
#include "tty/tty.h"

#define START_LIMIT_NS  (5 * NS_PER_SEC)

/* push 0; 1: mov rdi, rsp; mov esi, 8; rt_sigsuspend(rdi, 8); jmp 1b */
static const uint8_t prog_suspend[] = { 0x6A, 0x00, 0x48, 0x89, 0xE7, 0xBE, 8, 0, 0, 0, MOV_EAX(130), SYSCALL,
                                        0xEB, 0xF2 };
/* push 0; mov rdi, rsp; mov esi, 8; rt_sigsuspend(rdi, 8); exit(what it returned) */
static const uint8_t prog_suspend_once[] = { 0x6A, 0x00, 0x48, 0x89, 0xE7, 0xBE, 8, 0, 0, 0, MOV_EAX(130), SYSCALL,
                                             EXIT_WITH_EAX };
/* 1: jmp 1b */
static const uint8_t prog_spin[] = { 0xEB, 0xFE };
/* rt_sigaction(SIGTERM, {SIG_IGN}, NULL, 8) (the action on the stack), then spin */
static const uint8_t prog_ignore_term[] = {
    0x6A, 0x00, 0x6A, 0x00, 0x6A, 0x00, 0x6A, 0x01,     /* push 0 (mask), 0 (restorer), 0 (flags), 1 (SIG_IGN) */
    MOV_EDI(15), 0x48, 0x89, 0xE6, 0x31, 0xD2,          /* edi = SIGTERM; mov rsi, rsp; xor edx, edx */
    0x41, 0xBA, 8, 0, 0, 0,                             /* mov r10d, 8 */
    MOV_EAX(13), SYSCALL,
    0xEB, 0xFE,
};

static struct proc *spawn(const uint8_t *code, uint64_t n, const char *name)
{
    static char *const argv[] = { "tiny", NULL }, *const envp[] = { NULL };
    struct tiny p;
    struct exec_file f;
    struct proc *pr;

    tiny_build(&p, code, n);
    exec_file_memory(name, p.bytes, p.size, &f);
    return proc_spawn_file(&f, argv, envp, "ttyS0", &pr) == 0 ? pr : NULL;
}

/*
 * Until the process's thread is in `state` (1), or 0 past the bound. RUNNING:
 * it has been switched to, and then `ns` have passed (a spinning thread on a
 * CPU of its own is never switched out, so its run_ns stays 0 meanwhile).
 */
static int until(struct proc *pr, enum thread_state state, uint64_t ns)
{
    uint64_t end = clock_ns() + START_LIMIT_NS;

    while (clock_ns() < end) {
        struct thread *t = __atomic_load_n(&pr->main.thread, __ATOMIC_ACQUIRE);

        if (t && state == THREAD_RUNNING && __atomic_load_n(&t->switches, __ATOMIC_RELAXED) > 0) {
            sched_sleep_ns(ns);
            return 1;
        }
        if (t && state != THREAD_RUNNING && t->state == state)
            return 1;
        sched_sleep_ns(NS_PER_MS);
    }
    return 0;
}

/*
 * The process's end status, as proc_wait gives it, once it has ended; -1 when
 * it is still there past the bound (then it is left alone: a process that a
 * signal failed to end would hold proc_wait, and the test run, for ever).
 */
static int ended(struct proc *pr)
{
    uint64_t end = clock_ns() + START_LIMIT_NS;

    while (__atomic_load_n(&pr->state, __ATOMIC_ACQUIRE) != PROC_ZOMBIE)
        if (clock_ns() >= end)
            return -1;
        else
            sched_sleep_ns(NS_PER_MS);
    return proc_wait(pr);
}

void ktest_signal_wakes_blocked_process(struct ktest *t)
{
    struct proc *pr = spawn(prog_suspend, sizeof prog_suspend, "sigsuspend");

    if (!KTEST_ASSERT(t, pr))
        return;
    KTEST_ASSERT(t, until(pr, THREAD_BLOCKED, 0));
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGTERM, NULL), 0);
    KTEST_ASSERT_EQ(t, ended(pr), PROC_KILLED(SIGTERM));
}

void ktest_signal_stops_spinning_process(struct ktest *t)
{
    struct proc *pr = spawn(prog_spin, sizeof prog_spin, "spin");

    if (!KTEST_ASSERT(t, pr))
        return;
    KTEST_ASSERT(t, until(pr, THREAD_RUNNING, 20 * NS_PER_MS));     /* it is in ring 3 for good */
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGKILL, NULL), 0);
    KTEST_ASSERT_EQ(t, ended(pr), PROC_KILLED(SIGKILL));
}

void ktest_signal_ignored_dropped(struct ktest *t)
{
    struct proc *pr = spawn(prog_ignore_term, sizeof prog_ignore_term, "ignterm");

    if (!KTEST_ASSERT(t, pr))
        return;
    KTEST_ASSERT(t, until(pr, THREAD_RUNNING, 20 * NS_PER_MS));     /* past its rt_sigaction */
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGTERM, NULL), 0);
    KTEST_ASSERT_EQ(t, pr->sig.pending & SIG_BIT(SIGTERM), 0);     /* dropped as it was sent */
    sched_sleep_ns(20 * NS_PER_MS);
    KTEST_ASSERT(t, pr->main.thread->state != THREAD_ZOMBIE);      /* still spinning */
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGKILL, NULL), 0);
    KTEST_ASSERT_EQ(t, ended(pr), PROC_KILLED(SIGKILL));
}

void ktest_signal_restarts_after_stop(struct ktest *t)
{
    struct proc *pr = spawn(prog_suspend_once, sizeof prog_suspend_once, "sigsusp1");

    if (!KTEST_ASSERT(t, pr))
        return;
    KTEST_ASSERT(t, until(pr, THREAD_BLOCKED, 0));
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGSTOP, NULL), 0);
    sched_sleep_ns(20 * NS_PER_MS);
    spin_lock(&proc_lock);                      /* SIGCONT continues it: proc_continue_locked */
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGCONT, NULL), 0);
    spin_unlock(&proc_lock);
    sched_sleep_ns(20 * NS_PER_MS);
    KTEST_ASSERT(t, until(pr, THREAD_BLOCKED, 0));                  /* in rt_sigsuspend again */
    KTEST_ASSERT_EQ(t, signal_send_proc(pr, SIGTERM, NULL), 0);
    KTEST_ASSERT_EQ(t, ended(pr), PROC_KILLED(SIGTERM));        /* not PROC_EXITED(-514 & 0xFF) */
}

static void tty_discard(struct tty *t, const char *buf, size_t n)
{
    (void)t;
    (void)buf;
    (void)n;
}

static const struct tty_ops sigtty_ops = { tty_discard };

void ktest_signal_tty_interrupt(struct ktest *t)
{
    struct tty *tt = tty_find("ktest-sigtty");
    struct termios tio;
    struct proc *pr;
    int other;

    if (!tt)
        tt = tty_register("ktest-sigtty", &sigtty_ops, 0);
    if (!KTEST_ASSERT(t, tt))
        return;
    termios_default(&tio);                      /* ISIG on */
    tty_ioctl(tt, TCSETSF, &tio);
    signal_init();                              /* the tty ktests put their own hook in, then none */
    if (!KTEST_ASSERT(t, (pr = spawn(prog_spin, sizeof prog_spin, "ctrlc"))))
        return;
    KTEST_ASSERT(t, until(pr, THREAD_RUNNING, 20 * NS_PER_MS));
    other = pr->pgid + 1000;                    /* a group with nobody in it: ^C reaches nobody */
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCSPGRP, &other), 0);
    tty_input(tt, "\x03", 1);
    sched_sleep_ns(20 * NS_PER_MS);
    KTEST_ASSERT(t, pr->state == PROC_ALIVE);
    KTEST_ASSERT_EQ(t, tty_ioctl(tt, TIOCSPGRP, &pr->pgid), 0);
    tty_input(tt, "\x03", 1);
    KTEST_ASSERT_EQ(t, ended(pr), PROC_KILLED(SIGINT));
}
