/*
 * ps.c - ps: the processes, one line each, from /proc/N/stat, status and
 * cmdline (procs.c; docs/tools.md):
 *     PID  PPID   UID S TTY         TIME CMD
 *       1     0     0 S ttyS0    0:00.02 /sbin/init
 * TIME is the CPU time used (user and system), minutes, seconds and
 * hundredths; CMD the arguments, or [NAME] for a process without any.
 * -p PID shows only that process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "procs.h"
#include "tools.h"

#define USER_HZ 100

static void usage(void)
{
    fprintf(stderr, "usage: ps [-p PID]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long only = 0;
    unsigned n, shown = 0;
    struct procs_entry *list;
    int opt;

    tool_name = "ps";
    while ((opt = getopt(argc, argv, "p:")) != -1)
        if (opt != 'p' || tool_parse_number(optarg, &only) != 0 || only <= 0)
            usage();
    if (optind != argc)
        usage();
    list = procs_list(&n);
    printf("%5s %5s %5s %c %-8s %10s %s\n", "PID", "PPID", "UID", 'S', "TTY", "TIME", "CMD");
    for (unsigned i = 0; i < n; i++) {
        const struct procs_entry *e = &list[i];
        char tty[16];

        if (only && e->pid != only)
            continue;
        procs_tty_name(e->tty_nr, tty, sizeof tty);
        printf("%5d %5d %5u %c %-8s %4llu:%02llu.%02llu %s\n", e->pid, e->ppid, e->uid, e->state, tty,
               (unsigned long long)(e->ticks / USER_HZ / 60), (unsigned long long)(e->ticks / USER_HZ % 60),
               (unsigned long long)(e->ticks % USER_HZ), e->cmd);
        shown++;
    }
    free(list);
    return only && !shown ? 1 : 0;
}
