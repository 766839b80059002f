/*
 * sys_proc.c - the Linux personality's process calls: exit, exit_group,
 * the ids, set_tid_address, arch_prctl, uname, and the signal calls
 * accepted as no-ops until signals exist (syscall_list.h says which are
 * which). The clocks are in sys_time.c.
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/syscalls.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "version.h"

#define ARCH_SET_FS     0x1002
#define ARCH_GET_FS     0x1003
#define SIGSET_SIZE     8
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
    proc_exit(PROC_EXITED((int)a[0]));
}

long linux_sys_getpid(const uint64_t a[6])
{
    (void)a;
    return proc_current()->pid;
}

long linux_sys_gettid(const uint64_t a[6])
{
    (void)a;
    return proc_current()->pid;
}

long linux_sys_getppid(const uint64_t a[6])
{
    (void)a;
    return proc_current()->ppid;
}

/* uid, gid, euid, egid: 0 until credentials come (issue 16). */
long linux_sys_getuid(const uint64_t a[6])
{
    (void)a;
    return 0;
}

long linux_sys_geteuid(const uint64_t a[6])
{
    (void)a;
    return 0;
}

long linux_sys_getgid(const uint64_t a[6])
{
    (void)a;
    return 0;
}

long linux_sys_getegid(const uint64_t a[6])
{
    (void)a;
    return 0;
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

long linux_sys_uname(const uint64_t a[6])
{
    static const struct linux_utsname u = {
        .sysname = TESSERA_NAME, .nodename = "tessera", .release = TESSERA_VERSION,
        .version = TESSERA_NAME " " TESSERA_VERSION, .machine = "x86_64", .domainname = "(none)",
    };

    return copy_to_user(a[0], &u, sizeof u);
}

/* Accepted so libc start-up and stdio go on; nothing is delivered until signals exist. */
long linux_sys_rt_sigaction(const uint64_t a[6])
{
    static const uint8_t none[32];

    if (a[3] != SIGSET_SIZE || a[0] == 0 || a[0] > 64)
        return -EINVAL;
    return a[2] ? copy_to_user(a[2], none, sizeof none) : 0;
}

long linux_sys_rt_sigprocmask(const uint64_t a[6])
{
    static const uint64_t empty;

    if (a[3] != SIGSET_SIZE)
        return -EINVAL;
    return a[2] ? copy_to_user(a[2], &empty, sizeof empty) : 0;
}
