/*
 * lineedit.h - a line editor for a terminal (lineedit.c): the keys a
 * person types come in one byte at a time, the line and the screen's
 * drawing go out as bytes with VT100 escape sequences. Pure C, no kernel
 * services: the host tests run the same code (tests/host/test_lineedit.c).
 *
 * Keys (the bytes a Linux console or an xterm sends):
 *   printable ASCII         inserted at the cursor
 *   Backspace (0x7F, ^H)    the character before the cursor goes
 *   Delete (ESC [ 3 ~), ^D  the character under the cursor goes
 *   Left/Right (ESC [ D/C), ^B/^F   the cursor moves
 *   Home (ESC [ H, ESC [ 1 ~, ESC O H, ESC [ 7 ~), ^A   to the start
 *   End  (ESC [ F, ESC [ 4 ~, ESC O F, ESC [ 8 ~), ^E   to the end
 *   ^K  cut to the end; ^U  cut to the start; ^W  the word before the cursor
 *   Up/Down (ESC [ A/B), ^P/^N   older/newer line of the history
 *   ^L  clear the screen and draw the line again
 *   ^C  give up the line ("^C", a new line): LINEEDIT_CANCEL
 *   Enter (CR or LF; the LF of a CR LF pair is dropped): LINEEDIT_LINE
 * Other control bytes and escape sequences are ignored; a key that cannot
 * act (Backspace at the start, a full line, no older history) rings the
 * bell (BEL, 0x07).
 *
 * Drawing: typing at the end of the line echoes the character; any other
 * change draws the line again: CR, the prompt, the line, ESC [ K (erase
 * the rest), then ESC [ N D to put the cursor back N columns. The line
 * stays on one row: it holds at most cols - prompt - 1 characters.
 *
 * History: every non-empty line entered (but a repeat of the newest) is
 * kept, LINEEDIT_HISTORY lines, the oldest dropped; it lives in the
 * struct, so it lasts from one line to the next. Browsing keeps the line
 * being typed and gives it back below the newest entry.
 *
 * Rules: one struct per terminal, used by one thread; write() is called
 * with each drawing as one buffer.
 */
#pragma once

#include <stddef.h>

#define LINEEDIT_MAX        128         /* a line's bytes, its NUL included */
#define LINEEDIT_HISTORY    16
#define LINEEDIT_ESC_MAX    8           /* parameter bytes of an escape sequence kept */

enum lineedit_result {
    LINEEDIT_MORE,                      /* go on feeding keys */
    LINEEDIT_LINE,                      /* Enter: lineedit_line() holds the line */
    LINEEDIT_CANCEL,                    /* ^C: the line was given up */
};

typedef void lineedit_write_fn(void *ctx, const char *buf, size_t n);

struct lineedit {
    const char *prompt;
    size_t prompt_len;
    size_t room;                        /* characters a line may hold */
    lineedit_write_fn *write;
    void *ctx;

    char line[LINEEDIT_MAX];
    size_t len, cur;                    /* length, cursor (0..len) */

    int esc;                            /* escape decoding state (lineedit.c) */
    char esc_param[LINEEDIT_ESC_MAX];
    size_t esc_len;
    int after_cr;                       /* the last key was CR: a LF next is its pair */

    char history[LINEEDIT_HISTORY][LINEEDIT_MAX];
    unsigned history_count;             /* entries held */
    unsigned history_next;              /* slot the next entry goes to */
    int browse;                         /* -1: the new line; n: the n-th newest entry */
    char typed[LINEEDIT_MAX];           /* the new line while browsing */
};

/* cols: the terminal's width (0: 80). */
void lineedit_init(struct lineedit *le, const char *prompt, unsigned cols,
                   lineedit_write_fn *write, void *ctx);
/* A new, empty line: draws the prompt. */
void lineedit_begin(struct lineedit *le);
/* One byte from the terminal. */
enum lineedit_result lineedit_feed(struct lineedit *le, char c);
/* The line after LINEEDIT_LINE (NUL-terminated). */
const char *lineedit_line(const struct lineedit *le);
/* The n-th newest history entry (0: the newest), or NULL. */
const char *lineedit_history(const struct lineedit *le, unsigned n);
