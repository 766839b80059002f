/*
 * tty.h - terminals: a named device (ttyS0, tty1..tty4) with a line
 * discipline between the bytes that arrive from it and the readers, and
 * output processing between the writers and it (tty.c; the discipline is
 * kernel/tty/ldisc.c, the settings kernel/tty/termios.h; docs/tty.md).
 *
 * A driver registers a terminal with its ops (how to put bytes on the
 * device) and feeds what arrives to tty_input, from interrupt context if it
 * likes. Readers block in tty_read until the discipline says a read is
 * complete (a line in canonical mode, VMIN/VTIME in raw mode).
 *
 * Rules:
 *   - ops->write gets bytes already output-processed (ONLCR done); it may
 *     be called with interrupts off (echo from tty_input) and must not block;
 *   - tty_input: any context, interrupt handlers included;
 *   - tty_read, tty_write (may wait while output is stopped by ^S), and
 *     tty_ioctl (TCSETSW/TCSETSF) may block: threads only;
 *   - errors are negative errno values (kernel/errno.h);
 *   - terminals are never unregistered.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tty/termios.h"

#define TTY_MAX        12       /* terminals registered at once */
#define TTY_NAME_MAX   16

/* Signals the signal characters raise (Linux's numbers) */
#define TTY_SIGINT      2
#define TTY_SIGQUIT     3
#define TTY_SIGTSTP    20

struct tty;
struct tty_ops {
    /* put bytes on the device (already output-processed: ONLCR done). May be called with
     * interrupts off (echo from tty_input); must not block. */
    void (*write)(struct tty *t, const char *buf, size_t n);
};

/* "ttyS0", "tty1".."tty4": the terminal, or NULL (table full, name taken) */
struct tty *tty_register(const char *name, const struct tty_ops *ops, void *driver_data);
void *tty_driver_data(struct tty *t);
struct tty *tty_find(const char *name);             /* NULL if none */
const char *tty_name(const struct tty *t);
/* Bytes that arrived from the device (keyboard via the VT, UART receive): interrupt context is
 * fine. Runs the line discipline (echo, erase, signals, canonical lines) and wakes readers. */
void    tty_input(struct tty *t, const char *buf, size_t n);
long    tty_read(struct tty *t, char *buf, size_t n, int nonblock);   /* bytes, or -EAGAIN/-EINTR */
/* first_read.c: the boot's first read by a process, logged once (tty_read calls it). */
void    tty_note_first_read(void);
long    tty_write(struct tty *t, const char *buf, size_t n);          /* output processing, then ops->write */
/* Readiness for poll (ipc/pollwait.h): POLLIN when a read would not wait, POLLOUT unless ^S. */
unsigned tty_poll(struct tty *t);
long    tty_ioctl(struct tty *t, unsigned long req, void *arg);        /* 0 or -ENOTTY/-EINVAL */
/* (and -EFAULT for a null pointer where the request needs one; TCFLSH and TCXONC take
 * their argument by value, as Linux's) */
/* ^C, ^\, ^Z in ISIG mode: hook(t, SIGINT=2 / SIGQUIT=3 / SIGTSTP=20); processes will install it. */
void    tty_set_signal_hook(void (*hook)(struct tty *t, int sig));
/* Job control's check before each read (writing 0) and write (1) by a process: 0 to go on, else
 * what the call returns (-EIO, or -ERESTARTSYS once the caller's group got SIGTTIN/SIGTTOU).
 * The process layer installs it (signal_tty.c); without one every access goes on. */
void    tty_set_access_hook(long (*hook)(struct tty *t, int writing));
void    tty_set_winsize(struct tty *t, unsigned short rows, unsigned short cols);

/* Input bytes the discipline had no room for (its buffer or line full), since registration. */
uint64_t tty_dropped(const struct tty *t);
