/*
 * entries_system.c - /proc entries about memory, time and interrupts, in
 * Linux's formats (fs/proc/meminfo.c, uptime.c, interrupts.c):
 *   meminfo     "Name:" left-aligned in 16 columns, the value in kB right-aligned
 *               in 8, " kB": what free(1) reads. MemTotal is the frames the
 *               allocator manages, MemFree its free ones, Cached the page
 *               cache, MemAvailable free plus clean cache (which can be dropped)
 *   uptime      seconds since the kernel started and the idle threads' summed
 *               time (entries_stat.c), both with two decimals
 *   interrupts  a CPUn column per CPU, one row per claimed line or MSI vector
 */

#include "apic/irq.h"
#include "fs/pagecache.h"
#include "fs/procfs/procfs.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mutant.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define KB_PER_FRAME    4

static void meminfo_row(struct procfs_text *t, const char *name, uint64_t kb)
{
    procfs_printf(t, "%-16s%8llu kB\n", name, (unsigned long long)kb);
}

void procfs_show_meminfo(struct procfs_text *t)
{
    struct pagecache_stats pc = pagecache_stats();
    struct heap_stats h = heap_stats();
    uint64_t total = mm_frames()->managed_frames * KB_PER_FRAME, free = mm_frames_free() * KB_PER_FRAME;
    uint64_t cached = pc.pages * KB_PER_FRAME, dirty = pc.dirty * KB_PER_FRAME;

    meminfo_row(t, "MemTotal:", total);
    meminfo_row(t, "MemFree:", MUTANT_ENABLED(meminfo_free) ? total : free);
    meminfo_row(t, "MemAvailable:", free + cached - dirty);
    meminfo_row(t, "Buffers:", 0);          /* metadata buffers live in the file systems' caches */
    meminfo_row(t, "Cached:", cached);
    meminfo_row(t, "SwapCached:", 0);
    meminfo_row(t, "Dirty:", dirty);
    meminfo_row(t, "Writeback:", 0);
    meminfo_row(t, "Shmem:", 0);
    meminfo_row(t, "Slab:", (h.small_bytes >> 10) + h.large_pages * KB_PER_FRAME);
    meminfo_row(t, "SwapTotal:", 0);
    meminfo_row(t, "SwapFree:", 0);
}

/* Nanoseconds as Linux's uptime prints seconds: "12.34". */
static void seconds(struct procfs_text *t, uint64_t ns, const char *end)
{
    uint64_t cs = ns / 10000000;            /* hundredths */

    procfs_printf(t, "%llu.%02llu%s", (unsigned long long)(cs / 100), (unsigned long long)(cs % 100), end);
}

void procfs_show_uptime(struct procfs_text *t)
{
    seconds(t, clock_ns(), " ");
    seconds(t, procfs_idle_ns(-1), "\n");
}

void procfs_show_interrupts(struct procfs_text *t)
{
    unsigned cpus = sched_cpus();

    procfs_printf(t, "    ");
    for (unsigned c = 0; c < cpus; c++)
        procfs_printf(t, "       CPU%-2u", c);
    procfs_printf(t, "\n");
    for (int h = 0; h < IRQ_MAX_HANDLES; h++) {
        int64_t line = irq_line_of(h);

        if (irq_cpu_of(h) < 0)
            continue;
        procfs_printf(t, "%3d:", h);
        for (unsigned c = 0; c < cpus; c++)
            procfs_printf(t, " %12llu", (unsigned long long)(irq_cpu_of(h) == (int)c ? irq_count(h) : 0));
        if (line >= 0)
            procfs_printf(t, "  %s %lld  vector 0x%02x\n", irq_mode() == IRQ_MODE_APIC ? "IO-APIC" : "XT-PIC",
                          (long long)line, irq_vector_of(h));
        else
            procfs_printf(t, "  PCI-MSI  vector 0x%02x\n", irq_vector_of(h));
    }
}
