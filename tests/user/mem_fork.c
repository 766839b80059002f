/*
 * mem_fork.c - memory across fork: private pages copied on write (the
 * child's writes unseen by the parent and the parent's by the child),
 * MAP_SHARED anonymous memory seen by both (a page first touched by the
 * child included), MADV_DONTNEED in the child leaving the parent's pages,
 * and faults taken in children (a write to a read-only page, a read of
 * PROT_NONE, a write after mprotect made a page read-only, a write where
 * nothing is mapped), each ending the child with SIGSEGV. Prints what it
 * sees; the host's Linux and Tessera must print the same. Its case waits
 * for fork on main (tests/cases.sh).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static int failures;
static char data_page[PAGE] __attribute__((aligned(PAGE))) = { 1 };

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    failures += !ok;
}

/* Run fn in a child; "exit N" or "signal N" as wait4 reports it. */
static const char *in_child(void (*fn)(void *), void *arg, char *buf)
{
    int status;
    pid_t pid;

    fflush(stdout);
    if ((pid = fork()) == 0) {
        fn(arg);
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return "fork or wait failed";
    if (WIFEXITED(status))
        sprintf(buf, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        sprintf(buf, "signal %d", WTERMSIG(status));
    else
        sprintf(buf, "status %#x", status);
    return buf;
}

static void write_byte(void *p) { *(volatile char *)p = 1; }
static void read_byte(void *p) { (void)*(volatile char *)p; }

/* The child's view of private memory: the parent's bytes, then its own. */
static void private_child(void *arg)
{
    unsigned char *p = arg;

    if (p[0] != 0xAA || p[PAGE] != 0xAB || data_page[0] != 1)
        _exit(2);
    p[0] = 0xCC;
    data_page[0] = 7;
    memset(p + PAGE, 0xCD, PAGE);
    if (p[0] != 0xCC || p[PAGE + 100] != 0xCD)
        _exit(3);
    _exit(0);
}

static void shared_child(void *arg)
{
    unsigned char *s = arg;

    if (s[0] != 0x11)
        _exit(2);
    s[0] = 0x22;
    s[3 * PAGE] = 0x33;                 /* a page nobody touched before the fork */
    _exit(0);
}

static void dontneed_child(void *arg)
{
    unsigned char *p = arg;

    madvise(p, 2 * PAGE, MADV_DONTNEED);
    _exit(p[0] == 0 && p[PAGE] == 0 ? 0 : 2);
}

/* Fork from a child that is itself a fork, each writing its own copy. */
static void grandchild_child(void *arg)
{
    unsigned char *p = arg;
    char buf[32];
    const char *r;

    p[0] = 0x55;
    r = in_child(private_child, p, buf);       /* sees 0x55, not 0xAA: exits 2 */
    _exit(strcmp(r, "exit 2") == 0 && p[0] == 0x55 ? 0 : 3);
}

int main(int argc, char **argv)
{
    unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *s = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    unsigned char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char buf[32];

    if (p == MAP_FAILED || s == MAP_FAILED || ro == MAP_FAILED || none == MAP_FAILED)
        return printf("mmap: failed\n"), 1;
    memset(p, 0xAA, PAGE);
    memset(p + PAGE, 0xAB, PAGE);
    s[0] = 0x11;

    printf("private child: %s\n", in_child(private_child, p, buf));
    check("parent's private pages unchanged", p[0] == 0xAA && p[PAGE + 100] == 0xAB && data_page[0] == 1);
    p[0] = 0xEE;                        /* the last sharer: in place */
    check("parent writes after", p[0] == 0xEE);
    p[0] = 0xAA;
    printf("grandchild: %s\n", in_child(grandchild_child, p, buf));
    check("parent's page still its own", p[0] == 0xAA);

    printf("shared child: %s\n", in_child(shared_child, s, buf));
    check("parent sees the child's shared write", s[0] == 0x22);
    check("parent sees a shared page the child touched first", s[3 * PAGE] == 0x33);

    printf("dontneed child: %s\n", in_child(dontneed_child, p, buf));
    check("parent's pages kept", p[0] == 0xAA && p[PAGE] == 0xAB);

    printf("write to read-only: %s\n", in_child(write_byte, ro, buf));
    printf("read of PROT_NONE: %s\n", in_child(read_byte, none, buf));
    mprotect(p, PAGE, PROT_READ);
    printf("write after mprotect read-only: %s\n", in_child(write_byte, p, buf));
    printf("write to unmapped: %s\n", in_child(write_byte, (void *)0x10000000000, buf));
    check("parent's read-only page unchanged", p[0] == 0xAA);
    printf("mem_fork: %s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
