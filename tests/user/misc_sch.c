/*
 * misc_sch.c - sched_yield, sched_getaffinity/sched_setaffinity and getcpu:
 * pinned to the first CPU it may use the program runs there, unpinned
 * it may run anywhere it could before (the test runner may have given it
 * fewer CPUs than the machine has), and the errors (an empty mask, only a CPU that is not there, a
 * short buffer, another pid, bad pointers). The CPU count differs between
 * machines, so masks are printed as checks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    bad += !ok;
}

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static unsigned cpu_now(void)
{
    unsigned cpu = 99, node = 99;

    syscall(SYS_getcpu, &cpu, &node, NULL);
    return cpu;
}

int main(void)
{
    uint64_t all = 0, m = 0, zero = 0, far = 1ull << 63, first;
    unsigned node = 99, cpu = 99;

    result("sched_yield", syscall(SYS_sched_yield));
    result("sched_getaffinity 8 bytes", syscall(SYS_sched_getaffinity, 0, 8, &all));
    check("sched_getaffinity: some CPU in the mask", all != 0);
    first = all & -all;
    result("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
    check("getcpu: a CPU of the mask, node 0", cpu < 64 && (all >> cpu & 1) && node == 0);
    result("sched_setaffinity the mask's first CPU", syscall(SYS_sched_setaffinity, 0, 8, &first));
    result("sched_getaffinity", syscall(SYS_sched_getaffinity, 0, 8, &m));
    check("sched_getaffinity: only that CPU", m == first);
    {
        int there = 1;

        for (int i = 0; i < 20; i++) {
            syscall(SYS_sched_yield);
            there &= 1ull << cpu_now() == first;
        }
        check("pinned: getcpu says that CPU across 20 yields", there);
    }
    result("sched_setaffinity back to all", syscall(SYS_sched_setaffinity, 0, 8, &all));
    syscall(SYS_sched_getaffinity, 0, 8, &m);
    check("sched_getaffinity: the first mask again", m == all);
    result("sched_setaffinity own pid", syscall(SYS_sched_setaffinity, getpid(), 8, &all));
    result("sched_setaffinity empty mask", syscall(SYS_sched_setaffinity, 0, 8, &zero));
    result("sched_setaffinity only CPU 63", syscall(SYS_sched_setaffinity, 0, 8, &far));
    result("sched_getaffinity 4 bytes", syscall(SYS_sched_getaffinity, 0, 4, &m));
    result("sched_getaffinity pid 999999", syscall(SYS_sched_getaffinity, 999999, 8, &m));
    result("sched_setaffinity pid 999999", syscall(SYS_sched_setaffinity, 999999, 8, &all));
    result("sched_getaffinity into an unmapped address", syscall(SYS_sched_getaffinity, 0, 8, (void *)0x1000));
    result("sched_setaffinity from an unmapped address", syscall(SYS_sched_setaffinity, 0, 8, (void *)0x1000));
    result("getcpu into an unmapped address", syscall(SYS_getcpu, (void *)0x1000, NULL, NULL));
    printf("misc_sch: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
