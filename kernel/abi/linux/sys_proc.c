/*
 * sys_proc.c - the Linux personality's process calls: fork, vfork, clone,
 * clone3, execve, wait4, exit, exit_group, the ids, process groups and sessions,
 * set_tid_address, arch_prctl, prctl and uname (the signal calls are in
 * sys_signal.c, the clocks in sys_time.c).
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/syscalls.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "version.h"

#define LINUX_SIGCHLD   17
#define LINUX_CLONE_KNOWN   (0xFFULL | PROC_CLONE_VM | PROC_CLONE_FS | PROC_CLONE_FILES | PROC_CLONE_SIGHAND | \
                             PROC_CLONE_VFORK | PROC_CLONE_PARENT | PROC_CLONE_THREAD | PROC_CLONE_SYSVSEM | \
                             PROC_CLONE_SETTLS | PROC_CLONE_PARENT_SETTID | PROC_CLONE_CHILD_CLEARTID | \
                             PROC_CLONE_CHILD_SETTID | 0x00400000 /* CLONE_DETACHED, ignored */)
#define LINUX_WALL_FLAGS    0xE0000000u     /* __WNOTHREAD, __WALL, __WCLONE: accepted, one kind of child here */
#define LINUX_RUSAGE_SIZE   144
#define EXECVE_ARGS     1024
#define EXECVE_STRINGS  (128 * 1024)        /* argv and envp strings together */
#define ARCH_SET_FS     0x1002
#define ARCH_GET_FS     0x1003
#define UTS_LEN         65

struct linux_utsname {
    char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN], version[UTS_LEN], machine[UTS_LEN],
        domainname[UTS_LEN];
};

long linux_sys_exit(const uint64_t a[6])
{
    proc_exit(PROC_EXITED((int)a[0]));
}

long linux_sys_exit_group(const uint64_t a[6])
{
    proc_exit_group(PROC_EXITED((int)a[0]));
}

long linux_sys_getpid(const uint64_t a[6])
{
    (void)a;
    return proc_current()->pid;
}

long linux_sys_gettid(const uint64_t a[6])
{
    (void)a;
    return uthread_current()->tid;
}

long linux_sys_getppid(const uint64_t a[6])
{
    (void)a;
    /* one word, changed under proc_lock when the parent ends (reparenting): a plain atomic read
     * gives the old parent or the new one, as Linux's RCU read does */
    return __atomic_load_n(&proc_current()->ppid, __ATOMIC_RELAXED);
}

long linux_sys_fork(const uint64_t a[6])
{
    struct proc_clone_args c = { LINUX_SIGCHLD, 0, 0, 0, 0 };

    (void)a;
    return proc_clone(&c);
}

long linux_sys_vfork(const uint64_t a[6])
{
    struct proc_clone_args c = { PROC_CLONE_VM | PROC_CLONE_VFORK | LINUX_SIGCHLD, 0, 0, 0, 0 };

    (void)a;
    return proc_clone(&c);
}

/* clone(flags, stack, parent_tid, child_tid, tls): x86_64's argument order. */
long linux_sys_clone(const uint64_t a[6])
{
    struct proc_clone_args c = { a[0], a[1], a[2], a[3], a[4] };

    if (a[0] & ~LINUX_CLONE_KNOWN)
        return -EINVAL;                 /* namespaces, ptrace, pidfd...: not offered */
    return proc_clone(&c);
}

/* clone3's struct clone_args (Linux's include/uapi/linux/sched.h): 64 bytes in its first version,
 * 88 with set_tid and cgroup. */
struct linux_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
};
#define LINUX_CLONE_ARGS_SIZE0  64
#define LINUX_CLONE_ARGS_MAX    4096            /* Linux's PAGE_SIZE bound: -E2BIG past it */
#define LINUX_CSIGNAL           0xFFULL
#define LINUX_CLONE_DETACHED    0x00400000ULL
#define LINUX_SIGNAL_MAX        64

