/*
 * misc_lim.c - resource limits and usage: getrlimit, setrlimit and
 * prlimit64 (a limit lowered reads back, the soft one above the hard one
 * refused, the errors), getrusage and times (a busy loop counted). The
 * host's limits are its own, so values are printed as checks; only a
 * limit this program set is printed as a number.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    bad += !ok;
}

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static void limits(void)
{
    struct rlimit r, old, want;
    int sane = 1;

    for (int res = 0; res < 16; res++)
        sane &= syscall(SYS_getrlimit, res, &r) == 0 && r.rlim_cur <= r.rlim_max;
    check("getrlimit 0..15: each soft limit at most its hard one", sane);
    syscall(SYS_getrlimit, RLIMIT_STACK, &r);
    check("getrlimit STACK: soft at least 1 MiB", r.rlim_cur >= (1u << 20));
    syscall(SYS_getrlimit, RLIMIT_NPROC, &r);
    check("getrlimit NPROC: at least 20", r.rlim_cur >= 20);
    syscall(SYS_getrlimit, RLIMIT_NOFILE, &old);
    want = (struct rlimit){ 100, old.rlim_max };
    result("setrlimit NOFILE soft 100", syscall(SYS_setrlimit, RLIMIT_NOFILE, &want));
    syscall(SYS_getrlimit, RLIMIT_NOFILE, &r);
    printf("getrlimit NOFILE: soft %lu\n", (unsigned long)r.rlim_cur);
    want = (struct rlimit){ 200, 150 };
    result("setrlimit NOFILE soft 200 above hard 150", syscall(SYS_setrlimit, RLIMIT_NOFILE, &want));
    want = (struct rlimit){ 64, old.rlim_max };
    result("prlimit64 NOFILE soft 64, old back", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &want, &r));
    printf("prlimit64 NOFILE: old soft %lu\n", (unsigned long)r.rlim_cur);
    result("prlimit64 own pid, read only", syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, NULL, &r));
    printf("prlimit64 NOFILE: soft %lu\n", (unsigned long)r.rlim_cur);
    result("prlimit64 restore", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &old, NULL));
    want = (struct rlimit){ 16u << 20, RLIM_INFINITY };
    syscall(SYS_getrlimit, RLIMIT_STACK, &old);
    want.rlim_max = old.rlim_max;
    result("setrlimit STACK soft 16 MiB", syscall(SYS_setrlimit, RLIMIT_STACK, &want));
    syscall(SYS_getrlimit, RLIMIT_STACK, &r);
    printf("getrlimit STACK: soft %lu\n", (unsigned long)r.rlim_cur);
    want = (struct rlimit){ 0, 0 };
    result("setrlimit CORE 0 0", syscall(SYS_setrlimit, RLIMIT_CORE, &want));
    result("getrlimit resource 16", syscall(SYS_getrlimit, 16, &r));
    result("setrlimit resource 99", syscall(SYS_setrlimit, 99, &r));
    result("prlimit64 resource 16", syscall(SYS_prlimit64, 0, 16, NULL, &r));
    result("prlimit64 pid 999999", syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, &r));
    result("getrlimit into an unmapped address", syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)0x1000));
    result("setrlimit from an unmapped address", syscall(SYS_setrlimit, RLIMIT_NOFILE, (void *)0x1000));
    result("prlimit64 old into an unmapped address", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, (void *)0x1000));
}

static int64_t cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void usage(void)
{
    struct rusage self, thread, kids;
    struct tms t0, t1;
    long c0, c1;
    int64_t w = cpu_ns();
    volatile unsigned long spin = 0;

    c0 = syscall(SYS_times, &t0);
    while (cpu_ns() - w < 100000000LL)      /* 100 ms on a CPU: the host may be busy */
        spin++;
    c1 = syscall(SYS_times, &t1);
    result("getrusage SELF", syscall(SYS_getrusage, RUSAGE_SELF, &self));
    check("getrusage SELF: user+system time at least 50 ms",
          (self.ru_utime.tv_sec + self.ru_stime.tv_sec) * 1000000 + self.ru_utime.tv_usec + self.ru_stime.tv_usec >= 50000);
    result("getrusage THREAD", syscall(SYS_getrusage, RUSAGE_THREAD, &thread));
    check("getrusage THREAD: at least 50 ms too",
          (thread.ru_utime.tv_sec + thread.ru_stime.tv_sec) * 1000000 + thread.ru_utime.tv_usec +
              thread.ru_stime.tv_usec >= 50000);
    result("getrusage CHILDREN", syscall(SYS_getrusage, RUSAGE_CHILDREN, &kids));
    check("getrusage CHILDREN: no time (no children)", kids.ru_utime.tv_sec + kids.ru_utime.tv_usec +
                                                            kids.ru_stime.tv_sec + kids.ru_stime.tv_usec == 0);
    check("getrusage SELF: tv_usec below 1000000", self.ru_utime.tv_usec < 1000000 && self.ru_stime.tv_usec < 1000000);
    result("getrusage who 5", syscall(SYS_getrusage, 5, &self));
    result("getrusage into an unmapped address", syscall(SYS_getrusage, RUSAGE_SELF, (void *)0x1000));
    check("times: 100 ms of busy loop is 5 to 50 ticks of user+system",
          (t1.tms_utime + t1.tms_stime) - (t0.tms_utime + t0.tms_stime) >= 5 &&
              (t1.tms_utime + t1.tms_stime) - (t0.tms_utime + t0.tms_stime) <= 50);
    check("times: the clock advanced at least 10 ticks", c1 - c0 >= 10);
    check("times: no children's time", t1.tms_cutime == 0 && t1.tms_cstime == 0);
    check("times(NULL): the clock", syscall(SYS_times, NULL) >= c1);
    errno = 0;
    syscall(SYS_times, (void *)0x1000);
    printf("times into an unmapped address: %s\n", strerror(errno));
}

int main(void)
{
    limits();
    usage();
    printf("misc_lim: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
