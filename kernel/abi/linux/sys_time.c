/*
 * sys_time.c - the Linux personality's clocks: clock_gettime.
 *
 * Two clocks underneath (drivers/timer/clock.h, kernel/fs/vfs.h):
 *   monotonic  clock_ns(), the TSC since the kernel started, scaled: what
 *              CLOCK_MONOTONIC and CLOCK_BOOTTIME read (nothing suspends
 *              yet, so the two are the same);
 *   realtime   vfs_now(), the RTC read at boot plus the monotonic time since.
 */
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "errno.h"
#include "fs/vfs.h"
#include "proc/uaccess.h"
#include "timer/clock.h"

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME  7

struct linux_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

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
