/*
 * clone3.c - clone3 (435), the call glibc's pthread_create and posix_spawn
 * ask first (docs/processes.md, "glibc"), made directly: a fork-like child
 * (exit signal SIGCHLD, no stack), a thread-like one on a stack given as
 * base and size (parent_tid written, child_tid cleared and woken at its
 * exit), a struct longer than Linux's with zero bytes past it, then the
 * errors in Linux's order: the size (EINVAL below 64, E2BIG above a page),
 * a non-zero byte past the struct (E2BIG), a bad pointer (EFAULT), a bad
 * exit signal, the signal in flags, a stack without a size and a size
 * without a stack, an exit signal with CLONE_THREAD, set_tid half given
 * (EINVAL). Compared with Linux's output (tests/qemu/proc-batch.sh --diff).
 */
#define _GNU_SOURCE                     /* the CLONE_ flags */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_CLONE3      435
#define FUTEX_WAIT      0
#define STACK_SIZE      (64 * 1024)

/* Linux's struct clone_args (include/uapi/linux/sched.h), 88 bytes, and room past it. */
struct args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
    uint8_t past[40];
};

static volatile int thread_ran;
static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    failures += !ok;
}

/* clone3(a, size); in the child (0 back) call fn(arg) on the new stack and exit(2) with what it
 * gives: the child has no C frame to come back to. -errno on failure. */
static long clone3_call(struct args *a, size_t size, int (*fn)(void *), void *arg)
{
    register void *r12 __asm__("r12") = (void *)fn;
    register void *r13 __asm__("r13") = arg;
    long ret;

    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "mov %%r13, %%rdi\n\t"
                     "call *%%r12\n\t"
                     "mov %%eax, %%edi\n\t"
                     "mov $60, %%eax\n\t"       /* exit: this thread only */
                     "syscall\n\t"
                     "hlt\n"
                     "1:"
                     : "=a"(ret)
                     : "0"((long)SYS_CLONE3), "D"(a), "S"(size), "r"(r12), "r"(r13)
                     : "rcx", "r11", "memory");
    return ret;
}

static int child_exits_7(void *arg)
{
    (void)arg;
    return 7;
}

/* The thread shares our TLS (no CLONE_SETTLS): raw calls and plain stores only. */
static int thread_body(void *arg)
{
    thread_ran = *(int *)arg;
    return 0;
}

static const char *err_name(long r)
{
    switch (-r) {
    case EINVAL: return "EINVAL";
    case E2BIG: return "E2BIG";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    default: return r < 0 ? "another error" : "no error";
    }
}

/* A call that must fail: what it gave, by name. */
static void refused(const char *what, struct args *a, size_t size)
{
    long r = clone3_call(a, size, child_exits_7, NULL);

    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    printf("%s: %s\n", what, err_name(r));
}

static void fork_like(size_t size, const char *what)
{
    struct args a = { .exit_signal = SIGCHLD };
    int status = -1;
    long pid;

    fflush(stdout);
    pid = clone3_call(&a, size, child_exits_7, NULL);
    check(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
          what);
}

static void thread_like(void)
{
    static int tid_word;
    int value = 42;
    void *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct args a = {
        .flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
        .child_tid = (uintptr_t)&tid_word, .parent_tid = (uintptr_t)&tid_word,
        .stack = (uintptr_t)stack, .stack_size = STACK_SIZE,
    };
    long tid;
    int seen;

    if (stack == MAP_FAILED) {
        check(0, "thread-like: a stack");
        return;
    }
    tid = clone3_call(&a, 64, thread_body, &value);
    seen = __atomic_load_n(&tid_word, __ATOMIC_ACQUIRE);
    check(tid > 0 && (seen == tid || seen == 0), "thread-like: parent_tid holds its tid (or 0: it ended)");
    while ((seen = __atomic_load_n(&tid_word, __ATOMIC_ACQUIRE)) != 0)
        syscall(SYS_futex, &tid_word, FUTEX_WAIT, seen, NULL, NULL, 0);
    check(thread_ran == 42, "thread-like: it ran on its stack, and child_tid was cleared at its exit");
    check(tid != getpid(), "thread-like: its tid is not our pid");
    munmap(stack, STACK_SIZE);
}

int main(void)
{
    static char stack[4096] __attribute__((aligned(16)));
    struct args a;

    setvbuf(stdout, NULL, _IOLBF, 0);
    fork_like(64, "fork-like, 64 bytes: the child exited 7");
    fork_like(sizeof a, "fork-like, 128 bytes, zeros past Linux's 88: the child exited 7");
    thread_like();

    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    refused("size 0", &a, 0);
    refused("size 63", &a, 63);
    refused("size 4097", &a, 4097);
    a.past[2] = 1;
    refused("a byte past the struct", &a, sizeof a);
    a.past[2] = 0;
    refused("a bad pointer", (struct args *)16, 64);
    a.exit_signal = 65;
    refused("exit signal 65", &a, 64);
    a.exit_signal = 0;
    a.flags = SIGCHLD;
    refused("the signal in flags", &a, 64);
    a.flags = 0;
    a.exit_signal = SIGCHLD;
    a.stack = (uintptr_t)stack;
    refused("a stack without a size", &a, 64);
    a.stack = 0;
    a.stack_size = sizeof stack;
    refused("a size without a stack", &a, 64);
    a.stack_size = 0;
    a.flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
    refused("CLONE_THREAD with an exit signal", &a, 64);
    a.flags = 0;
    a.set_tid_size = 1;
    refused("set_tid_size without set_tid", &a, 88);
    a.set_tid_size = 0;
    a.set_tid = (uintptr_t)stack;
    refused("set_tid without its size", &a, 88);
    if (failures)
        printf("clone3: %d FAILED\n", failures);
    else
        printf("clone3: all passed\n");
    return failures != 0;
}
