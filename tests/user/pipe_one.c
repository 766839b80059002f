/*
 * pipe_one.c - a pipe within one process (the cross-process cases come
 * with fork): bytes in order, FIONREAD, fstat's S_IFIFO, -ESPIPE for
 * lseek and pread, O_NONBLOCK and O_CLOEXEC of pipe2, a full pipe (64 KiB,
 * Linux's default) giving EAGAIN and taking a page again once one is read,
 * end of file after the last writer's close, EPIPE with no reader (SIGPIPE
 * ignored, as a shell's pipeline writer would see it), poll and select on
 * both ends, a dup'ed end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    bad += !ok;
}

static short revents(int fd, short events, int timeout_ms)
{
    struct pollfd p = { fd, events, 0 };

    return poll(&p, 1, timeout_ms) < 0 ? -1 : p.revents;
}

static long ms_since(const struct timespec *a)
{
    struct timespec b;

    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void basics(void)
{
    int p[2], n = -1;
    char buf[100];
    struct stat st;

    check("pipe", pipe(p) == 0);
    check("write 5", write(p[1], "hello", 5) == 5);
    check("FIONREAD 5", ioctl(p[0], FIONREAD, &n) == 0 && n == 5);
    check("read gets 5", read(p[0], buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
    check("fstat: a FIFO", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
    printf("fstat mode %o size %lld\n", st.st_mode & 07777, (long long)st.st_size);
    check("lseek: ESPIPE", lseek(p[0], 0, SEEK_SET) == -1 && errno == ESPIPE);
    check("pread: ESPIPE", pread(p[0], buf, 1, 0) == -1 && errno == ESPIPE);
    check("write to the read end: EBADF", write(p[0], "x", 1) == -1 && errno == EBADF);
    check("read from the write end: EBADF", read(p[1], buf, 1) == -1 && errno == EBADF);
    check("F_GETFL of the ends", fcntl(p[0], F_GETFL) == O_RDONLY && fcntl(p[1], F_GETFL) == O_WRONLY);
    check("F_GETFD: no FD_CLOEXEC", fcntl(p[0], F_GETFD) == 0);

    int d = dup(p[1]);
    check("write through a dup", write(d, "abc", 3) == 3 && read(p[0], buf, sizeof buf) == 3);
    close(d);
    check("close write end: read is EOF", close(p[1]) == 0 && read(p[0], buf, sizeof buf) == 0);
    printf("poll of a read end without writers: revents %#x\n", revents(p[0], POLLIN, 0));
    close(p[0]);
}

static void nonblocking(void)
{
    static char page[4096];
    int p[2];
    long total = 0, n;
    char buf[16];

    check("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    check("F_GETFD: FD_CLOEXEC", fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
    check("F_GETFL: O_NONBLOCK", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    check("read of an empty pipe: EAGAIN", read(p[0], buf, sizeof buf) == -1 && errno == EAGAIN);
    printf("poll of an empty pipe: read end %#x, write end %#x\n", revents(p[0], POLLIN, 0),
           revents(p[1], POLLOUT, 0));
    while ((n = write(p[1], page, sizeof page)) > 0)
        total += n;
    check("filled until EAGAIN", n == -1 && errno == EAGAIN);
    printf("a pipe holds %ld bytes\n", total);
    check("poll of a full pipe: write end not ready", revents(p[1], POLLOUT, 0) == 0);
    check("one byte more: EAGAIN", write(p[1], "x", 1) == -1 && errno == EAGAIN);
    check("read a page back", read(p[0], page, sizeof page) == sizeof page);
    check("a page fits again", write(p[1], page, sizeof page) == sizeof page);
    check("F_SETFL clears O_NONBLOCK", fcntl(p[0], F_SETFL, 0) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK) == 0);
    close(p[0]);
    close(p[1]);

    check("pipe2 with a bad flag: EINVAL", pipe2(p, 0x40000000) == -1 && errno == EINVAL);
    check("pipe into a bad pointer: EFAULT", syscall(SYS_pipe, (int *)8) == -1 && errno == EFAULT);
}

static void no_reader(void)
{
    int p[2];

    signal(SIGPIPE, SIG_IGN);
    check("pipe", pipe(p) == 0);
    close(p[0]);
    check("write with no reader: EPIPE", write(p[1], "x", 1) == -1 && errno == EPIPE);
    printf("poll of a write end without readers: revents %#x\n", revents(p[1], POLLOUT, 0));
    close(p[1]);
}

static void waits(void)
{
    struct timespec t0;
    struct timeval tv = { 0, 0 };
    fd_set r, w;
    int p[2];

    pipe(p);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    check("poll of an empty pipe for 50 ms: 0", revents(p[0], POLLIN, 50) == 0);
    check("... after at least 40 ms", ms_since(&t0) >= 40);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    check("select: write end ready, read end not", select(p[1] + 1, &r, &w, NULL, &tv) == 1 &&
          !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
    write(p[1], "z", 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    check("select after a write: read end ready", select(p[0] + 1, &r, NULL, NULL, NULL) == 1 &&
          FD_ISSET(p[0], &r));
    check("poll after a write: POLLIN", revents(p[0], POLLIN, -1) == POLLIN);
    int closed = dup(p[0]);             /* a descriptor surely closed: not one the caller left open */
    close(closed);
    struct pollfd two[2] = { { p[0], POLLIN, 0 }, { closed, POLLIN, 0 } };
    check("poll: a closed fd is POLLNVAL", poll(two, 2, 0) == 2 && two[1].revents == POLLNVAL);
    FD_ZERO(&r);
    FD_SET(closed, &r);
    check("select of a closed fd: EBADF", select(closed + 1, &r, NULL, NULL, &tv) == -1 && errno == EBADF);
    close(p[0]);
    close(p[1]);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    setvbuf(stdout, NULL, _IONBF, 0);
    basics();
    nonblocking();
    no_reader();
    waits();
    printf("pipe_one: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
