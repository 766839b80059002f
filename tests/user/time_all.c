/*
 * time_all.c - the clocks and the sleeps, one program (the BIOS loader
 * takes 16 boot modules, so the tests of tests/user/ share them):
 *   clocks: clock_gettime on each of Linux's first eight clocks,
 *     clock_getres, gettimeofday and time agreeing with CLOCK_REALTIME,
 *     the monotonic clock never going back, the CPU-time clocks counting a
 *     busy loop, and the errors (a clock Linux lacks, bad pointers);
 *   sleeps: nanosleep and clock_nanosleep (relative, TIMER_ABSTIME on
 *     CLOCK_MONOTONIC and CLOCK_REALTIME, a deadline already past) sleep
 *     at least as long as asked, and their bad arguments give Linux's
 *     errors;
 *   signals: a child's 2-second nanosleep and its futex wait, each ended by
 *     its parent's SIGUSR1 (sent every 50 ms until the child ends): EINTR,
 *     and nanosleep's rem holds the time left.
 * Values differ from run to run, so they are printed as checks ("nanosleep
 * 20 ms: slept >= 20 ms: yes"). Calls go through syscall(2): libc's vDSO
 * shortcut on the host would fault on the bad pointers instead of
 * returning EFAULT, and libc adds nothing of its own.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int bad;

#define MS  1000000LL
#define SEC 1000000000LL

static int64_t now(clockid_t c)
{
    struct timespec ts;

    syscall(SYS_clock_gettime, c, &ts);
    return ts.tv_sec * SEC + ts.tv_nsec;
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

static void each_clock(void)
{
    static const char *const names[] = { "REALTIME", "MONOTONIC", "PROCESS_CPUTIME_ID", "THREAD_CPUTIME_ID",
                                         "MONOTONIC_RAW", "REALTIME_COARSE", "MONOTONIC_COARSE", "BOOTTIME" };
    char what[80];

    for (int c = 0; c < 8; c++) {
        struct timespec ts = { -1, -1 }, res = { -1, -1 };

        snprintf(what, sizeof what, "clock_gettime %s", names[c]);
        result(what, syscall(SYS_clock_gettime, c, &ts));
        snprintf(what, sizeof what, "clock_gettime %s: tv_nsec in 0..999999999", names[c]);
        check(what, ts.tv_nsec >= 0 && ts.tv_nsec < SEC);
        snprintf(what, sizeof what, "clock_getres %s", names[c]);
        result(what, syscall(SYS_clock_getres, c, &res));
        snprintf(what, sizeof what, "clock_getres %s: %s", names[c],
                 c == 5 || c == 6 ? "between 1 ns and 10 ms" : "1 ns");
        check(what, res.tv_sec == 0 && (c == 5 || c == 6 ? res.tv_nsec >= 1 && res.tv_nsec <= 10 * MS
                                                         : res.tv_nsec == 1));
    }
    result("clock_getres MONOTONIC into NULL", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
}

static void agreement(void)
{
    struct timeval tv;
    struct timezone tz = { 99, 99 };
    int64_t rt = now(CLOCK_REALTIME), prev = now(CLOCK_MONOTONIC), back = 0;
    long t;

    check("CLOCK_REALTIME: a date between 2020 and 2100", rt / SEC > 1577836800LL && rt / SEC < 4102444800LL);
    result("gettimeofday", syscall(SYS_gettimeofday, &tv, &tz));
    check("gettimeofday: within a second of CLOCK_REALTIME", tv.tv_sec * SEC + tv.tv_usec * 1000LL - rt < SEC);
    check("gettimeofday: tv_usec in 0..999999", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    printf("gettimeofday: tz_minuteswest=%d tz_dsttime=%d\n", tz.tz_minuteswest, tz.tz_dsttime);
    result("gettimeofday with both NULL", syscall(SYS_gettimeofday, NULL, NULL));
    t = syscall(SYS_time, NULL);
    check("time: within a second of CLOCK_REALTIME", t - rt / SEC <= 1 && t >= rt / SEC);
    {
        long stored = 0, r = syscall(SYS_time, &stored);

        check("time: returns what it stores", r == stored);
    }
    for (int i = 0; i < 10000; i++) {
        int64_t n = now(CLOCK_MONOTONIC);

        back += n < prev;
        prev = n;
    }
    check("CLOCK_MONOTONIC: 10000 reads, never back", back == 0);
    check("CLOCK_BOOTTIME: at least CLOCK_MONOTONIC", now(CLOCK_BOOTTIME) >= now(CLOCK_MONOTONIC) - MS);
}

static void cpu_time(void)
{
    int64_t p0 = now(CLOCK_PROCESS_CPUTIME_ID), t0 = now(CLOCK_THREAD_CPUTIME_ID);
    int64_t w0 = now(CLOCK_MONOTONIC), w;
    volatile unsigned long spin = 0;

    while ((w = now(CLOCK_MONOTONIC)) - w0 < 50 * MS)
        spin++;
    w -= w0;
    check("CLOCK_THREAD_CPUTIME_ID: a 50 ms busy loop counted, at most its wall time",
          now(CLOCK_THREAD_CPUTIME_ID) - t0 > 0 && now(CLOCK_THREAD_CPUTIME_ID) - t0 <= w + 5 * MS);
    check("CLOCK_PROCESS_CPUTIME_ID: the same loop counted",
          now(CLOCK_PROCESS_CPUTIME_ID) - p0 > 0 && now(CLOCK_PROCESS_CPUTIME_ID) - p0 <= w + 5 * MS);
}

static void clock_errors(void)
{
    struct timespec ts;

    result("clock_gettime clock 100", syscall(SYS_clock_gettime, 100, &ts));
    result("clock_getres clock 100", syscall(SYS_clock_getres, 100, &ts));
    result("clock_gettime into an unmapped address", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)0x1000));
    result("clock_getres into a kernel address", syscall(SYS_clock_getres, CLOCK_MONOTONIC,
                                                         (void *)0xffffffff80000000ull));
    result("gettimeofday into an unmapped address", syscall(SYS_gettimeofday, (void *)0x1000, NULL));
    result("gettimeofday tz into an unmapped address", syscall(SYS_gettimeofday, NULL, (void *)0x1000));
    errno = 0;
    syscall(SYS_time, (void *)0x1000);
    printf("time into an unmapped address: %s\n", strerror(errno));
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

static void sleep_errors(void)
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

static void on_usr1(int sig)
{
    (void)sig;
}

/* In a child: the wait `what` (0 nanosleep, 1 futex) is ended by a signal; the exit code says how. */
static int interrupted_child(int what)
{
    struct timespec req = { 2, 0 }, rem = { 0, 0 };
    static uint32_t word;
    long r;

    if (what == 0) {
        r = syscall(SYS_nanosleep, &req, &rem);
        return r == -1 && errno == EINTR ? (rem.tv_sec >= 1 && rem.tv_sec <= 2 ? 0 : 2) : 1;
    }
    r = syscall(SYS_futex, &word, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
    return r == -1 && errno == EINTR ? 0 : 1;
}

static void interrupted(int what, const char *name)
{
    char line[120];
    int status = -1;
    pid_t pid;
    struct timespec pause = ts_of(50 * MS);
    struct sigaction sa = { 0 };

    sa.sa_handler = on_usr1;                /* before the fork: a signal that comes early is caught */
    sigaction(SIGUSR1, &sa, NULL);
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(interrupted_child(what));
    for (int i = 0; i < 40 && waitpid(pid, &status, WNOHANG) == 0; i++) {
        nanosleep(&pause, NULL);            /* every 50 ms, until the child has ended: one lands in its wait */
        kill(pid, SIGUSR1);
    }
    if (!WIFEXITED(status))
        waitpid(pid, &status, 0);
    snprintf(line, sizeof line, "%s ended by SIGUSR1: EINTR%s", name, what == 0 ? ", rem 1..2 s" : "");
    check(line, WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
    each_clock();
    agreement();
    cpu_time();
    clock_errors();
    relative();
    absolute(CLOCK_MONOTONIC, "MONOTONIC");
    absolute(CLOCK_REALTIME, "REALTIME");
    sleep_errors();
    interrupted(0, "nanosleep 2 s in a child");
    interrupted(1, "FUTEX_WAIT in a child");
    printf("time_all: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
