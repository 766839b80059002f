/*
 * bench_proc.c - bench=proc: what a system call costs from ring 3 and
 * back, the null call issue 16 sets a goal for (getppid; Linux 6.1: 337
 * instructions, goal <= 170).
 *
 * A tiny program (tiny_elf.h) calls getppid BENCH_SYSCALLS times in a
 * loop and exits; the same program with no calls is the baseline. Each is
 * run BENCH_TRIALS times, timed from spawn to the end of the wait; the
 * median of the baseline is taken from the median of the loop and divided
 * by the count. So the figure is one SYSCALL, the entry, the dispatch,
 * getppid, SYSRET, and the loop's own two instructions (dec, jnz), as
 * Linux's anchor counts its loop. Under -icount shift=0 the TSC counts
 * instructions (bench.h).
 */
#include <stdint.h>

#include "arch.h"
#include "printk.h"
#include "test/bench.h"
#include "test/tiny_elf.h"

#define BENCH_SYSCALLS  20000

/* mov ebx, N; 1: mov eax, 110 (getppid); syscall; dec ebx; jnz 1b; exit(0) */
#define PROG(n) { 0xBB, (n) & 0xFF, ((n) >> 8) & 0xFF, ((n) >> 16) & 0xFF, 0, MOV_EAX(110), SYSCALL, \
                  0xFF, 0xCB, 0x75, 0xF5, MOV_EDI(0), MOV_EAX(60), SYSCALL }

static uint64_t median_run(struct tiny *p)
{
    uint64_t t[BENCH_TRIALS];

    for (int i = 0; i < BENCH_TRIALS; i++) {
        uint64_t t0 = arch_rdtsc();
        if (tiny_run(p, "nullcall") != 0)
            return 0;
        t[i] = arch_rdtsc() - t0;
    }
    bench_sort(t, BENCH_TRIALS);
    return t[BENCH_TRIALS / 2];
}

int bench_proc_run(void)
{
    static const uint8_t loop[] = PROG(BENCH_SYSCALLS), once[] = PROG(1);
    struct tiny p;
    uint64_t with, base;

    tiny_build(&p, loop, sizeof loop);
    with = median_run(&p);
    tiny_build(&p, once, sizeof once);
    base = median_run(&p);
    if (!with || !base || with <= base) {
        printk(LOG_WARN, "bench: null_syscall: the program did not run\n");
        return 1;
    }
    bench_report("null_syscall", (with - base) / (BENCH_SYSCALLS - 1));
    return 0;
}
