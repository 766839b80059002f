/*
 * efault.c - bad pointers handed to system calls come back as EFAULT and
 * the process lives on: unmapped user memory, a kernel address, a
 * non-canonical one, the top of the lower half, a string running off a
 * mapping, and a buffer that ends in an unmapped page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bad;

static void expect_efault(const char *what, long r)
{
    int ok = r == -1 && errno == EFAULT;

    printf("%s: %s\n", what, ok ? "EFAULT" : "NOT EFAULT");
    bad += !ok;
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
    printf("efault: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
