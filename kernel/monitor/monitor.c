/*
 * monitor.c - the monitor's loop and its dispatcher (see monitor.h): a
 * line from the editor is split into words, the first names a command of
 * commands.h, the argument count is checked against the table, and the
 * command runs. Unknown commands and wrong counts get one line of error.
 */
#include <stdarg.h>
#include <string.h>

#include "format.h"
#include "monitor/commands.h"
#include "monitor/monitor.h"
#include "mutant.h"
#include "printk.h"

#define MONITOR_LINE_MAX    PRINTK_LINE_MAX

#define MONITOR_ENTRY(n, min, max, usage, help) { #n, (min), (max), (usage), (help), monitor_cmd_##n },
const struct monitor_command monitor_commands[] = { MONITOR_COMMANDS(MONITOR_ENTRY) };
#undef MONITOR_ENTRY
const unsigned monitor_command_count = sizeof monitor_commands / sizeof monitor_commands[0];

static void editor_write(void *ctx, const char *buf, size_t n)
{
    struct monitor *m = ctx;

    m->io.write(m->io.ctx, buf, n);
}

void monitor_init(struct monitor *m, const struct monitor_io *io)
{
    m->io = *io;
    lineedit_init(&m->le, MONITOR_PROMPT, io->cols, editor_write, m);
}

void monitor_write(struct monitor *m, const char *s, size_t n)
{
    m->io.write(m->io.ctx, s, n);
}

void monitor_printf(struct monitor *m, const char *fmt, ...)
{
    char buf[MONITOR_LINE_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = format_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;
    monitor_write(m, buf, (size_t)n);
}

int monitor_error(struct monitor *m, const char *name, const char *fmt, ...)
{
    char buf[MONITOR_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    format_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    monitor_printf(m, "%s: %s\n", name, buf);
    return -1;
}

int monitor_getc(struct monitor *m, char *c, int nonblock)
{
    return m->io.read(m->io.ctx, c, nonblock);
}

/* Words of line, split at spaces in place; returns their count (at most max). */
static int split(char *line, char **argv, int max)
{
    int argc = 0;

    for (char *p = line; *p;) {
        while (*p == ' ')
            *p++ = 0;
        if (!*p)
            break;
        if (argc == max)
            return max + 1;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return argc;
}

static const struct monitor_command *find(const char *name)
{
    for (unsigned i = 0; i < monitor_command_count; i++)
        if (strcmp(monitor_commands[i].name, name) == 0)
            return &monitor_commands[i];
    return 0;
}

/* The table's argument count for c, or its one-line error. */
static int check_args(struct monitor *m, const struct monitor_command *c, int args)
{
    if (MUTANT_ENABLED(monitor_args) || (args >= c->min_args && args <= c->max_args))
        return 0;
    if (c->max_args == 0)
        return monitor_error(m, c->name, "takes no arguments (usage: %s)", c->name);
    return monitor_error(m, c->name, "usage: %s %s", c->name, c->usage);
}

int monitor_execute(struct monitor *m, char *line)
{
    char *argv[MONITOR_ARGS_MAX];
    int argc = split(line, argv, MONITOR_ARGS_MAX);
    const struct monitor_command *c;

    if (argc == 0)
        return 0;
    if (!(c = find(argv[0])))
        return monitor_error(m, "monitor", "unknown command '%s' (help lists the commands)", argv[0]);
    if (argc > MONITOR_ARGS_MAX)
        return monitor_error(m, c->name, "too many words (at most %d)", MONITOR_ARGS_MAX);
    if (check_args(m, c, argc - 1) != 0)
        return -1;
    return c->fn(m, argc, argv);
}

void monitor_run(struct monitor *m)
{
    char c;

    lineedit_begin(&m->le);
    while (monitor_getc(m, &c, 0) == 1) {
        enum lineedit_result r = lineedit_feed(&m->le, c);
        char line[LINEEDIT_MAX];

        if (r == LINEEDIT_MORE)
            continue;
        if (r == LINEEDIT_LINE) {
            memcpy(line, lineedit_line(&m->le), LINEEDIT_MAX);
            monitor_execute(m, line);
        }
        lineedit_begin(&m->le);
    }
}

int monitor_cmd_help(struct monitor *m, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (unsigned i = 0; i < monitor_command_count; i++) {
        const struct monitor_command *c = &monitor_commands[i];
        char call[40];

        format_snprintf(call, sizeof call, "%s %s", c->name, c->usage);
        monitor_printf(m, "  %-28s %s\n", call, c->help);
    }
    return 0;
}
