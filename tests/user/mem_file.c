/*
 * mem_file.c - files mapped with mmap: a private mapping reads the file
 * (zeros after its end in the last page) and keeps its writes to itself;
 * a shared one writes through to the file (read() sees it at once, and
 * after msync) and sees the file's later writes; an offset maps from that
 * page; the errors of mapping what cannot be (a write-only descriptor, a
 * shared writable mapping of a read-only one, a bad descriptor, an
 * unaligned offset, a directory). Makes mem-file.dat in the current
 * directory and removes it. Prints what it sees; the host's Linux and
 * Tessera must print the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE  4096
#define SIZE  (3 * PAGE + 100)          /* three pages and a bit of a fourth */
#define PATH  "mem-file.dat"

static int failures;
static unsigned char buf[4 * PAGE];

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    failures += !ok;
}

static const char *err_name(void *p)
{
    if (p != MAP_FAILED)
        return "mapped";
    return errno == EACCES ? "EACCES" : errno == EBADF ? "EBADF" : errno == EINVAL ? "EINVAL" :
           errno == ENODEV ? "ENODEV" : "other";
}

/* The file's bytes as read() gives them, from the start. */
static long read_file(void)
{
    int fd = open(PATH, O_RDONLY);
    long n = 0, r;

    if (fd < 0)
        return -1;
    while (n < (long)sizeof buf && (r = read(fd, buf + n, sizeof buf - n)) > 0)
        n += r;
    close(fd);
    return n;
}

static int pattern_ok(const unsigned char *p, long from, long n)
{
    for (long i = from; i < from + n; i++)
        if (p[i - from] != (unsigned char)('a' + i / PAGE))
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    unsigned char *priv, *shared, *off;
    int fd = open(PATH, O_CREAT | O_TRUNC | O_RDWR, 0644), rd, wr, dir;
    int zeros = 1;

    if (fd < 0)
        return printf("open: failed\n"), 1;
    for (int i = 0; i < SIZE; i++)
        buf[i] = (unsigned char)('a' + i / PAGE);
    if (write(fd, buf, SIZE) != SIZE)
        return printf("write: failed\n"), 1;

    priv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check("private mapping made", priv != MAP_FAILED);
    if (priv == MAP_FAILED)
        return 1;
    check("private mapping reads the file", pattern_ok(priv, 0, SIZE));
    for (int i = SIZE; i < 4 * PAGE; i++)
        zeros &= priv[i] == 0;
    check("zeros after the end of the file", zeros);
    memset(priv + PAGE, 'X', 10);
    check("private write seen in the mapping", priv[PAGE] == 'X');
    check("private write not in the file", read_file() == SIZE && pattern_ok(buf, 0, SIZE));

    shared = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("shared mapping made", shared != MAP_FAILED);
    if (shared == MAP_FAILED)
        return 1;
    check("shared mapping reads the file", pattern_ok(shared, 0, 3 * PAGE));
    memcpy(shared + 2 * PAGE + 7, "written through", 15);
    check("shared write seen by read()", read_file() == SIZE && memcmp(buf + 2 * PAGE + 7, "written through", 15) == 0);
    check("msync", msync(shared, 3 * PAGE, MS_SYNC) == 0);
    check("msync async", msync(shared, 3 * PAGE, MS_ASYNC) == 0);
    shared[2 * PAGE + 7] = 'W';         /* after the write-back: still reaches the file */
    check("a write after msync seen by read()", read_file() == SIZE && buf[2 * PAGE + 7] == 'W');
    check("private page written still its own", priv[PAGE] == 'X');
    /* A private page never written shows the file as it is now (POSIX leaves it open; Linux does). */
    printf("unwritten private page sees the file's write: %s\n", priv[2 * PAGE + 7] == 'W' ? "yes" : "no");
    check("munmap shared", munmap(shared, 3 * PAGE) == 0);
    check("shared write kept after munmap", read_file() == SIZE && buf[2 * PAGE + 7] == 'W');

    off = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
    check("mapping at an offset reads from there", off != MAP_FAILED && off[0] == 'c' && off[7] == 'W');

    rd = open(PATH, O_RDONLY);
    wr = open(PATH, O_WRONLY);
    dir = open(".", O_RDONLY);
    printf("write-only descriptor: %s\n", err_name(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wr, 0)));
    printf("shared writable of read-only: %s\n", err_name(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rd, 0)));
    printf("private writable of read-only: %s\n", err_name(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rd, 0)));
    printf("shared read-only of read-only: %s\n", err_name(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rd, 0)));
    printf("bad descriptor: %s\n", err_name(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0)));
    printf("unaligned offset: %s\n", err_name(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100)));
    printf("a directory: %s\n", err_name(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0)));
    close(fd);
    check("mapping kept after close", priv[0] == 'a' && off[0] == 'c');
    unlink(PATH);
    printf("mem_file: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
