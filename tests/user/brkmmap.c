/*
 * brkmmap.c - memory a process asks for: brk moved up, written, moved
 * back; a large malloc (musl maps it with mmap); an anonymous mapping
 * written and read back, with a hint, then unmapped; a fixed mapping
 * over part of it. Every byte of new memory must read as zero first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static int check_brk(void)
{
    uintptr_t start = (uintptr_t)syscall(SYS_brk, 0), end;

    end = (uintptr_t)syscall(SYS_brk, start + 3 * 4096 + 100);
    if (end != start + 3 * 4096 + 100)
        return printf("brk: could not grow (%#lx)\n", (unsigned long)end), 1;
    if (!all_zero((unsigned char *)start, 3 * 4096 + 100))
        return printf("brk: new memory not zero\n"), 1;
    memset((void *)start, 0xAB, 3 * 4096 + 100);
    if ((uintptr_t)syscall(SYS_brk, start) != start)
        return printf("brk: could not shrink\n"), 1;
    if ((uintptr_t)syscall(SYS_brk, start + 4096) != start + 4096 || !all_zero((unsigned char *)start, 4096))
        return printf("brk: memory given back and taken again is not zero\n"), 1;
    printf("brk: grew, zero, shrank, grew again zero\n");
    return 0;
}

static int check_mmap(void)
{
    size_t len = 1 << 20;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

    if (p == MAP_FAILED)
        return printf("mmap: failed\n"), 1;
    if (!all_zero(p, len))
        return printf("mmap: not zero\n"), 1;
    for (size_t i = 0; i < len; i += 4096)
        p[i] = (unsigned char)(i >> 12);
    for (size_t i = 0; i < len; i += 4096)
        if (p[i] != (unsigned char)(i >> 12))
            return printf("mmap: read back wrong\n"), 1;
    q = mmap(p + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (q != p + 4096 || q[0] != 0)
        return printf("mmap: MAP_FIXED over a page did not give a fresh page\n"), 1;
    if (munmap(p, len) != 0)
        return printf("munmap: failed\n"), 1;
    if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, 0, 0) != MAP_FAILED)
        return printf("mmap: a file mapping was accepted\n"), 1;
    printf("mmap: 1 MiB zero, written, read back, MAP_FIXED, unmapped\n");
    return 0;
}

static int check_malloc(void)
{
    size_t len = 10 << 20;
    char *big = malloc(len);

    if (!big)
        return printf("malloc: 10 MiB failed\n"), 1;
    memset(big, 'x', len);
    if (big[len - 1] != 'x')
        return printf("malloc: read back wrong\n"), 1;
    free(big);
    printf("malloc: 10 MiB written and freed\n");
    return 0;
}

int main(void)
{
    int bad = check_brk() + check_mmap() + check_malloc();

    printf("brkmmap: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
