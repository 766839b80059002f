/*
 * sys_time.c - the Linux personality's clocks and sleeps: clock_gettime,
 * clock_getres, gettimeofday, time, nanosleep, clock_nanosleep (docs/time.md).
 *
 * Two clocks underneath (drivers/timer/clock.h, kernel/fs/vfs.h):
 *   monotonic  clock_ns(), the TSC since the kernel started, scaled: what
 *              CLOCK_MONOTONIC, _RAW, _COARSE and CLOCK_BOOTTIME read
 *              (nothing suspends and nothing slews the rate, so they agree);
 *   realtime   vfs_now(), the RTC read at boot plus the monotonic time
 *              since: CLOCK_REALTIME, _COARSE, gettimeofday, time.
 * and two CPU-time clocks from the scheduler's accounting of time on a CPU
 * (thread.h run_ns): CLOCK_THREAD_CPUTIME_ID (the calling thread) and
 * CLOCK_PROCESS_CPUTIME_ID (every thread of its process).
 *
 * A sleep is the scheduler's (sched_sleep_ns: woken by the first tick at
 * or after its time, so never early and late by up to a tick). A signal
 * ends it early with -EINTR and the time left in *rem (nanosleep, relative
 * clock_nanosleep), as Linux does; an absolute clock_nanosleep is simply
 * called again by libc, so it leaves rem alone.
 */
#include <stdint.h>

#include "abi/linux/linux_time.h"
#include "abi/linux/syscalls.h"
#include "errno.h"
#include "fs/vfs.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "timer/clock.h"
#include "timer/timer.h"

#define CLOCK_REALTIME              0
#define CLOCK_MONOTONIC             1
#define CLOCK_PROCESS_CPUTIME_ID    2
#define CLOCK_THREAD_CPUTIME_ID     3
#define CLOCK_MONOTONIC_RAW         4
#define CLOCK_REALTIME_COARSE       5
#define CLOCK_MONOTONIC_COARSE      6
#define CLOCK_BOOTTIME              7
#define TIMER_ABSTIME               1

struct linux_timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

struct linux_timezone {
    int32_t tz_minuteswest;
    int32_t tz_dsttime;
};

int64_t linux_realtime_ns(void)
{
    struct vfs_time now = vfs_now();

    return now.sec * (int64_t)NS_PER_SEC + now.nsec;
}

/* The calling thread's time on a CPU, the current stretch included. */
uint64_t linux_thread_cpu_ns(struct thread *t)
{
    uint64_t flags = arch_irq_save();
    uint64_t ns = t->run_ns;

    if (t == sched_current())
        ns += clock_ns() - t->ran_since_ns;
    arch_irq_restore(flags);
    return ns;
}

/* Every thread of the calling process, those that ended included (a kernel thread: itself). */
static uint64_t process_cpu_ns(void)
{
    struct proc *p = proc_current();

    return p ? rlimit_cpu_ns(p) : linux_thread_cpu_ns(sched_current());
}

/* Clock `id` now, in ns: 0, or -EINVAL for a clock Linux has and this kernel does not (or none). */
static int clock_read(uint64_t id, int64_t *ns)
{
    switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *ns = linux_realtime_ns();
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = (int64_t)clock_ns();
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
        *ns = (int64_t)process_cpu_ns();
        return 0;
    case CLOCK_THREAD_CPUTIME_ID:
        *ns = (int64_t)linux_thread_cpu_ns(sched_current());
        return 0;
    default:
        return -EINVAL;
    }
}

int linux_timespec_get(uint64_t uaddr, int64_t *ns)
{
    struct linux_timespec ts;

    if (copy_from_user(&ts, uaddr, sizeof ts))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS_PER_SEC)
        return -EINVAL;
    if (ts.tv_sec > INT64_MAX / (int64_t)NS_PER_SEC - 1)
        ts.tv_sec = INT64_MAX / (int64_t)NS_PER_SEC - 1;    /* about 292 years: forever */
    *ns = ts.tv_sec * (int64_t)NS_PER_SEC + ts.tv_nsec;
    return 0;
}

