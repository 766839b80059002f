/*
 * dmesg.c - dmesg: the kernel's log with each line's level, read as
 * busybox's dmesg reads it, through syslog(2) (klogctl: SIZE_BUFFER, then
 * READ_ALL), whose lines are "<L>[SECONDS.MICROS] text" (docs/tools.md):
 *   info   [    0.052341] [pci] 00:1f.2 8086:2922 class 01.06.01 ahci
 * Options: -l LEVEL[,LEVEL...] only those levels (names or 0..7), -r the
 * lines as syslog gives them, -n LEVEL the console's level (what printk
 * still writes to the screen and the serial port; CONSOLE_LEVEL).
 * With TESSERA_PROC set, the log is read from the file "syslog" in that
 * folder instead (the host tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "tools.h"

#define SYSLOG_ACTION_READ_ALL       3      /* linux/syslog.h */
#define SYSLOG_ACTION_CONSOLE_LEVEL  8
#define SYSLOG_ACTION_SIZE_BUFFER    10
#define LEVELS                       8

static const char *const level_names[LEVELS] = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };

static void usage(void)
{
    fprintf(stderr, "usage: dmesg [-r] [-l LEVEL[,LEVEL...]] [-n LEVEL]\n"
                    "  LEVEL: emerg alert crit err warn notice info debug, or 0..7\n");
    exit(2);
}

static int level_of(const char *word, size_t len)
{
    for (int i = 0; i < LEVELS; i++)
        if (strlen(level_names[i]) == len && strncmp(word, level_names[i], len) == 0)
            return i;
    if (len == 1 && word[0] >= '0' && word[0] <= '7')
        return word[0] - '0';
    return -1;
}

/* "-l err,warn" as a bit set of levels. */
static unsigned parse_levels(const char *list)
{
    unsigned set = 0;

    while (*list) {
        size_t len = strcspn(list, ",");
        int level = level_of(list, len);
        if (level < 0)
            tool_fail("unknown level \"%.*s\" (emerg alert crit err warn notice info debug, or 0..7)", (int)len, list);
        set |= 1u << level;
        list += len + (list[len] == ',');
    }
    return set;
}

/* The log's text: through syslog(2), or the file under TESSERA_PROC. */
static char *read_log(void)
{
    int size;
    char *buf;

    if (getenv("TESSERA_PROC"))
        return tool_read_proc_or_fail("syslog", NULL);
    if ((size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0)) <= 0)
        tool_fail("syslog(SIZE_BUFFER): %s", size < 0 ? strerror(errno) : "an empty log");
    if (!(buf = malloc((size_t)size + 1)))
        tool_fail("out of memory");
    if ((size = klogctl(SYSLOG_ACTION_READ_ALL, buf, size)) < 0)
        tool_fail("syslog(READ_ALL): %s", strerror(errno));
    buf[size] = 0;
    return buf;
}

/* One line "<L>rest": shown with its level's name, when its level is wanted. */
static void show_line(const char *line, unsigned wanted, int raw)
{
    int level = 6;                                  /* a line without <L>: info, as Linux takes it */
    const char *rest = line;

    if (line[0] == '<' && line[1] >= '0' && line[1] <= '9') {
        char *end;
        long v = strtol(line + 1, &end, 10);
        if (*end == '>') {
            level = (int)(v & 7);                   /* the facility sits above the level's three bits */
            rest = end + 1;
        }
    }
    if (wanted && !(wanted & 1u << level))
        return;
    if (raw)
        printf("%s\n", line);
    else
        printf("%-6s %s\n", level_names[level], rest);
}

int main(int argc, char **argv)
{
    unsigned wanted = 0;
    int raw = 0, console = -1, opt;
    char *text, *line, *save = NULL;

    tool_name = "dmesg";
    while ((opt = getopt(argc, argv, "rl:n:")) != -1) {
        if (opt == 'r')
            raw = 1;
        else if (opt == 'l')
            wanted |= parse_levels(optarg);
        else if (opt == 'n' && (console = level_of(optarg, strlen(optarg))) < 0)
            tool_fail("unknown level \"%s\"", optarg);
        else if (opt != 'n')
            usage();
    }
    if (optind != argc)
        usage();
    if (console >= 0) {
        if (klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, console + 1) < 0)
            tool_fail("syslog(CONSOLE_LEVEL, %d): %s", console + 1, strerror(errno));
        return 0;
    }
    text = read_log();
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        show_line(line, wanted, raw);
    free(text);
    return 0;
}
