/*
 * first_read.c - the boot's first read from a terminal by a process, said
 * once: "[tty] first read by PID N (NAME) at N.NNN ms since kernel entry".
 * On a normal boot that is the login shell on ttyS0 or tty1 waiting at its
 * prompt, so the line gives the time from the kernel's entry to a prompt
 * (docs/userland.md). The clock is clock_ns(): TSC ticks since kmain's
 * first rdtsc. Kernel threads (the monitor, the tests' readers) do not
 * count: the line is about processes.
 */
#include <stdint.h>

#include "printk.h"
#include "proc/proc.h"
#include "timer/clock.h"
#include "tty/tty.h"

static int said;                        /* set once, by whichever reader comes first */

void tty_note_first_read(void)
{
    struct proc *p = proc_current();
    uint64_t ns;

    if (!p || __atomic_load_n(&said, __ATOMIC_RELAXED) || __atomic_exchange_n(&said, 1, __ATOMIC_ACQ_REL))
        return;
    ns = clock_ns();
    printk(LOG_INFO, "[tty] first read by PID %d (%s) at %llu.%03llu ms since kernel entry\n", p->pid, p->name,
           (unsigned long long)(ns / NS_PER_MS), (unsigned long long)(ns % NS_PER_MS / NS_PER_US));
}
