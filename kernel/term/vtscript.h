/*
 * vtscript.h - escape-sequence scripts with the screen they must leave:
 * the terminal emulator's test cases (tests/term/NAME.term), read by the same
 * C code on the host (tests/host/test_term.c) and in the kernel
 * (kernel/test/test_term.c, the files embedded by kernel/term/scripts.asm).
 *
 * A file holds scripts; each is a block of lines (docs/vt.md has examples):
 *
 *   script NAME            starts one (NAME: letters, digits, _)
 *   size COLS ROWS         the screen (up to VTSCRIPT_COLS x VTSCRIPT_ROWS)
 *   send TEXT              bytes to write, in order; escapes \e \r \n \t \b
 *                          \\ \s (a space) and \xHH; a line may repeat
 *   screen                 then ROWS lines |....| : the characters expected
 *                          (UTF-8), one per cell between the bars
 *   style L WORD...        a letter for a look: fg=N|default bg=N|default
 *                          bold dim underline blink reverse
 *   attrs                  then ROWS lines |....| of style letters; '.' is
 *                          the default look (default colours, no attributes)
 *   cursor COL ROW         where the cursor must be (0-based), or
 *   cursor hidden          that it must be hidden (?25l)
 *   kept N                 rows the scrollback must hold
 *   reply TEXT             what the emulator must have answered (DSR, DA)
 *   end                    ends it
 *
 * Lines starting with # and empty lines are comments. Only what a script
 * names is checked: without attrs the looks are not compared.
 */
#pragma once

#include <stddef.h>

#include "term/vtemu.h"

#define VTSCRIPT_COLS       80
#define VTSCRIPT_ROWS       25
#define VTSCRIPT_SEND_MAX   4096
#define VTSCRIPT_STYLES     16
#define VTSCRIPT_REPLY_MAX  64

struct vtscript_style {
    char letter;
    struct vt_cell look;            /* ch unused */
};

struct vtscript {
    char name[40];
    unsigned line;                  /* of the "script" line, for messages */
    unsigned cols, rows;
    char send[VTSCRIPT_SEND_MAX];
    size_t send_len;
    const char *screen[VTSCRIPT_ROWS];  /* the text after each row's first '|' */
    const char *attrs[VTSCRIPT_ROWS];   /* NULL: looks not checked */
    struct vtscript_style styles[VTSCRIPT_STYLES];
    unsigned nstyles;
    int cursor_x, cursor_y;         /* -1: not checked; cursor_x -2: must be hidden */
    int kept;                       /* -1: not checked */
    char reply[VTSCRIPT_REPLY_MAX];
    int reply_len;                  /* -1: not checked */
};

/*
 * The next script of text[*pos..end): 1 (and *pos after its "end"), 0 when
 * only comments are left, -1 with a message in why (naming the line).
 * *line counts lines for the messages (start it at 0).
 */
int vtscript_parse(const char **pos, const char *end, unsigned *line, struct vtscript *s,
                   char *why, size_t cap);

/* 0 when the emulator's screen is what s expects; -1 and why otherwise.
 * reply: the bytes the emulator answered while running s. */
int vtscript_check(const struct vtscript *s, const struct vtemu *v, const char *reply,
                   size_t reply_len, char *why, size_t cap);

/* Row r of the emulator as the script's |....| line (UTF-8; code points
 * are written as UTF-8), NUL-terminated in buf. */
void vtscript_row_text(const struct vtemu *v, unsigned r, char *buf, size_t cap);
