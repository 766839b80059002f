/*
 * linux_time.h - what the Linux personality's calls share about time
 * (sys_time.c): struct timespec as user space lays it out, read and
 * written with Linux's checks, the realtime clock, sleeping to a deadline
 * and a thread's time on a CPU. Used by the clock calls, futex's timeouts
 * and the resource calls (getrusage, times).
 */
#pragma once

#include <stdint.h>

struct thread;

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* A timespec from user space into *ns: 0, -EFAULT, or -EINVAL (a negative
 * field, tv_nsec past 999999999); seconds past 2^63 ns are cut to that. */
int linux_timespec_get(uint64_t uaddr, int64_t *ns);
/* ns (>= 0) as a timespec to user space: 0 or -EFAULT. */
int linux_timespec_put(uint64_t uaddr, int64_t ns);
/* CLOCK_REALTIME in ns since 1970. */
int64_t linux_realtime_ns(void);
/* Sleep until clock_ns() reaches deadline_ns: 0, or -EINTR when a signal came first. */
int linux_sleep_until(uint64_t deadline_ns);
/* Thread t's time on a CPU in ns (the calling thread's current stretch included). */
uint64_t linux_thread_cpu_ns(struct thread *t);
