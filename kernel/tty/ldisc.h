/*
 * ldisc.h - the line discipline (ldisc.c): what happens to the bytes
 * between a terminal's device and its readers and writers, as Linux's
 * n_tty does it, driven by a struct termios (termios.h).
 *
 * Input (ldisc_receive, one byte at a time, in this order):
 *   ISTRIP; a ^V (VLNEXT, IEXTEN) before it makes it literal;
 *   IXON: VSTOP stops output, VSTART starts it (neither is stored),
 *         IXANY: any other byte starts it too;
 *   ISIG: VINTR, VQUIT, VSUSP flush the input (unless NOFLSH), echo as ^C,
 *         and raise SIGINT, SIGQUIT, SIGTSTP (taken by ldisc_take_signal);
 *   IGNCR drops CR, else ICRNL turns it into NL; INLCR turns NL into CR;
 *   ICANON: the byte edits the line being typed: VERASE erases a character,
 *         VWERASE (IEXTEN) a word, VKILL the line, VREPRINT (IEXTEN) types
 *         it again; VEOF ends it without being stored (at its start: a read
 *         of 0, end of file); NL, VEOL and VEOL2 end it and are stored;
 *         a line once ended is readable as a whole and can no longer be edited;
 *   otherwise (raw) the byte is readable at once.
 * Echo (ECHO): control characters as ^X (ECHOCTL), erase as "\b \b"
 * (ECHOE; ^X and tabs take their width back), kill as the erasing of each
 * character (ECHOKE with ECHOE), else the kill character and a NL (ECHOK).
 * IXOFF: VSTOP goes to the device when less than LDISC_IXOFF_ROOM bytes are
 * free, VSTART once the readers have taken it below a quarter.
 *
 * Output (ldisc_output): OPOST with ONLCR (NL out as CR NL) and OCRNL
 * (CR out as NL); the column is followed for the erasing of tabs.
 *
 * Reads: ldisc_read_ready says whether a read must wait, and until when:
 * in canonical mode until a line is there; in raw mode by VMIN and VTIME,
 * POSIX's four cases (docs/tty.md). The clock is the caller's (ns): the
 * host tests give a fake one.
 *
 * Rules: pure C, no locks and no allocation (the tty core, tty.c, holds its
 * terminal's spinlock around every call); built for the host too
 * (tests/host/test_tty_ldisc.c). Bytes with no room (the buffer, the line or
 * the line table full) are dropped and counted in `dropped`.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tty/termios.h"

#define LDISC_BUF_SIZE    4096      /* readable bytes: Linux's N_TTY_BUF_SIZE */
#define LDISC_LINE_MAX    1024      /* one line being edited, its end included */
#define LDISC_LINES_MAX   128       /* ended lines not yet read */
#define LDISC_IXOFF_ROOM  512       /* IXOFF: send VSTOP with less room than this */

struct ldisc {
    struct termios tio;
    /* the device's output: bytes already processed (the tty's ops->write) */
    void (*write)(void *ctx, const char *buf, size_t n);
    void *ctx;

    /* readable bytes, a ring: in canonical mode the ended lines, back to back */
    char buf[LDISC_BUF_SIZE];
    size_t head, count;             /* the oldest byte, and how many */
    uint16_t line_len[LDISC_LINES_MAX];   /* canonical: each ended line's bytes left */
    size_t line_head, lines;        /* the oldest ended line, and how many */

    char line[LDISC_LINE_MAX];      /* canonical: the line being edited */
    size_t line_n;
    unsigned line_col;              /* the output column where it started */

    unsigned column;                /* the device's cursor column, as output moved it */
    int lnext;                      /* the last byte was VLNEXT */
    int stopped;                    /* output stopped by VSTOP (IXON) */
    int sent_stop;                  /* IXOFF: VSTOP sent, VSTART owed */
    unsigned signals;               /* raised, not yet taken: bit n = signal n */
    uint64_t last_rx_ns;            /* when the last byte arrived */
    uint64_t dropped;               /* bytes with no room, since ldisc_init */
};

/* Fresh settings (termios_default), empty buffers; output goes to write(ctx, ...). */
void ldisc_init(struct ldisc *ld, void (*write)(void *ctx, const char *buf, size_t n), void *ctx);
/* New settings: leaving ICANON makes the line being typed readable; entering it
 * makes the bytes waiting one line. */
void ldisc_set_termios(struct ldisc *ld, const struct termios *t);
/* Bytes from the device, arrived at now_ns. */
void ldisc_receive(struct ldisc *ld, const char *buf, size_t n, uint64_t now_ns);
/* Output processing, then the device (writers check `stopped` first). */
void ldisc_output(struct ldisc *ld, const char *buf, size_t n);
/* Forget all input (ended lines, the line being edited). */
void ldisc_flush_input(struct ldisc *ld);
/*
 * May a read of `want` bytes that started at start_ns return now (1: then
 * ldisc_read gives what there is, maybe 0 bytes), or must it wait (0) until
 * input arrives or *deadline_ns (0: no deadline)?
 */
int ldisc_read_ready(const struct ldisc *ld, size_t want, uint64_t start_ns, uint64_t now_ns,
                     uint64_t *deadline_ns);
/* Copy out at most n bytes: canonical mode, from one line only. */
size_t ldisc_read(struct ldisc *ld, char *buf, size_t n);
/* Bytes a read would get now (FIONREAD). */
size_t ldisc_readable(const struct ldisc *ld);
/* A raised signal (TTY_SIGINT, ...) taken off the list, or 0 when none. */
int ldisc_take_signal(struct ldisc *ld);
