/*
 * file_fd.c - descriptors: dup, dup2, dup3 and fcntl's F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL, with their errors; an
 * offset shared by a descriptor and its dup; pread/pwrite leaving it alone;
 * readv/writev; lseek's three origins and its errors; ftruncate; sendfile;
 * fsync; O_APPEND through F_SETFL.
 *   file_fd DIR   (DIR: a writable directory; a file named after the pid
 *                  is made there and removed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    bad += !ok;
}

static void dups(void)
{
    int fd = open("/dev/null", O_RDWR), d, hi;

    check("open /dev/null", fd >= 0);
    printf("F_GETFL of an O_RDWR open: %#o\n", fcntl(fd, F_GETFL));
    d = dup(fd);
    check("dup: a new descriptor", d > fd);
    check("dup: no FD_CLOEXEC", fcntl(d, F_GETFD) == 0);
    check("dup2 to 40", dup2(fd, 40) == 40 && fcntl(40, F_GETFD) == 0);
    check("dup2 onto itself", dup2(fd, fd) == fd);
    check("dup2 onto an open one closes it first", dup2(d, 40) == 40);
    check("dup3 onto itself: EINVAL", dup3(fd, fd, 0) == -1 && errno == EINVAL);
    check("dup3 with a bad flag: EINVAL", syscall(SYS_dup3, fd, 41, O_NONBLOCK) == -1 && errno == EINVAL);
    check("dup3 O_CLOEXEC", dup3(fd, 41, O_CLOEXEC) == 41 && fcntl(41, F_GETFD) == FD_CLOEXEC);
    check("F_SETFD 0 clears it", fcntl(41, F_SETFD, 0) == 0 && fcntl(41, F_GETFD) == 0);
    check("F_SETFD FD_CLOEXEC sets it", fcntl(41, F_SETFD, FD_CLOEXEC) == 0 && fcntl(41, F_GETFD) == FD_CLOEXEC);
    check("F_DUPFD from 50", fcntl(fd, F_DUPFD, 50) == 50);
    check("F_DUPFD from 50 again: 51", fcntl(fd, F_DUPFD, 50) == 51);
    hi = fcntl(fd, F_DUPFD_CLOEXEC, 60);
    check("F_DUPFD_CLOEXEC", hi == 60 && fcntl(hi, F_GETFD) == FD_CLOEXEC);
    check("F_DUPFD past the limit: EINVAL", fcntl(fd, F_DUPFD, 1024) == -1 && errno == EINVAL);
    check("F_DUPFD up to the limit", fcntl(fd, F_DUPFD, 1023) == 1023 && close(1023) == 0);
    check("dup2 past the limit: EBADF", dup2(fd, 1024) == -1 && errno == EBADF);
    check("dup of a closed descriptor: EBADF", dup(77) == -1 && errno == EBADF);
    check("dup2 of a closed descriptor: EBADF", dup2(77, 78) == -1 && errno == EBADF);
    check("dup2 of a closed descriptor onto itself: EBADF", dup2(77, 77) == -1 && errno == EBADF);
    check("F_GETFD of a closed descriptor: EBADF", fcntl(77, F_GETFD) == -1 && errno == EBADF);
    check("fcntl with an unknown command: EINVAL", fcntl(fd, 9999) == -1 && errno == EINVAL);
    check("close of a negative descriptor: EBADF", close(-1) == -1 && errno == EBADF);
    check("a dup survives the original's close", close(fd) == 0 && write(40, "x", 1) == 1);
    check("the lowest free descriptor is reused", dup(40) == fd);
}

static void offsets(const char *path)
{
    static const char text[] = "0123456789abcdef";
    char buf[32] = { 0 }, a[4] = { 0 }, b[4] = { 0 };
    struct iovec iov[2];
    struct stat st;
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644), d;

    check("open O_CREAT", fd >= 0);
    check("write 16", write(fd, text, 16) == 16);
    d = dup(fd);
    check("a dup shares the offset", lseek(d, 0, SEEK_CUR) == 16);
    check("lseek SEEK_SET through the dup moves both", lseek(d, 4, SEEK_SET) == 4 && lseek(fd, 0, SEEK_CUR) == 4);
    check("pread at 10", pread(fd, buf, 3, 10) == 3 && memcmp(buf, "abc", 3) == 0);
    check("pread leaves the offset", lseek(fd, 0, SEEK_CUR) == 4);
    check("pwrite at 20: a hole before it", pwrite(fd, "XY", 2, 20) == 2 && fstat(fd, &st) == 0 && st.st_size == 22);
    check("pwrite leaves the offset", lseek(fd, 0, SEEK_CUR) == 4);
    check("pread of the hole: zeros", pread(fd, buf, 4, 16) == 4 && memcmp(buf, "\0\0\0\0", 4) == 0);
    check("pread at a negative offset: EINVAL", pread(fd, buf, 1, -1) == -1 && errno == EINVAL);
    check("lseek SEEK_END", lseek(fd, -2, SEEK_END) == 20);
    check("lseek SEEK_CUR", lseek(fd, -20, SEEK_CUR) == 0);
    check("lseek before the start: EINVAL", lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL);
    check("lseek with a bad whence: EINVAL", lseek(fd, 0, 42) == -1 && errno == EINVAL);
    check("lseek past the end", lseek(fd, 100, SEEK_SET) == 100);
    iov[0] = (struct iovec){ a, 3 };
    iov[1] = (struct iovec){ b, 3 };
    check("readv 3 + 3", lseek(fd, 0, SEEK_SET) == 0 && readv(fd, iov, 2) == 6 &&
          memcmp(a, "012", 3) == 0 && memcmp(b, "345", 3) == 0);
    iov[0] = (struct iovec){ "ab", 2 };
    iov[1] = (struct iovec){ "cd", 2 };
    check("writev 2 + 2", writev(fd, iov, 2) == 4 && pread(fd, buf, 6, 6) == 6 && memcmp(buf, "abcdab", 6) == 0);
    check("readv of 0 vectors", readv(fd, iov, 0) == 0);
    check("readv of too many vectors: EINVAL", syscall(SYS_readv, fd, iov, 1025) == -1 && errno == EINVAL);
    check("ftruncate to 8", ftruncate(fd, 8) == 0 && fstat(fd, &st) == 0 && st.st_size == 8);
    check("ftruncate negative: EINVAL", ftruncate(fd, -1) == -1 && errno == EINVAL);
    check("fsync", fsync(fd) == 0 && fdatasync(fd) == 0);
    check("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND));
    check("an append goes to the end", lseek(fd, 0, SEEK_SET) == 0 && write(fd, "Z", 1) == 1 &&
          fstat(fd, &st) == 0 && st.st_size == 9 && lseek(fd, 0, SEEK_CUR) == 9);
    check("F_SETFL keeps the access mode", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);

    int out = open("/dev/null", O_WRONLY);
    off_t off = 2;
    check("sendfile 5 from offset 2", sendfile(out, fd, &off, 5) == 5 && off == 7);
    check("sendfile with an offset leaves the file's", lseek(fd, 0, SEEK_CUR) == 9);
    check("sendfile from the file's offset", lseek(fd, 3, SEEK_SET) == 3 && sendfile(out, fd, NULL, 100) == 6 &&
          lseek(fd, 0, SEEK_CUR) == 9);
    check("sendfile from a write-only descriptor: EBADF", sendfile(out, out, NULL, 1) == -1 && errno == EBADF);
    close(out);
    close(d);
    close(fd);
    check("read-only open: ftruncate EINVAL", (fd = open(path, O_RDONLY)) >= 0 && ftruncate(fd, 0) == -1 &&
          errno == EINVAL);
    close(fd);
    check("unlink", unlink(path) == 0);
}

int main(int argc, char **argv)
{
    char path[256];

    struct rlimit lim = { 1024, 1024 };

    setvbuf(stdout, NULL, _IONBF, 0);
    setrlimit(RLIMIT_NOFILE, &lim);     /* Linux's default, Tessera's FD_MAX (-ENOSYS there) */
    mkdir(argc > 1 ? argv[1] : "/tmp", 01777);    /* Tessera's root may be an empty tmpfs */
    snprintf(path, sizeof path, "%s/file_fd.%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
    dups();
    offsets(path);
    printf("file_fd: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
