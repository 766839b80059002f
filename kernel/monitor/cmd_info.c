/*
 * cmd_info.c - the monitor's commands on the boot's record: bootinfo (the
 * summary line report_summary logged), timeline (the rows of the boot
 * timeline, kernel/boot/), dmesg (the log printk holds). Each prints the
 * text the kernel logged, made by the same functions, so a test can
 * compare the two.
 */
#include <stdint.h>

#include "boot/report.h"
#include "format.h"
#include "mm/heap.h"
#include "monitor/commands.h"
#include "printk.h"
#include "timer/clock.h"

int monitor_cmd_bootinfo(struct monitor *m, int argc, char **argv)
{
    char line[PRINTK_LINE_MAX];

    (void)argc;
    (void)argv;
    report_summary_format(line, sizeof line);
    monitor_printf(m, "%s\n", line);
    return 0;
}

static void timeline_row(void *ctx, const char *name, int name_len, uint64_t prev, uint64_t now)
{
    char line[PRINTK_LINE_MAX];

    report_timeline_format(line, sizeof line, name, name_len, prev, now);
    monitor_printf(ctx, "%s\n", line);
}

int monitor_cmd_timeline(struct monitor *m, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    report_timeline_rows(timeline_row, m);
    return 0;
}

struct dmesg_walk {
    struct monitor *m;
    size_t skip;                        /* lines not shown (before the last LINES) */
};

static void dmesg_line(const struct printk_line *l, void *arg)
{
    struct dmesg_walk *w = arg;

    if (w->skip) {
        w->skip--;
        return;
    }
    monitor_printf(w->m, "[%5llu.%06llu] %.*s\n", (unsigned long long)(l->time_ns / NS_PER_SEC),
                   (unsigned long long)(l->time_ns % NS_PER_SEC / NS_PER_US), (int)l->len, l->text);
}

static void ignore_line(const struct printk_line *l, void *arg)
{
    (void)l;
    (void)arg;
}

/* "dmesg 20": a count of lines, 1 or more. */
static int parse_lines(const char *s, size_t *out)
{
    size_t n = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > 100000000)
            return -1;
        n = n * 10 + (size_t)(*s - '0');
    }
    *out = n;
    return n ? 0 : -1;
}

int monitor_cmd_dmesg(struct monitor *m, int argc, char **argv)
{
    struct dmesg_walk w = { m, 0 };
    size_t want = 0, n, lines;
    char *log;

    if (argc > 1 && parse_lines(argv[1], &want) != 0)
        return monitor_error(m, "dmesg", "'%s' is not a count of lines (1 or more)", argv[1]);
    if (!(log = kmalloc(PRINTK_LOG_SIZE)))
        return monitor_error(m, "dmesg", "no memory for a copy of the log");
    n = printk_log_read(log, PRINTK_LOG_SIZE);
    lines = printk_log_lines(log, n, ignore_line, 0);
    if (want && want < lines)
        w.skip = lines - want;
    printk_log_lines(log, n, dmesg_line, &w);
    kfree(log);
    return 0;
}
