/*
 * time_slp.c - nanosleep and clock_nanosleep (relative, TIMER_ABSTIME on
 * CLOCK_MONOTONIC and CLOCK_REALTIME, a deadline already past) sleep at
 * least as long as asked, and their bad arguments give Linux's errors.
 * Times differ from run to run, so each is printed as a check: "nanosleep
 * 20 ms: slept >= 20 ms: yes". The calls go through syscall(2), so libc
 * adds nothing of its own.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MS  1000000LL

static int bad;

static int64_t now(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    bad += !ok;
}

static void result(const char *what, long r)
{
    printf("%s: %s\n", what, r == 0 ? "0" : strerror(errno));
}

static struct timespec ts_of(int64_t ns)
{
    return (struct timespec){ ns / 1000000000LL, ns % 1000000000LL };
}

static void relative(void)
{
    struct timespec req = ts_of(20 * MS), rem = { 7, 7 };
    int64_t t0 = now(CLOCK_MONOTONIC);

    result("nanosleep 20 ms", syscall(SYS_nanosleep, &req, &rem));
    check("nanosleep 20 ms: slept >= 20 ms", now(CLOCK_MONOTONIC) - t0 >= 20 * MS);
    check("nanosleep 20 ms: rem untouched without a signal", rem.tv_sec == 7 && rem.tv_nsec == 7);
    req = ts_of(0);
    result("nanosleep 0", syscall(SYS_nanosleep, &req, NULL));
    t0 = now(CLOCK_MONOTONIC);
    req = ts_of(30 * MS);
    result("clock_nanosleep MONOTONIC 30 ms", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL));
    check("clock_nanosleep MONOTONIC 30 ms: slept >= 30 ms", now(CLOCK_MONOTONIC) - t0 >= 30 * MS);
    t0 = now(CLOCK_MONOTONIC);
    result("clock_nanosleep REALTIME 10 ms", syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &req, NULL));
    check("clock_nanosleep REALTIME 10 ms: slept >= 10 ms", now(CLOCK_MONOTONIC) - t0 >= 10 * MS);
}

static void absolute(clockid_t c, const char *name)
{
    char what[96];
    int64_t deadline = now(c) + 40 * MS;
    struct timespec req = ts_of(deadline);

    snprintf(what, sizeof what, "clock_nanosleep %s TIMER_ABSTIME now+40 ms", name);
    result(what, syscall(SYS_clock_nanosleep, c, TIMER_ABSTIME, &req, NULL));
    snprintf(what, sizeof what, "clock_nanosleep %s TIMER_ABSTIME: woke at or after the deadline", name);
    check(what, now(c) >= deadline);
    req = ts_of(now(c) / 2);     /* past, and >= 0 even just after boot */
    deadline = now(CLOCK_MONOTONIC);
    snprintf(what, sizeof what, "clock_nanosleep %s TIMER_ABSTIME half the clock ago", name);
    result(what, syscall(SYS_clock_nanosleep, c, TIMER_ABSTIME, &req, NULL));
    snprintf(what, sizeof what, "clock_nanosleep %s TIMER_ABSTIME in the past: back within 500 ms", name);
    check(what, now(CLOCK_MONOTONIC) - deadline < 500 * MS);
}

static void errors(void)
{
    struct timespec neg = { -1, 0 }, big = { 0, 1000000000 }, ok = ts_of(MS);

    result("nanosleep tv_sec -1", syscall(SYS_nanosleep, &neg, NULL));
    result("nanosleep tv_nsec 1000000000", syscall(SYS_nanosleep, &big, NULL));
    result("nanosleep from an unmapped address", syscall(SYS_nanosleep, (void *)0x1000, NULL));
    result("nanosleep from a kernel address", syscall(SYS_nanosleep, (void *)0xffffffff80000000ull, NULL));
    result("clock_nanosleep clock 100", syscall(SYS_clock_nanosleep, 100, 0, &ok, NULL));
    result("clock_nanosleep THREAD_CPUTIME", syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ok, NULL));
    result("clock_nanosleep MONOTONIC_COARSE", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &ok, NULL));
    result("clock_nanosleep tv_nsec -1", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0,
                                                 &(struct timespec){ 0, -1 }, NULL));
    result("clock_nanosleep from an unmapped address", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0,
                                                               (void *)0x1000, NULL));
}

int main(void)
{
    relative();
    absolute(CLOCK_MONOTONIC, "MONOTONIC");
    absolute(CLOCK_REALTIME, "REALTIME");
    errors();
    printf("time_slp: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
