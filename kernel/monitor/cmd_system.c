/*
 * cmd_system.c - the monitor's view of the kernel's state: mem (the frame
 * allocator, the heap and its slab caches, kernel/mm/), ps (the threads,
 * kernel/sched/), irq (what each claimed line and message vector has
 * received, drivers/apic/irq.c). Each reads the subsystem's counters
 * through its query functions; nothing here takes a subsystem's lock.
 */
#include "apic/irq.h"
#include "format.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "monitor/commands.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define FRAMES_PER_MIB  256             /* 4 KiB frames */
#define PS_SPARE        8               /* room for threads made while the list is copied */

int monitor_cmd_mem(struct monitor *m, int argc, char **argv)
{
    struct heap_stats h = heap_stats();
    uint64_t managed = mm_frames()->managed_frames, free = mm_frames_free();

    (void)argc;
    (void)argv;
    monitor_printf(m, "frames: %llu free of %llu managed (%llu MiB of %llu MiB)\n",
                   (unsigned long long)free, (unsigned long long)managed,
                   (unsigned long long)(free / FRAMES_PER_MIB), (unsigned long long)(managed / FRAMES_PER_MIB));
    monitor_printf(m, "heap: %llu objects in %llu KiB of slabs, %llu large allocations in %llu pages\n",
                   (unsigned long long)h.small_active, (unsigned long long)(h.small_bytes >> 10),
                   (unsigned long long)h.large_active, (unsigned long long)h.large_pages);
    monitor_printf(m, "  %-13s %8s %8s %6s\n", "cache", "active", "objects", "slabs");
    for (unsigned i = 0; i < HEAP_CLASSES; i++) {
        struct slab_stats s = kmem_cache_stats(heap_class(i));

        monitor_printf(m, "  %-13s %8llu %8llu %6llu\n", heap_class(i)->name, (unsigned long long)s.active,
                       (unsigned long long)s.total, (unsigned long long)s.slabs);
    }
    return 0;
}

int monitor_cmd_ps(struct monitor *m, int argc, char **argv)
{
    unsigned room = sched_threads() + PS_SPARE, n;
    struct sched_thread_info *t = kcalloc(room, sizeof *t);

    (void)argc;
    (void)argv;
    if (!t)
        return monitor_error(m, "ps", "no memory for the list of %u threads", room);
    n = sched_thread_list(t, room);
    monitor_printf(m, "%4s %-20s %-6s %3s %5s %12s %10s\n", "id", "name", "state", "cpu", "prio",
                   "run_us", "switches");
    for (unsigned i = 0; i < n && i < room; i++)
        monitor_printf(m, "%4llu %-20s %-6s %3d %2d/%-2d %12llu %10llu\n", (unsigned long long)t[i].id,
                       t[i].name, sched_state_name(t[i].state), t[i].cpu, t[i].prio, t[i].base_prio,
                       (unsigned long long)(t[i].run_ns / NS_PER_US), (unsigned long long)t[i].switches);
    kfree(t);
    return 0;
}

/* One handle's row: its line (or "msi"), vector, and its count in its CPU's column. */
static void irq_row(struct monitor *m, int handle, unsigned cpus)
{
    int64_t line = irq_line_of(handle);
    char where[16];

    if (line >= 0)
        format_snprintf(where, sizeof where, "%s %lld", irq_mode() == IRQ_MODE_APIC ? "GSI" : "IRQ",
                        (long long)line);
    else
        format_snprintf(where, sizeof where, "msi");
    monitor_printf(m, "%6d  %-8s 0x%02x", handle, where, irq_vector_of(handle));
    for (unsigned c = 0; c < cpus; c++)
        monitor_printf(m, " %10llu", (unsigned long long)(irq_cpu_of(handle) == (int)c ? irq_count(handle) : 0));
    monitor_printf(m, "\n");
}

int monitor_cmd_irq(struct monitor *m, int argc, char **argv)
{
    unsigned cpus = sched_cpus(), rows = 0;

    (void)argc;
    (void)argv;
    if (irq_mode() == IRQ_MODE_NONE)
        return monitor_error(m, "irq", "no interrupt controller set up");
    monitor_printf(m, "%6s  %-8s %4s", "handle", "line", "vec");
    for (unsigned c = 0; c < cpus; c++) {
        char name[12];

        format_snprintf(name, sizeof name, "CPU%u", c);
        monitor_printf(m, " %10s", name);
    }
    monitor_printf(m, "\n");
    for (int h = 0; h < IRQ_MAX_HANDLES; h++)
        if (irq_cpu_of(h) >= 0) {
            irq_row(m, h, cpus);
            rows++;
        }
    monitor_printf(m, "%u lines and vectors claimed (%s mode)\n", rows,
                   irq_mode() == IRQ_MODE_APIC ? "APIC" : "8259 PIC");
    return 0;
}
