/*
 * sys_proc.c - the Linux personality's process calls: exit, exit_group,
 * the ids, set_tid_address, arch_prctl, uname, clock_gettime (the signal
 * calls are in sys_signal.c).
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/syscalls.h"
#include "arch/proc_arch.h"
#include "errno.h"
#include "fs/vfs.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "timer/clock.h"
#include "version.h"

#define ARCH_SET_FS     0x1002
#define ARCH_GET_FS     0x1003
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME  7
#define UTS_LEN         65

struct linux_utsname {
    char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN], version[UTS_LEN], machine[UTS_LEN],
        domainname[UTS_LEN];
};

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
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

long linux_sys_clock_gettime(const uint64_t a[6])
{
    struct linux_timespec ts;
    uint64_t ns;
    struct vfs_time now;

    switch (a[0]) {
    case CLOCK_REALTIME:
        now = vfs_now();
        ts = (struct linux_timespec){ now.sec, now.nsec };
        break;
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
        ns = clock_ns();
        ts = (struct linux_timespec){ (int64_t)(ns / 1000000000ULL), (int64_t)(ns % 1000000000ULL) };
        break;
    default:
        return -EINVAL;
    }
    return copy_to_user(a[1], &ts, sizeof ts);
}
