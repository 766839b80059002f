/*
 * procs.c - the processes read from /proc (procs.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procs.h"
#include "tools.h"

#define TTY_MAJOR       4           /* ttyN: minor N; ttySN: minor 64 + N (Linux's devices.txt) */
#define SERIAL_MINOR    64

/* /proc/N/stat after "N (": state, ppid, and the fields to utime and stime. */
static int parse_stat(const char *text, struct procs_entry *e)
{
    const char *open = strchr(text, '('), *close = strrchr(text, ')');
    unsigned long long utime, stime;
    int pgrp, session;
    size_t len;

    if (!open || !close || close < open)
        return -1;
    len = (size_t)(close - open - 1);
    if (len >= sizeof e->comm)
        len = sizeof e->comm - 1;
    memcpy(e->comm, open + 1, len);
    e->comm[len] = 0;
    if (sscanf(close + 1, " %c %d %d %d %u %*d %*u %*u %*u %*u %*u %llu %llu", &e->state, &e->ppid, &pgrp,
               &session, &e->tty_nr, &utime, &stime) != 7)
        return -1;
    e->ticks = utime + stime;
    return 0;
}

/* The arguments (NUL-separated in cmdline) joined by spaces, or "[comm]". */
static void set_cmd(struct procs_entry *e, const char *args, size_t len)
{
    size_t n = len < sizeof e->cmd - 1 ? len : sizeof e->cmd - 1;

    while (n && args[n - 1] == 0)
        n--;
    if (n == 0) {
        snprintf(e->cmd, sizeof e->cmd, "[%s]", e->comm);
        return;
    }
    for (size_t i = 0; i < n; i++)
        e->cmd[i] = args[i] ? args[i] : ' ';
    e->cmd[n] = 0;
}

static unsigned status_uid(const char *status)
{
    const char *uid = status ? strstr(status, "\nUid:") : NULL;
    unsigned v = 0;

    if (uid)
        sscanf(uid + 5, " %u", &v);
    return v;
}

/* Read process pid into e: 0, 1 when it went away, or fail on a stat that is not one. */
static int read_one(int pid, struct procs_entry *e)
{
    char rel[32], *stat, *status, *args;
    size_t args_len = 0;

    memset(e, 0, sizeof *e);
    e->pid = pid;
    snprintf(rel, sizeof rel, "%d/stat", pid);
    if (!(stat = tool_read_proc(rel, NULL)))
        return 1;
    if (parse_stat(stat, e) != 0)
        tool_fail("%s/%s is not a stat line: \"%.60s\"", tool_proc_root(), rel, stat);
    free(stat);
    snprintf(rel, sizeof rel, "%d/status", pid);
    status = tool_read_proc(rel, NULL);
    e->uid = status_uid(status);
    free(status);
    snprintf(rel, sizeof rel, "%d/cmdline", pid);
    args = tool_read_proc(rel, &args_len);
    set_cmd(e, args ? args : "", args ? args_len : 0);
    free(args);
    return 0;
}

static int by_pid(const void *a, const void *b)
{
    return ((const struct procs_entry *)a)->pid - ((const struct procs_entry *)b)->pid;
}

struct procs_entry *procs_list(unsigned *n)
{
    DIR *dir = opendir(tool_proc_root());
    struct procs_entry *list = NULL;
    struct dirent *d;
    unsigned count = 0;

    if (!dir)
        tool_fail("cannot open %s: %s", tool_proc_root(), strerror(errno));
    while ((d = readdir(dir))) {
        long pid;
        if (tool_parse_number(d->d_name, &pid) != 0 || pid <= 0)
            continue;
        if (!(list = realloc(list, (count + 1) * sizeof *list)))
            tool_fail("out of memory");
        if (read_one((int)pid, &list[count]) == 0)
            count++;
    }
    closedir(dir);
    qsort(list, count, sizeof *list, by_pid);
    *n = count;
    return list;
}

void procs_tty_name(unsigned tty_nr, char *out, size_t size)
{
    unsigned major = (tty_nr >> 8) & 0xfff, minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);

    if (tty_nr == 0)
        snprintf(out, size, "?");
    else if (major == TTY_MAJOR && minor >= SERIAL_MINOR && minor < 256)
        snprintf(out, size, "ttyS%u", minor - SERIAL_MINOR);
    else if (major == TTY_MAJOR && minor > 0 && minor < SERIAL_MINOR)
        snprintf(out, size, "tty%u", minor);
    else
        snprintf(out, size, "%u:%u", major, minor);
}
