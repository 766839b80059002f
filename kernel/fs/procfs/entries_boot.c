/*
 * entries_boot.c - /proc entries about the boot and the kernel itself:
 *   bootinfo   the "bootinfo: ..." summary line the kernel logged (boot/report.h)
 *   timeline   every "timeline: ..." row: the loader's steps and the kernel's phases
 *   cmdline    the kernel command line, as Linux's /proc/cmdline (one line)
 *   version    "Tessera version 0.1 (x86_64)", in the place of Linux's "Linux version ..."
 * Each is printed by the same function that made the logged line, so the
 * two never differ.
 */
#include "boot/bootinfo_view.h"
#include "boot/report.h"
#include "fs/procfs/procfs.h"
#include "printk.h"
#include "version.h"

void procfs_show_bootinfo(struct procfs_text *t)
{
    char line[PRINTK_LINE_MAX];

    report_summary_format(line, sizeof line);
    procfs_printf(t, "%s\n", line);
}

static void timeline_row(void *ctx, const char *name, int name_len, uint64_t prev, uint64_t now)
{
    char line[PRINTK_LINE_MAX];

    report_timeline_format(line, sizeof line, name, name_len, prev, now);
    procfs_printf(ctx, "%s\n", line);
}

void procfs_show_timeline(struct procfs_text *t)
{
    report_timeline_rows(timeline_row, t);
}

void procfs_show_cmdline(struct procfs_text *t)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);

    procfs_printf(t, "%.*s\n", (int)len, cmdline);
}

void procfs_show_version(struct procfs_text *t)
{
    procfs_printf(t, "%s version %s (x86_64)\n", TESSERA_NAME, TESSERA_VERSION);
}
