/*
 * mem_prot.c - what mprotect, madvise, msync and MAP_SHARED anonymous
 * memory do in one process (no fault taken: a fault would end the test;
 * mem_fork.c takes them in children): the return values and errno of good
 * and bad calls, data kept across PROT_NONE and back, MADV_DONTNEED
 * zeroing private memory, shared anonymous memory read back. Prints what
 * it sees; the host's Linux and Tessera must print the same.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static int failures;

/* "name: 0" or "name: -1 EINVAL". */
static void show(const char *name, int r)
{
    if (r == 0)
        printf("%s: 0\n", name);
    else
        printf("%s: %d %s\n", name, r, errno == EINVAL ? "EINVAL" : errno == ENOMEM ? "ENOMEM" :
               errno == ENODEV ? "ENODEV" : errno == EACCES ? "EACCES" : "other");
}

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    failures += !ok;
}

static int all(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    unsigned char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *s;
    unsigned char *hole = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED || hole == MAP_FAILED || munmap(hole + PAGE, PAGE) != 0)
        return printf("mmap: failed\n"), 1;
    memset(p, 0xA5, 8 * PAGE);

    /* mprotect's arguments */
    show("mprotect unaligned", mprotect(p + 1, PAGE, PROT_READ));
    show("mprotect length 0", mprotect(p, 0, PROT_READ));
    show("mprotect unknown bit", mprotect(p, PAGE, 0x80));
    show("mprotect over a hole", mprotect(hole, 3 * PAGE, PROT_READ));
    show("mprotect unmapped", mprotect((void *)0x10000000000, PAGE, PROT_READ));
    show("mprotect read-only", mprotect(p, 2 * PAGE, PROT_READ));
    check("read-only pages read back", all(p, 2 * PAGE, 0xA5));
    show("mprotect none", mprotect(p + 2 * PAGE, PAGE, PROT_NONE));
    show("mprotect back to read-write", mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE));
    check("data kept across PROT_NONE", all(p, 3 * PAGE, 0xA5));
    memset(p, 0x11, 3 * PAGE);
    check("written after", all(p, 3 * PAGE, 0x11));
    show("mprotect exec", mprotect(p + 3 * PAGE, PAGE, PROT_READ | PROT_EXEC));
    show("mprotect partial length", mprotect(p + 4 * PAGE, 100, PROT_READ));
    show("mprotect rw again", mprotect(p, 8 * PAGE, PROT_READ | PROT_WRITE));

    /* madvise */
    show("madvise unaligned", madvise(p + 1, PAGE, MADV_DONTNEED));
    show("madvise bad advice", madvise(p, PAGE, 12345));
    show("madvise unmapped", madvise((void *)0x10000000000, PAGE, MADV_DONTNEED));
    show("madvise over a hole", madvise(hole, 3 * PAGE, MADV_WILLNEED));
    show("madvise willneed", madvise(p, 8 * PAGE, MADV_WILLNEED));
    show("madvise nohugepage", madvise(p, 8 * PAGE, MADV_NOHUGEPAGE));
    show("madvise dontneed", madvise(p + 5 * PAGE, 2 * PAGE, MADV_DONTNEED));
    check("private pages zero after MADV_DONTNEED", all(p + 5 * PAGE, 2 * PAGE, 0));
    check("the page after them kept", all(p + 7 * PAGE, PAGE, 0xA5));

    /* msync */
    show("msync unaligned", msync(p + 1, PAGE, MS_SYNC));
    show("msync both flags", msync(p, PAGE, MS_SYNC | MS_ASYNC));
    show("msync unmapped", msync((void *)0x10000000000, PAGE, MS_SYNC));
    show("msync anonymous", msync(p, 8 * PAGE, MS_SYNC));

    /* MAP_SHARED anonymous: zero, written, kept across MADV_DONTNEED */
    s = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check("shared anonymous mapped", s != MAP_FAILED);
    if (s != MAP_FAILED) {
        check("shared anonymous zero", all(s, 4 * PAGE, 0));
        memset(s, 0x3C, 4 * PAGE);
        show("madvise dontneed shared", madvise(s, PAGE, MADV_DONTNEED));
        check("shared page kept across MADV_DONTNEED", all(s, PAGE, 0x3C));
        show("mprotect shared read-only", mprotect(s, 4 * PAGE, PROT_READ));
        check("shared read-only reads back", all(s, 4 * PAGE, 0x3C));
        show("munmap shared", munmap(s, 4 * PAGE));
    }
    show("munmap", munmap(p, 8 * PAGE));
    printf("mem_prot: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
