/*
 * misc_all.c - the calls about the system, one program (the BIOS loader
 * takes 16 boot modules, so the tests of tests/user/ share them):
 *   sysinfo, syslog (what dmesg reads: records "<N>[seconds] text"),
 *   getrandom and /dev/urandom;
 *   resource limits and usage: getrlimit, setrlimit and prlimit64 (a limit
 *   lowered reads back, the soft one above the hard one refused, the
 *   errors), getrusage and times (100 ms of CPU counted);
 *   sched_yield, sched_getaffinity/sched_setaffinity and getcpu: pinned to
 *   the first CPU it may use the program stays there, unpinned it gets its
 *   mask back (the test runner may have given it fewer CPUs than the
 *   machine has), and the errors;
 *   reboot(2)'s EINVAL cases.
 * Values differ between machines and runs, so they are printed as checks;
 * errors as Linux names them. Nothing here changes the host: no syslog
 * CLEAR, no console level, no reboot command that works. With an argument,
 * "off", "restart" or "halt", it asks Tessera for that instead
 * (tests/qemu/power.sh).
 */
#define _GNU_SOURCE                     /* RUSAGE_THREAD, under glibc too */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static int bad;

#define SYSLOG_ACTION_READ_ALL      3
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD   9
#define SYSLOG_ACTION_SIZE_BUFFER   10
#define GRND_NONBLOCK   1
#define GRND_RANDOM     2
#define GRND_INSECURE   4

static char logbuf[1 << 20];
static unsigned char big[1 << 20];

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

static void sysinfo_checks(void)
{
    struct sysinfo si;
    struct timespec bt;

    result("sysinfo", syscall(SYS_sysinfo, &si));
    clock_gettime(CLOCK_BOOTTIME, &bt);
    check("sysinfo: uptime within a second of CLOCK_BOOTTIME", si.uptime - bt.tv_sec <= 1 && si.uptime >= bt.tv_sec);
    check("sysinfo: 0 < freeram < totalram", si.freeram > 0 && si.freeram < si.totalram);
    check("sysinfo: totalram at least 32 MiB", (uint64_t)si.totalram * si.mem_unit >= 32u << 20);
    printf("sysinfo: mem_unit=%u\n", si.mem_unit);
    check("sysinfo: procs at least 1", si.procs >= 1);
    result("sysinfo into an unmapped address", syscall(SYS_sysinfo, (void *)0x1000));
}

/* Every line of buf[0..n) is a record "<digit>[...] ...". */
static int records(const char *buf, long n)
{
    for (long i = 0; i < n;) {
        const char *nl = memchr(buf + i, '\n', n - i);

        if (!nl || buf[i] != '<' || buf[i + 1] < '0' || buf[i + 1] > '7' || buf[i + 2] != '>' || buf[i + 3] != '[')
            return 0;
        i = nl - buf + 1;
    }
    return 1;
}

static void syslog_checks(void)
{
    long size = syscall(SYS_syslog, SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), n;

    check("syslog SIZE_BUFFER: at least 4 KiB", size >= 4096);
    n = syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, logbuf, (int)sizeof logbuf);
    check("syslog READ_ALL: some records", n > 0);
    check("syslog READ_ALL: each line \"<level>[time] text\"", n > 0 && records(logbuf, n));
    n = syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, logbuf, 200);
    check("syslog READ_ALL 200 bytes: whole records, at most 200 bytes", n >= 0 && n <= 200 && records(logbuf, n));
    result("syslog READ_ALL 0 bytes", syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, logbuf, 0));
    result("syslog READ_ALL -1 bytes", syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, logbuf, -1));
    result("syslog READ_ALL into NULL", syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, NULL, 100));
    result("syslog READ_ALL into an unmapped address", syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, (void *)0x1000, 4096));
    check("syslog SIZE_UNREAD: not negative", syscall(SYS_syslog, SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) >= 0);
    result("syslog CONSOLE_LEVEL 9", syscall(SYS_syslog, SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 9));
    result("syslog action 99", syscall(SYS_syslog, 99, NULL, 0));
}

