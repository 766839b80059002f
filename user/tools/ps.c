/*
 * ps.c - ps: the processes, one line each, from /proc/N/stat, status and
 * cmdline (procs.c; docs/tools.md):
 *     PID  PPID   UID S TTY            TIME CMD
 *       1     0     0 S ttyS0       0:00.02 /sbin/init
 * TIME is the CPU time used (user and system), minutes, seconds and
 * hundredths; CMD the arguments, or [NAME] for a process without any.
 *   -p PID      only that process
 *   -e, -A      every process (what ps shows anyway)
 *   -o FIELDS   POSIX's user-defined format: fields separated by commas or
 *               blanks, repeatable, each NAME or NAME=HEADER (no header line
 *               when every header is empty): pid, ppid, uid, user, s, stat,
 *               tty, tt, time, comm, args
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procs.h"
#include "tools.h"

#define USER_HZ     100
#define FIELDS_MAX  16

enum field_kind { F_PID, F_PPID, F_UID, F_USER, F_STATE, F_TTY, F_TIME, F_COMM, F_ARGS };

/* A column: its name for -o, its header, its width (negative: left-aligned). */
struct field_type {
    const char *name;
    enum field_kind kind;
    const char *header;
    int width;
};

static const struct field_type field_types[] = {
    { "pid", F_PID, "PID", 5 },        { "ppid", F_PPID, "PPID", 5 },  { "uid", F_UID, "UID", 5 },
    { "user", F_USER, "USER", -8 },    { "s", F_STATE, "S", 1 },       { "stat", F_STATE, "STAT", -4 },
    { "tty", F_TTY, "TTY", -8 },       { "tt", F_TTY, "TT", -8 },      { "time", F_TIME, "TIME", 10 },
    { "comm", F_COMM, "COMMAND", -15 }, { "args", F_ARGS, "COMMAND", -27 },
};

struct column {
    const struct field_type *type;
    const char *header;
};

static void usage(void)
{
    fprintf(stderr, "usage: ps [-e] [-p PID] [-o FIELD[=HEADER][,FIELD...]]...\n");
    exit(2);
}

/* Add -o's fields in list (changed in place) to cols: 0, or -1 with a message. */
static int parse_fields(char *list, struct column *cols, unsigned *n)
{
    char *f = list;

    while (*f) {
        size_t len = strcspn(f, "=, \t");
        char *next = f + len, *header = NULL;
        const struct field_type *t = NULL;

        if (*next == '=') {                 /* POSIX: the header takes the rest of the argument */
            header = next + 1;
            next = header + strlen(header);
        } else if (*next) {
            *next++ = 0;
        }
        f[len] = 0;
        for (size_t i = 0; len && i < sizeof field_types / sizeof field_types[0]; i++)
            if (strcmp(field_types[i].name, f) == 0)
                t = &field_types[i];
        if (len && !t) {
            fprintf(stderr, "ps: unknown field \"%s\" (pid, ppid, uid, user, s, stat, tty, tt, time, comm, args)\n", f);
            return -1;
        }
        if (t && *n == FIELDS_MAX) {
            fprintf(stderr, "ps: more than %d fields\n", FIELDS_MAX);
            return -1;
        }
        if (t)
            cols[(*n)++] = (struct column){ t, header ? header : t->header };
        f = next;
    }
    return 0;
}

/* One cell's text. */
static void cell(const struct procs_entry *e, enum field_kind kind, char *out, size_t size)
{
    struct passwd *pw;

    switch (kind) {
    case F_PID:   snprintf(out, size, "%d", e->pid); break;
    case F_PPID:  snprintf(out, size, "%d", e->ppid); break;
    case F_UID:   snprintf(out, size, "%u", e->uid); break;
    case F_USER:
        pw = getpwuid(e->uid);
        if (pw)
            snprintf(out, size, "%s", pw->pw_name);
        else
            snprintf(out, size, "%u", e->uid);
        break;
    case F_STATE: snprintf(out, size, "%c", e->state); break;
    case F_TTY:   procs_tty_name(e->tty_nr, out, size); break;
    case F_TIME:
        snprintf(out, size, "%llu:%02llu.%02llu", (unsigned long long)(e->ticks / USER_HZ / 60),
                 (unsigned long long)(e->ticks / USER_HZ % 60), (unsigned long long)(e->ticks % USER_HZ));
        break;
    case F_COMM:  snprintf(out, size, "%s", e->comm); break;
    case F_ARGS:  snprintf(out, size, "%s", e->cmd); break;
    }
}

/* A line of cells or headers: the last column unpadded, no blanks at the end. */
static void line(const struct column *cols, unsigned n, char texts[][PROCS_CMD_MAX])
{
    char out[FIELDS_MAX * (PROCS_CMD_MAX + 1)];
    size_t len = 0;

    for (unsigned i = 0; i < n; i++) {
        int w = cols[i].type->width;
        if (w < 0 && i + 1 == n)
            w = 0;
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%*s", i ? " " : "", w, texts[i]);
    }
    while (len && out[len - 1] == ' ')
        len--;
    printf("%.*s\n", (int)len, out);
}

int main(int argc, char **argv)
{
    static const char default_format[] = "pid,ppid,uid,s,tty,time,args=CMD";
    struct column cols[FIELDS_MAX];
    char texts[FIELDS_MAX][PROCS_CMD_MAX], format[sizeof default_format];
    unsigned n, ncols = 0, shown = 0;
    int opt, headers = 0;
    long only = 0;
    struct procs_entry *list;

    tool_name = "ps";
    while ((opt = getopt(argc, argv, "eAp:o:")) != -1) {
        if (opt == 'p' && (tool_parse_number(optarg, &only) != 0 || only <= 0))
            usage();
        else if (opt == 'o' && parse_fields(optarg, cols, &ncols) != 0)
            return 2;
        else if (opt == '?')
            usage();
    }
    if (optind != argc)
        usage();
    if (!ncols) {
        memcpy(format, default_format, sizeof format);
        parse_fields(format, cols, &ncols);
    }
    for (unsigned i = 0; i < ncols; i++) {
        snprintf(texts[i], sizeof texts[i], "%s", cols[i].header);
        headers |= cols[i].header[0] != 0;
    }
    list = procs_list(&n);
    if (headers)
        line(cols, ncols, texts);
    for (unsigned i = 0; i < n; i++) {
        if (only && list[i].pid != only)
            continue;
        for (unsigned c = 0; c < ncols; c++)
            cell(&list[i], cols[c].type->kind, texts[c], sizeof texts[c]);
        line(cols, ncols, texts);
        shown++;
    }
    free(list);
    return only && !shown ? 1 : 0;
}
