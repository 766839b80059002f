/*
 * efault.c - bad pointers handed to system calls come back as EFAULT and
 * the process lives on: unmapped user memory, a kernel address, a
 * non-canonical one, the top of the lower half, a string running off a
 * mapping, and a buffer that ends in an unmapped page: a write gives the
 * bytes before it, and so does a read of a file (the position moved past
 * exactly those), as Linux's copy_to_user does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int bad_count;

static void expect_efault(const char *what, long r)
{
    int ok = r == -1 && errno == EFAULT;

    printf("%s: %s\n", what, ok ? "EFAULT" : "NOT EFAULT");
    bad_count += !ok;
}

/* A file's read into a buffer that ends in an unmapped page (bad: its first byte there): the
 * bytes before it, and the position after them; then reads that give nothing. */
static void read_file_into(char *bad)
{
    char name[64], data[64];
    struct iovec iov[2] = { { bad - 8, 4 }, { bad - 4, 64 } };
    long r;
    int fd;

    mkdir("/tmp", 01777);
    snprintf(name, sizeof name, "/tmp/efault-%d", (int)getpid());
    fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    memset(data, 'x', sizeof data);
    if (fd < 0 || write(fd, data, sizeof data) != sizeof data || lseek(fd, 0, SEEK_SET) != 0) {
        printf("efault: cannot make %s\n", name);
        bad_count++;
        return;
    }
    r = syscall(SYS_read, fd, bad - 8, 64);
    printf("read of a file into a buffer ending in an unmapped page: %ld bytes, position %ld\n", r,
           (long)lseek(fd, 0, SEEK_CUR));
    r = syscall(SYS_pread64, fd, bad - 5, 64, 10);
    printf("pread of a file into a buffer ending in an unmapped page: %ld bytes, position %ld\n", r,
           (long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, 0, SEEK_SET);
    r = syscall(SYS_readv, fd, iov, 2);
    printf("readv of a file into vectors ending in an unmapped page: %ld bytes, position %ld\n", r,
           (long)lseek(fd, 0, SEEK_CUR));
    expect_efault("read of a file into an unmapped page", syscall(SYS_read, fd, bad, 16));
    expect_efault("pread of a file into an unmapped page", syscall(SYS_pread64, fd, bad, 16, 0));
    printf("position after them: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    unlink(name);
}

int main(void)
{
    char *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    munmap(page + 4096, 4096);          /* page: one mapped page, the next unmapped */
    expect_efault("write from an unmapped address", syscall(SYS_write, 1, (void *)0x1000, 10));
    expect_efault("write from a kernel address", syscall(SYS_write, 1, (void *)0xffffffff80000000ull, 10));
    expect_efault("write from a non-canonical address", syscall(SYS_write, 1, (void *)0x0000800000000000ull, 10));
    expect_efault("write across the lower half's end", syscall(SYS_write, 1, (void *)0x00007ffffffffff0ull, 64));
    expect_efault("read into a kernel address", syscall(SYS_read, 0, (void *)0xffff800000000000ull, 1));
    memset(page + 4096 - 8, 'a', 7);    /* "aaaaaaa\n": no NUL before the unmapped page */
    page[4095] = '\n';
    expect_efault("open of a path running off a mapping", syscall(SYS_open, page + 4096 - 8, O_RDONLY));
    expect_efault("open of a kernel path pointer", syscall(SYS_open, (void *)0xffffffff80000000ull, O_RDONLY));
    expect_efault("uname into an unmapped page", syscall(SYS_uname, page + 4096));
    expect_efault("clock_gettime into a kernel address", syscall(SYS_clock_gettime, 0, (void *)0xffffffff80001000ull));
    fflush(stdout);
    printf("write of a buffer ending in an unmapped page: %ld bytes\n",
           (long)syscall(SYS_write, 1, page + 4096 - 8, 64));
    read_file_into(page + 4096);
    printf("efault: %s\n", bad_count ? "FAILED" : "all passed");
    return bad_count != 0;
}
