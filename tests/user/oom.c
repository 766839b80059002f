/*
 * oom.c - running out of memory ends the largest process, not the kernel:
 * a child touches fresh anonymous memory until the out-of-memory killer
 * (kernel/proc/oom.c) ends it with SIGKILL; the parent, small, lives on,
 * and the memory comes back (MemFree within a slack of what it was before,
 * and a second child can touch 16 MiB). Tessera only: on the host it would
 * eat the host's memory.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK       (1L << 20)
#define SECOND_MIB  16
#define SLACK_KIB   1024        /* the kernel's caches and the freed page tables' timing */

static int failures;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    if (!ok)
        failures++;
}

static long mem_free_kib(void)
{
    char line[128];
    long kib = -1;
    FILE *f = fopen("/proc/meminfo", "r");

    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

/* A child that touches `mib` MiB (or for ever with 0) a page at a time; its wait status. */
static int toucher(long mib)
{
    int status = -1;
    pid_t pid = fork();

    if (pid == 0) {
        for (long n = 0; mib == 0 || n < mib; n++) {
            char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED)
                _exit(3);
            for (long i = 0; i < CHUNK; i += 4096)
                p[i] = 1;
        }
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

int main(void)
{
    long before = mem_free_kib(), after;
    int status;

    printf("oom: MemFree before: %s\n", before > 0 ? "read" : "unreadable");
    status = toucher(0);
    check("the hungry child was killed by SIGKILL", status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    after = mem_free_kib();
    check("its memory came back", before > 0 && after >= before - SLACK_KIB);
    if (after < before - SLACK_KIB)
        printf("oom: MemFree %ld kB before, %ld kB after\n", before, after);
    status = toucher(SECOND_MIB);
    check("a second child touches 16 MiB and exits 0", status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    printf(failures ? "oom: %d FAILED\n" : "oom: all passed\n", failures);
    return failures != 0;
}