int linux_timespec_put(uint64_t uaddr, int64_t ns)
{
    struct linux_timespec ts = { ns / (int64_t)NS_PER_SEC, ns % (int64_t)NS_PER_SEC };

    return copy_to_user(uaddr, &ts, sizeof ts);
}

long linux_sys_clock_gettime(const uint64_t a[6])
{
    int64_t ns;
    int err = clock_read(a[0], &ns);

    return err ? err : linux_timespec_put(a[1], ns);
}

/* 1 ns for the clocks read from the TSC; the tick's period for the _COARSE ones, as Linux says. */
long linux_sys_clock_getres(const uint64_t a[6])
{
    int64_t ns;
    int err = clock_read(a[0], &ns);

    if (err)
        return err;
    if (!a[1])
        return 0;
    ns = a[0] == CLOCK_REALTIME_COARSE || a[0] == CLOCK_MONOTONIC_COARSE ? (int64_t)(NS_PER_SEC / timer_hz()) : 1;
    return linux_timespec_put(a[1], ns);
}

long linux_sys_gettimeofday(const uint64_t a[6])
{
    int64_t ns = linux_realtime_ns();
    struct linux_timeval tv = { ns / (int64_t)NS_PER_SEC, ns % (int64_t)NS_PER_SEC / (int64_t)NS_PER_US };
    static const struct linux_timezone utc;

    if (a[0] && copy_to_user(a[0], &tv, sizeof tv))
        return -EFAULT;
    if (a[1] && copy_to_user(a[1], &utc, sizeof utc))
        return -EFAULT;
    return 0;
}

long linux_sys_time(const uint64_t a[6])
{
    int64_t sec = linux_realtime_ns() / (int64_t)NS_PER_SEC;

    if (a[0] && copy_to_user(a[0], &sec, sizeof sec))
        return -EFAULT;
    return sec;
}

int linux_sleep_until(uint64_t deadline_ns)
{
    uint64_t now = clock_ns();

    if (deadline_ns <= now)
        return 0;
    return sched_sleep_ns_intr(deadline_ns - now);     /* -EINTR when a signal comes first */
}

/* Sleep ns (relative); on -EINTR the time left goes to rem (when given). */
static long sleep_relative(int64_t ns, uint64_t rem)
{
    uint64_t deadline = clock_ns() + (uint64_t)ns;
    int err = linux_sleep_until(deadline);

    if (err == -EINTR && rem) {
        uint64_t now = clock_ns();

        if (linux_timespec_put(rem, deadline > now ? (int64_t)(deadline - now) : 0))
            return -EFAULT;
    }
    return err;
}

long linux_sys_nanosleep(const uint64_t a[6])
{
    int64_t ns;
    int err = linux_timespec_get(a[0], &ns);

    return err ? err : sleep_relative(ns, a[1]);
}

long linux_sys_clock_nanosleep(const uint64_t a[6])
{
    int64_t ns, now;
    int err;

    /* Linux has no timers on the thread's CPU time, _RAW and _COARSE; this kernel none on the
     * process's CPU time either (Linux sleeps until the process has run that long). */
    if (a[0] == CLOCK_THREAD_CPUTIME_ID || a[0] == CLOCK_PROCESS_CPUTIME_ID || a[0] == CLOCK_MONOTONIC_RAW ||
        a[0] == CLOCK_REALTIME_COARSE || a[0] == CLOCK_MONOTONIC_COARSE)
        return -EOPNOTSUPP;
    if ((err = clock_read(a[0], &now)) != 0 || (err = linux_timespec_get(a[2], &ns)) != 0)
        return err;
    if (!(a[1] & TIMER_ABSTIME))
        return sleep_relative(ns, a[3]);
    /* An absolute time on either clock becomes a monotonic deadline: the realtime clock is
     * the monotonic one plus a constant here (nothing sets it yet), so they cannot drift apart. */
    return ns <= now ? 0 : linux_sleep_until(clock_ns() + (uint64_t)(ns - now));
}
