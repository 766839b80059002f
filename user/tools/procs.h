/*
 * procs.h - the processes as ps and top see them (procs.c): one entry per
 * numeric folder of /proc, from its stat (pid, state, ppid, tty_nr, utime
 * and stime), status (Uid) and cmdline (the arguments; empty for a kernel
 * thread, then "[comm]" as ps shows it).
 */
#pragma once

#include <stdint.h>

#define PROCS_CMD_MAX   256

struct procs_entry {
    int pid, ppid;
    char state;
    unsigned tty_nr;                /* major << 8 | minor, 0: none */
    unsigned uid;
    uint64_t ticks;                 /* utime + stime, in USER_HZ (100 a second) */
    char comm[32];
    char cmd[PROCS_CMD_MAX];        /* the arguments joined by spaces, or "[comm]" */
};

/* Every process of /proc, in pid order (malloc'd, *n of them). A process that goes away while
 * it is read is left out; a stat that cannot be parsed fails the tool. */
struct procs_entry *procs_list(unsigned *n);
/* The terminal's name as ps shows it: "ttyS0", "tty1", "?" when none, else "MAJ:MIN". */
void procs_tty_name(unsigned tty_nr, char *out, size_t size);
