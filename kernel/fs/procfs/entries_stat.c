/*
 * entries_stat.c - /proc/stat in Linux's format (fs/proc/stat.c), the CPU
 * times from the scheduler's per-thread accounting:
 *   cpu  USER NICE SYSTEM IDLE IOWAIT IRQ SOFTIRQ STEAL GUEST GUEST_NICE
 *   cpuN ...                      one line per CPU
 *   intr TOTAL                    interrupts delivered, all lines together
 *   ctxt N                        context switches since boot
 *   btime SECONDS                 when the kernel started (the epoch's seconds)
 *   processes N, procs_running N, procs_blocked 0
 * Times are in USER_HZ (100 per second), as Linux gives them whatever its
 * tick. A CPU's idle time is its idle thread's; everything else it did is
 * counted as system time (there is no user mode yet).
 */
#include <string.h>

#include "apic/irq.h"
#include "format.h"
#include "fs/procfs/procfs.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "timer/clock.h"

#define USER_HZ         100
#define NS_PER_TICK     (1000000000ull / USER_HZ)
#define THREADS_SPARE   8               /* room for threads made while the list is copied */

/* The scheduler's list of threads (heap; the caller frees), *n of them. */
static struct sched_thread_info *threads(unsigned *n)
{
    unsigned room = sched_threads() + THREADS_SPARE;
    struct sched_thread_info *th = kcalloc(room, sizeof *th);

    *n = th ? sched_thread_list(th, room) : 0;
    if (*n > room)
        *n = room;
    return th;
}

/* CPU of an idle thread by its name ("idle3" -> 3), or -1 for any other thread. */
static int idle_cpu(const struct sched_thread_info *t)
{
    int cpu = 0;

    if (strncmp(t->name, "idle", 4) != 0 || !t->name[4])
        return -1;
    for (const char *c = t->name + 4; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        cpu = cpu * 10 + (*c - '0');
    }
    return cpu;
}

uint64_t procfs_idle_ns(int cpu)
{
    unsigned n;
    struct sched_thread_info *th = threads(&n);
    uint64_t sum = 0;

    for (unsigned i = 0; i < n; i++)
        if (idle_cpu(&th[i]) >= 0 && (cpu < 0 || idle_cpu(&th[i]) == cpu))
            sum += th[i].run_ns;
    kfree(th);
    return sum;
}

static void cpu_line(struct procfs_text *t, const char *name, uint64_t total_ns, uint64_t idle_ns)
{
    uint64_t busy = total_ns > idle_ns ? total_ns - idle_ns : 0;

    procfs_printf(t, "%s 0 0 %llu %llu 0 0 0 0 0 0\n", name, (unsigned long long)(busy / NS_PER_TICK),
                  (unsigned long long)(idle_ns / NS_PER_TICK));
}

void procfs_show_stat(struct procfs_text *t)
{
    unsigned cpus = sched_cpus(), n, running = 0;
    struct sched_thread_info *th = threads(&n);
    uint64_t now = clock_ns(), intr = 0;
    char name[16];

    cpu_line(t, "cpu ", now * cpus, procfs_idle_ns(-1));
    for (unsigned c = 0; c < cpus; c++) {
        format_snprintf(name, sizeof name, "cpu%u", c);
        cpu_line(t, name, now, procfs_idle_ns((int)c));
    }
    for (int h = 0; h < IRQ_MAX_HANDLES; h++)
        if (irq_cpu_of(h) >= 0)
            intr += irq_count(h);
    for (unsigned i = 0; i < n; i++)
        running += idle_cpu(&th[i]) < 0 && (th[i].state == THREAD_RUNNING || th[i].state == THREAD_RUNNABLE);
    kfree(th);
    procfs_printf(t, "intr %llu\nctxt %llu\nbtime %lld\n", (unsigned long long)intr,
                  (unsigned long long)sched_switches(), (long long)(vfs_now().sec - (int64_t)(now / 1000000000ull)));
    procfs_printf(t, "processes %u\nprocs_running %u\nprocs_blocked 0\n", n, running);
}
