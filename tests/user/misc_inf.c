/*
 * misc_inf.c - the calls about the system: sysinfo, syslog (what dmesg
 * reads: records "<N>[seconds] text"), getrandom and /dev/urandom. Their
 * values differ between machines and runs, so each is printed as a check;
 * errors as Linux names them. Nothing here changes the system: no CLEAR,
 * no console level (the host runs it too).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#define SYSLOG_ACTION_READ_ALL      3
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD   9
#define SYSLOG_ACTION_SIZE_BUFFER   10
#define GRND_NONBLOCK   1
#define GRND_RANDOM     2
#define GRND_INSECURE   4

static int bad;
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

int main(void)
{
    sysinfo_checks();
    syslog_checks();
    random_checks();
    printf("misc_inf: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
