/*
 * files.c - files through the VFS and the terminal's ioctls: a file made
 * with open(O_CREAT), written, closed, opened again with openat and read
 * back; a missing file is ENOENT, a closed descriptor EBADF; TCGETS and
 * TIOCGWINSZ answer on the terminal and give ENOTTY on a file; the clocks
 * (MONOTONIC never goes back, REALTIME is past 2020) and uname's machine.
 *   files PATH   (PATH: where to make the file; removed by nobody yet)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    bad += !ok;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/files-test.txt";
    static const char text[] = "a line written through the VFS\n";
    char buf[64] = { 0 };
    struct termios t;
    struct winsize w;
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

    check("open O_CREAT", fd >= 3);
    check("write", write(fd, text, sizeof text - 1) == (ssize_t)sizeof text - 1);
    check("ioctl TCGETS on a file: ENOTTY", ioctl(fd, TCGETS, &t) == -1 && errno == ENOTTY);
    check("close", close(fd) == 0);
    check("close again: EBADF", close(fd) == -1 && errno == EBADF);
    fd = openat(AT_FDCWD, path, O_RDONLY);
    check("openat", fd >= 3);
    check("read back", read(fd, buf, sizeof buf) == (ssize_t)sizeof text - 1 && strcmp(buf, text) == 0);
    check("read at the end: 0", read(fd, buf, sizeof buf) == 0);
    check("write to a read-only descriptor: EBADF", write(fd, "x", 1) == -1 && errno == EBADF);
    close(fd);
    check("open of a missing file: ENOENT", open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT);
    check("isatty(1)", isatty(1));
    check("ioctl TIOCGWINSZ on the terminal", ioctl(1, TIOCGWINSZ, &w) == 0);
    struct timespec a, b;
    struct utsname u;
    check("clock_gettime MONOTONIC twice, never back",
          clock_gettime(CLOCK_MONOTONIC, &a) == 0 && clock_gettime(CLOCK_MONOTONIC, &b) == 0 &&
          (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)));
    check("clock_gettime REALTIME after 2020", clock_gettime(CLOCK_REALTIME, &a) == 0 && a.tv_sec > 1577836800);
    check("clock_gettime of an unknown clock: EINVAL", clock_gettime(12345, &a) == -1 && errno == EINVAL);
    check("uname machine x86_64", uname(&u) == 0 && strcmp(u.machine, "x86_64") == 0);
    printf("files: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
