/*
 * monitor.h - the kernel monitor: a prompt "tessera> " on a terminal, a
 * line editor (lineedit.h) and the commands of commands.h, for a person
 * at the console or on serial before there are processes, and later as
 * the debug console.
 *
 * A monitor talks to its terminal only through struct monitor_io (read a
 * byte, write bytes), so the commands and the editor run on any terminal:
 * the tty layer's ttyS0 and tty1 (monitor_tty.c), or a script and a buffer
 * (the ktests, kernel/test/test_monitor.c). Output uses "\n" line ends; the
 * terminal turns them into CR LF (the tty's ONLCR).
 *
 * monitor_start (kmain, with the word "monitor" on the command line) runs
 * one kernel thread per terminal found, each waiting; monitor_wait (kmain,
 * once the boot's last lines are out) lets them draw their prompts and
 * blocks until they have all ended (a terminal that goes away ends its
 * monitor).
 *
 * Rules: a struct monitor is used by its one thread. Commands print with
 * monitor_printf; a command that cannot do what it was asked prints one
 * line, "NAME: why", and returns -1 (monitor_error).
 */
#pragma once

#include <stddef.h>

#include "monitor/lineedit.h"

#define MONITOR_PROMPT      "tessera> "
#define MONITOR_ARGS_MAX    8           /* words of a command line, the command's name included */

struct monitor_io {
    /* One byte typed: 1; 0 when the terminal is gone (the monitor ends); with nonblock, -1
     * when nothing has been typed. Without nonblock it waits. */
    int  (*read)(void *ctx, char *c, int nonblock);
    void (*write)(void *ctx, const char *buf, size_t n);
    void *ctx;
    const char *name;                   /* the terminal's, "ttyS0" */
    unsigned cols;                      /* its width (0: 80) */
};

struct monitor {
    struct monitor_io io;
    struct lineedit le;
};

void monitor_init(struct monitor *m, const struct monitor_io *io);
/* Prompt, line, command, until the terminal is gone. */
void monitor_run(struct monitor *m);
/* Run one command line (split at spaces; changed in place): 0, or -1 after its error line. */
int  monitor_execute(struct monitor *m, char *line);

void monitor_printf(struct monitor *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void monitor_write(struct monitor *m, const char *s, size_t n);
/* "NAME: why" on one line; returns -1 for the command to return. */
int  monitor_error(struct monitor *m, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One byte from the terminal: 1, 0 (gone), or -1 (nonblock, nothing typed). */
int  monitor_getc(struct monitor *m, char *c, int nonblock);

/* With "monitor" on the command line: a monitor thread on each terminal; 0 if none started. */
unsigned monitor_start(void);
void monitor_wait(void);