static void random_checks(void)
{
    unsigned char a[32], b[32], zero[32] = { 0 };
    unsigned counts[256] = { 0 }, lo = ~0u, hi = 0;
    int fd;

    result("getrandom 32 bytes", syscall(SYS_getrandom, a, sizeof a, 0));
    result("getrandom 32 more", syscall(SYS_getrandom, b, sizeof b, 0));
    check("getrandom: the two differ", memcmp(a, b, sizeof a) != 0);
    check("getrandom: not all zero", memcmp(a, zero, sizeof a) != 0);
    result("getrandom 0 bytes", syscall(SYS_getrandom, a, 0, 0));
    result("getrandom GRND_NONBLOCK", syscall(SYS_getrandom, a, 16, GRND_NONBLOCK));
    result("getrandom GRND_RANDOM", syscall(SYS_getrandom, a, 16, GRND_RANDOM));
    result("getrandom GRND_INSECURE", syscall(SYS_getrandom, a, 16, GRND_INSECURE));
    result("getrandom GRND_INSECURE|GRND_RANDOM", syscall(SYS_getrandom, a, 16, GRND_INSECURE | GRND_RANDOM));
    result("getrandom flag 0x8", syscall(SYS_getrandom, a, 16, 8));
    result("getrandom into an unmapped address", syscall(SYS_getrandom, (void *)0x1000, 16, 0));
    result("getrandom 1 MiB", syscall(SYS_getrandom, big, sizeof big, 0));
    for (size_t i = 0; i < sizeof big; i++)
        counts[big[i]]++;
    for (int v = 0; v < 256; v++) {
        lo = counts[v] < lo ? counts[v] : lo;
        hi = counts[v] > hi ? counts[v] : hi;
    }
    /* 4096 each expected, standard deviation 64: 3600..4600 is more than 7 of them either way */
    check("getrandom 1 MiB: every byte value 3600..4600 times", lo >= 3600 && hi <= 4600);
    fd = open("/dev/urandom", O_RDONLY);
    check("/dev/urandom: opens", fd >= 0);
    result("/dev/urandom: read 64", read(fd, big, 64));
    close(fd);
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

static unsigned cpu_now(void)
{
    unsigned cpu = 99, node = 99;

    syscall(SYS_getcpu, &cpu, &node, NULL);
    return cpu;
}

static void sched_checks(void)
{
    uint64_t all = 0, m = 0, zero = 0, far = 1ull << 63, first;
    unsigned node = 99, cpu = 99;

    result("sched_yield", syscall(SYS_sched_yield));
    result("sched_getaffinity 8 bytes", syscall(SYS_sched_getaffinity, 0, 8, &all));
    check("sched_getaffinity: some CPU in the mask", all != 0);
    first = all & -all;
    result("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
    check("getcpu: a CPU of the mask, node 0", cpu < 64 && (all >> cpu & 1) && node == 0);
    result("sched_setaffinity the mask's first CPU", syscall(SYS_sched_setaffinity, 0, 8, &first));
    result("sched_getaffinity", syscall(SYS_sched_getaffinity, 0, 8, &m));
    check("sched_getaffinity: only that CPU", m == first);
    {
        int there = 1;

        for (int i = 0; i < 20; i++) {
            syscall(SYS_sched_yield);
            there &= 1ull << cpu_now() == first;
        }
        check("pinned: getcpu says that CPU across 20 yields", there);
    }
    result("sched_setaffinity back to all", syscall(SYS_sched_setaffinity, 0, 8, &all));
    syscall(SYS_sched_getaffinity, 0, 8, &m);
    check("sched_getaffinity: the first mask again", m == all);
    result("sched_setaffinity own pid", syscall(SYS_sched_setaffinity, getpid(), 8, &all));
    result("sched_setaffinity empty mask", syscall(SYS_sched_setaffinity, 0, 8, &zero));
    result("sched_setaffinity only CPU 63", syscall(SYS_sched_setaffinity, 0, 8, &far));
    result("sched_getaffinity 4 bytes", syscall(SYS_sched_getaffinity, 0, 4, &m));
    result("sched_getaffinity pid 999999", syscall(SYS_sched_getaffinity, 999999, 8, &m));
    result("sched_setaffinity pid 999999", syscall(SYS_sched_setaffinity, 999999, 8, &all));
    result("sched_getaffinity into an unmapped address", syscall(SYS_sched_getaffinity, 0, 8, (void *)0x1000));
    result("sched_setaffinity from an unmapped address", syscall(SYS_sched_setaffinity, 0, 8, (void *)0x1000));
    result("getcpu into an unmapped address", syscall(SYS_getcpu, (void *)0x1000, NULL, NULL));
}

#define MAGIC1      0xfee1deadu
#define MAGIC2      672274793u
#define CMD_RESTART 0x01234567u
#define CMD_HALT    0xCDEF0123u
#define CMD_OFF     0x4321FEDCu

/* reboot(2)'s errors: only what is safe on the host (root there: a right command would restart it). */
static void reboot_checks(void)
{
    result("reboot with magic1 0", syscall(SYS_reboot, 0, MAGIC2, CMD_OFF, NULL));
    result("reboot with magic2 0", syscall(SYS_reboot, MAGIC1, 0, CMD_OFF, NULL));
    result("reboot with command 0x12345678", syscall(SYS_reboot, MAGIC1, MAGIC2, 0x12345678u, NULL));
}

/* "off", "restart", "halt": ask Tessera for it (tests/qemu/power.sh); coming back is a failure. */
static int reboot_now(const char *what)
{
    unsigned cmd = strcmp(what, "off") == 0 ? CMD_OFF : strcmp(what, "halt") == 0 ? CMD_HALT : CMD_RESTART;

    printf("misc_all: reboot(%s)\n", what);
    fflush(stdout);
    result("reboot", syscall(SYS_reboot, MAGIC1, MAGIC2, cmd, NULL));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return reboot_now(argv[1]);
    sysinfo_checks();
    syslog_checks();
    random_checks();
    limits();
    usage();
    sched_checks();
    reboot_checks();
    printf("misc_all: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