/* clone3(args, size): clone's flags with the exit signal apart and the stack given as its lowest
 * address and size (the child starts at the top). glibc's pthread_create and posix_spawn ask it
 * first. Linux's checks, in its order: the size, unknown bytes past our struct zero (-E2BIG), the
 * signal, CSIGNAL or CLONE_DETACHED in flags, a stack without a size or a size without a stack,
 * an exit signal with CLONE_THREAD or CLONE_PARENT (-EINVAL). Not offered: set_tid (-EINVAL; Linux
 * gives the child that pid), and the flags past clone's 32 bits (CLONE_CLEAR_SIGHAND,
 * CLONE_INTO_CGROUP: -EINVAL, as clone's unknown flags); cgroup is read only with the latter. */
static long clone_args_from_user(uint64_t uargs, uint64_t size, struct linux_clone_args *ca)
{
    if (size > LINUX_CLONE_ARGS_MAX)
        return -E2BIG;
    if (size < LINUX_CLONE_ARGS_SIZE0)
        return -EINVAL;
    if (copy_from_user(ca, uargs, size < sizeof *ca ? size : sizeof *ca))
        return -EFAULT;
    for (uint64_t off = sizeof *ca; off < size; off++) {     /* a newer struct: unknown fields unused */
        uint8_t b;
        if (copy_from_user(&b, uargs + off, 1))
            return -EFAULT;
        if (b)
            return -E2BIG;
    }
    return 0;
}

long linux_sys_clone3(const uint64_t a[6])
{
    struct linux_clone_args ca = { 0 };
    struct proc_clone_args c;
    long err = clone_args_from_user(a[0], a[1], &ca);

    if (err)
        return err;
    if ((ca.exit_signal & ~LINUX_CSIGNAL) || ca.exit_signal > LINUX_SIGNAL_MAX)
        return -EINVAL;
    if ((ca.flags & ~LINUX_CLONE_KNOWN) || (ca.flags & (LINUX_CSIGNAL | LINUX_CLONE_DETACHED)))
        return -EINVAL;
    if (!ca.stack != !ca.stack_size || ca.set_tid || ca.set_tid_size)
        return -EINVAL;
    if ((ca.flags & (PROC_CLONE_THREAD | PROC_CLONE_PARENT)) && ca.exit_signal)
        return -EINVAL;
    c = (struct proc_clone_args){ ca.flags | ca.exit_signal, ca.stack ? ca.stack + ca.stack_size : 0,
                                  ca.parent_tid, ca.child_tid, ca.tls };
    return proc_clone(&c);
}

/* The NULL-terminated array of user strings at uarr into out[] (at most max - 1 of them), the
 * strings packed in buf; 0 or -EFAULT, -E2BIG. */
static long copy_strings(uint64_t uarr, char **out, int max, char *buf, size_t *used, size_t cap)
{
    int n = 0;

    for (; uarr; n++) {
        uint64_t s;
        long len;
        if (n == max - 1)
            return -E2BIG;
        if (copy_from_user(&s, uarr + (uint64_t)n * sizeof s, sizeof s))
            return -EFAULT;
        if (!s)
            break;
        if (*used >= cap)
            return -E2BIG;
        len = strncpy_from_user(buf + *used, s, cap - *used);
        if (len < 0)
            return len == -ENAMETOOLONG ? -E2BIG : len;
        out[n] = buf + *used;
        *used += (size_t)len + 1;
    }
    out[n] = NULL;
    return 0;
}

long linux_sys_execve(const uint64_t a[6])
{
    char *path = kmalloc(PATH_MAX), *buf = kmalloc(EXECVE_STRINGS);
    char **argv = kmalloc(EXECVE_ARGS * sizeof *argv), **envp = kmalloc(EXECVE_ARGS * sizeof *envp);
    size_t used = 0;
    long r;

    if (!path || !buf || !argv || !envp)
        r = -ENOMEM;
    else if ((r = strncpy_from_user(path, a[0], PATH_MAX)) >= 0 &&
             (r = copy_strings(a[1], argv, EXECVE_ARGS, buf, &used, EXECVE_STRINGS)) == 0 &&
             (r = copy_strings(a[2], envp, EXECVE_ARGS, buf, &used, EXECVE_STRINGS)) == 0)
        r = proc_execve(path, argv, envp);
    kfree(path);
    kfree(buf);
    kfree(argv);
    kfree(envp);
    return r;
}

