/*
 * sys_resource.c - the Linux personality's resource calls: getrlimit,
 * setrlimit, prlimit64 (kernel/proc/rlimit.h keeps the limits), getrusage
 * and times (the CPU time the scheduler counts, rlimit_cpu_ns).
 *
 * The scheduler counts a thread's time on a CPU, not which ring it ran
 * in, so the whole of it is reported as user time and system time is 0.
 * getrusage's minflt is the pages the fault path mapped; nvcsw the times
 * the thread was switched to. times() counts USER_HZ (100) ticks from
 * boot, where Linux starts 5 minutes before 2^32 jiffies (INITIAL_JIFFIES):
 * only differences between its results mean anything on either.
 */
#include <stdint.h>

#include "abi/linux/linux_time.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "mm/uspace.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "timer/clock.h"

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1
#define USER_HZ         100

struct linux_rusage {
    int64_t utime_sec, utime_usec, stime_sec, stime_usec;
    int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv, nsignals,
        nvcsw, nivcsw;
};

struct linux_tms {
    int64_t utime, stime, cutime, cstime;
};

_Static_assert(sizeof(struct linux_rusage) == 144, "struct rusage is 144 bytes on x86_64");

/* The limits of pid (0: the caller): only the caller's for now (no other process is found yet). */
static struct proc_rlimits *limits_of(int64_t pid)
{
    struct proc *p = proc_current();

    return pid == 0 || pid == p->pid ? proc_rlimits(p) : 0;
}

/* Install `want` as limit res of r: 0, -EINVAL (soft above hard), -EPERM (hard raised, not root). */
static int set_limit(struct proc_rlimits *r, int res, struct rlimit_pair want)
{
    struct proc *p = proc_current();

    if (want.cur > want.max)
        return -EINVAL;
    if (want.max > r->lim[res].max && p->cred.euid != 0)
        return -EPERM;
    if (res == RLIMIT_NOFILE && want.max > RLIMIT_NOFILE_CEILING)
        return -EPERM;
    r->lim[res] = want;
    return 0;
}

long linux_sys_prlimit64(const uint64_t a[6])
{
    struct proc_rlimits *r;
    struct rlimit_pair old, want;
    int res = (int)a[1], err;

    if (a[1] >= RLIM_NLIMITS)
        return -EINVAL;
    if (!(r = limits_of((int)a[0])))
        return -ESRCH;
    if (a[2] && copy_from_user(&want, a[2], sizeof want))
        return -EFAULT;
    old = r->lim[res];
    if (a[2] && (err = set_limit(r, res, want)) != 0)
        return err;
    return a[3] ? copy_to_user(a[3], &old, sizeof old) : 0;
}

long linux_sys_getrlimit(const uint64_t a[6])
{
    if (a[0] >= RLIM_NLIMITS)
        return -EINVAL;
    return copy_to_user(a[1], &proc_rlimits(proc_current())->lim[a[0]], sizeof(struct rlimit_pair));
}

long linux_sys_setrlimit(const uint64_t a[6])
{
    struct rlimit_pair want;

    if (a[0] >= RLIM_NLIMITS)
        return -EINVAL;
    if (copy_from_user(&want, a[1], sizeof want))
        return -EFAULT;
    return set_limit(proc_rlimits(proc_current()), (int)a[0], want);
}

static void put_time(int64_t *sec, int64_t *usec, uint64_t ns)
{
    *sec = (int64_t)(ns / NS_PER_SEC);
    *usec = (int64_t)(ns % NS_PER_SEC / NS_PER_US);
}

long linux_sys_getrusage(const uint64_t a[6])
{
    struct proc *p = proc_current();
    struct thread *self = sched_current();
    struct linux_rusage ru = { 0 };
    int who = (int)a[0];
    uint64_t ns;

    switch (who) {
    case RUSAGE_SELF:
    case RUSAGE_THREAD:
        ns = who == RUSAGE_SELF ? rlimit_cpu_ns(p) : linux_thread_cpu_ns(self);
        ru.minflt = p->us ? (int64_t)p->us->faults : 0;
        ru.nvcsw = (int64_t)self->switches;
        break;
    case RUSAGE_CHILDREN:
        ns = proc_rlimits(p)->children_cpu_ns;
        break;
    default:
        return -EINVAL;
    }
    put_time(&ru.utime_sec, &ru.utime_usec, ns);
    return copy_to_user(a[1], &ru, sizeof ru);
}

long linux_sys_times(const uint64_t a[6])
{
    struct proc *p = proc_current();
    struct linux_tms t = {
        .utime = (int64_t)(rlimit_cpu_ns(p) / (NS_PER_SEC / USER_HZ)),
        .cutime = (int64_t)(proc_rlimits(p)->children_cpu_ns / (NS_PER_SEC / USER_HZ)),
    };

    if (a[0] && copy_to_user(a[0], &t, sizeof t))
        return -EFAULT;
    return (long)(clock_ns() / (NS_PER_SEC / USER_HZ));
}
