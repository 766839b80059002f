/*
 * phases.c - the kernel's boot phases on the boot timeline (see
 * boot/phases.h).
 *
 * A phase is stamped at its end: its row shows the ticks since the previous
 * stamp (the kernel's entry for the first), like a loader step's row
 * (bootinfo.steps[], stamped as each step ends). The stamps live here, not
 * in the boot info: the loader's timeline is the loader's record, this one
 * the kernel's.
 */
#include <stdbool.h>

#include "arch.h"
#include "boot/phases.h"
#include "boot/report.h"
#include "format.h"
#include "printk.h"

struct boot_phase {
    const char *name;
    uint64_t tsc;
};

static struct boot_phase phases[BOOT_PHASES_MAX];
static unsigned phase_count;
static uint64_t entry_tsc;      /* set by boot_phases_report */
static bool live;               /* rows printed as phases end */

/* Phase i's row to fn: "kernel NAME", from the previous stamp to its own. */
static void phase_to(unsigned i, report_row_fn *fn, void *ctx)
{
    char name[8 + BOOT_PHASE_NAME_MAX];
    uint64_t prev = i ? phases[i - 1].tsc : entry_tsc;
    int len = format_snprintf(name, sizeof name, "kernel %s", phases[i].name);

    if (len >= (int)sizeof name)
        len = sizeof name - 1;
    fn(ctx, name, len, prev, phases[i].tsc);
}

static void print_row(void *ctx, const char *name, int name_len, uint64_t prev, uint64_t now)
{
    (void)ctx;
    report_timeline_row(name, name_len, prev, now);
}

static void phase_row(unsigned i)
{
    phase_to(i, print_row, 0);
}

void boot_phases_rows(report_row_fn *fn, void *ctx)
{
    for (unsigned i = 0; i < phase_count; i++)
        phase_to(i, fn, ctx);
}

uint64_t boot_phases_entry_tsc(void)
{
    return entry_tsc;
}

void boot_phase_done(const char *name)
{
    if (phase_count == BOOT_PHASES_MAX) {
        printk(LOG_WARN, "boot_phase_done: no room for phase %s (BOOT_PHASES_MAX %u)\n",
               name, BOOT_PHASES_MAX);
        return;
    }
    phases[phase_count].name = name;
    phases[phase_count].tsc = arch_rdtsc();
    if (live)
        phase_row(phase_count);
    phase_count++;
}

void boot_phases_report(uint64_t kernel_entry_tsc)
{
    entry_tsc = kernel_entry_tsc;
    for (unsigned i = 0; i < phase_count; i++)
        phase_row(i);
    live = true;
}