/* wait4(pid, status, options, rusage): the rusage is zeros (not counted yet). */
long linux_sys_wait4(const uint64_t a[6])
{
    static const uint8_t no_usage[LINUX_RUSAGE_SIZE];
    int status = 0;
    long r;

    if (a[2] & ~(uint64_t)(PROC_WNOHANG | PROC_WUNTRACED | PROC_WCONTINUED | LINUX_WALL_FLAGS))
        return -EINVAL;
    r = proc_wait4((int)a[0], &status, (int)a[2]);
    if (r > 0 && a[1] && copy_to_user(a[1], &status, sizeof status))
        return -EFAULT;
    if (r > 0 && a[3] && copy_to_user(a[3], no_usage, sizeof no_usage))
        return -EFAULT;
    return r;
}

long linux_sys_setpgid(const uint64_t a[6])
{
    return proc_setpgid((int)a[0], (int)a[1]);
}

long linux_sys_getpgid(const uint64_t a[6])
{
    return proc_getpgid((int)a[0]);
}

long linux_sys_getpgrp(const uint64_t a[6])
{
    (void)a;
    return proc_getpgid(0);
}

long linux_sys_setsid(const uint64_t a[6])
{
    (void)a;
    return proc_setsid();
}

long linux_sys_getsid(const uint64_t a[6])
{
    return proc_getsid((int)a[0]);
}

long linux_sys_set_tid_address(const uint64_t a[6])
{
    struct uthread *u = uthread_current();

    u->clear_child_tid = a[0];
    return u->tid;
}

long linux_sys_arch_prctl(const uint64_t a[6])
{
    struct thread *t = sched_current();

    switch (a[0]) {
    case ARCH_SET_FS:
        if (a[1] >= ARCH_USER_TOP)
            return -EPERM;
        t->tls = a[1];
        arch_set_tls(a[1]);
        return 0;
    case ARCH_GET_FS:
        return copy_to_user(a[1], &t->tls, sizeof t->tls);
    default:
        return -EINVAL;
    }
}

/*
 * prctl: PR_SET_NAME and PR_GET_NAME, the name ps and /proc/N/comm show
 * (busybox sets it to the applet's); other options -EINVAL, as Linux
 * answers an option it does not know.
 */
#define PR_SET_NAME     15
#define PR_GET_NAME     16

long linux_sys_prctl(const uint64_t a[6])
{
    struct proc *p = proc_current();
    char name[PROC_NAME_MAX];
    long n;

    switch (a[0]) {
    case PR_SET_NAME:                   /* up to 15 bytes and a NUL, longer names cut */
        memset(name, 0, sizeof name);
        n = strncpy_from_user(name, a[1], sizeof name);
        if (n == -EFAULT)
            return -EFAULT;
        name[PROC_NAME_MAX - 1] = 0;
        spin_lock(&proc_lock);          /* /proc reads it under it */
        memcpy(p->name, name, sizeof name);
        spin_unlock(&proc_lock);
        return 0;
    case PR_GET_NAME:
        spin_lock(&proc_lock);
        memcpy(name, p->name, sizeof name);
        spin_unlock(&proc_lock);
        return copy_to_user(a[1], name, sizeof name);
    default:
        return -EINVAL;
    }
}

long linux_sys_uname(const uint64_t a[6])
{
    static const struct linux_utsname u = {
        .sysname = TESSERA_NAME, .nodename = "tessera", .release = TESSERA_VERSION,
        .version = TESSERA_NAME " " TESSERA_VERSION, .machine = "x86_64", .domainname = "(none)",
    };

    return copy_to_user(a[0], &u, sizeof u);
}
