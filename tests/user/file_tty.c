/*
 * file_tty.c - the terminal as a file, on Tessera only (the host's runs
 * have no terminal they can count on): the first process's standard files
 * are /dev/ttyS0; /dev/tty is ENXIO until the session leader makes the
 * terminal its controlling one with TIOCSCTTY, then the same terminal;
 * TIOCNOTTY lets it go; TIOCGPGRP/TIOCSPGRP (ENOTTY before the terminal is
 * the controlling one), FIONREAD, TIOCGWINSZ, poll
 * (writable, not readable with no input), O_NONBLOCK reads EAGAIN, lseek
 * ESPIPE, fstat's character device numbers (4:64 ttyS0, 5:0 /dev/tty).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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
    struct stat st;
    struct winsize w;
    struct termios tio;
    struct pollfd p = { 0, POLLIN | POLLOUT, 0 };
    int fd, n = -1, pg = -1;
    char c;

    (void)argc;
    (void)argv;
    setvbuf(stdout, NULL, _IONBF, 0);
    check("stdin is ttyS0 (4:64)", fstat(0, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 4 &&
          minor(st.st_rdev) == 64);
    check("stdin is O_RDWR (and O_LARGEFILE)", fcntl(0, F_GETFL) == (O_RDWR | 0100000));
    check("0, 1 and 2 are one open file: F_SETFL on 0 is seen on 2",
          fcntl(0, F_SETFL, O_NONBLOCK) == 0 && (fcntl(2, F_GETFL) & O_NONBLOCK) && fcntl(0, F_SETFL, 0) == 0 &&
          !(fcntl(2, F_GETFL) & O_NONBLOCK));
    check("/dev/tty without a controlling terminal: ENXIO", open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
    check("TIOCGPGRP of a terminal not ours: ENOTTY (a shell turns job control off)",
          ioctl(0, TIOCGPGRP, &pg) == -1 && errno == ENOTTY);
    check("TIOCSPGRP of a terminal not ours: ENOTTY", ioctl(0, TIOCSPGRP, &(int){ getpid() }) == -1 && errno == ENOTTY);
    check("TIOCSCTTY", ioctl(0, TIOCSCTTY, 0) == 0);
    fd = open("/dev/tty", O_RDWR);
    check("/dev/tty opens", fd >= 0);
    check("/dev/tty is 5:0", fstat(fd, &st) == 0 && major(st.st_rdev) == 5 && minor(st.st_rdev) == 0);
    check("/dev/tty is a terminal", isatty(fd) && tcgetattr(fd, &tio) == 0);
    check("write through /dev/tty", write(fd, "file_tty: through /dev/tty\n", 27) == 27);
    check("TIOCGWINSZ", ioctl(fd, TIOCGWINSZ, &w) == 0);
    check("TIOCSPGRP to our pid (pid 1 leads its group)", ioctl(fd, TIOCSPGRP, &(int){ getpid() }) == 0);
    check("TIOCGPGRP reads it back", ioctl(fd, TIOCGPGRP, &pg) == 0 && pg == getpid());
    check("FIONREAD: nothing typed", ioctl(0, FIONREAD, &n) == 0 && n == 0);
    check("poll: writable, not readable", poll(&p, 1, 0) == 1 && p.revents == POLLOUT);
    check("F_SETFL O_NONBLOCK, read: EAGAIN", fcntl(fd, F_SETFL, O_NONBLOCK) == 0 && read(fd, &c, 1) == -1 &&
          errno == EAGAIN);
    check("lseek: ESPIPE", lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE);
    check("ioctl of an unknown request: ENOTTY", ioctl(fd, 0x5499, 0) == -1 && errno == ENOTTY);
    close(fd);
    check("TIOCNOTTY", ioctl(0, TIOCNOTTY) == 0);
    check("/dev/tty after TIOCNOTTY: ENXIO", open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
    check("TIOCNOTTY again: ENOTTY", ioctl(0, TIOCNOTTY) == -1 && errno == ENOTTY);
    printf("file_tty: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
