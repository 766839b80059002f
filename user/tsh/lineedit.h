/*
 * lineedit.h - the interactive shell's line editor, in the terminal's raw
 * mode: the cursor keys, Home/End, Delete, Backspace, ^A ^E ^K ^U ^W,
 * Up/Down through the history, ^R to search it, Tab to complete (complete.h),
 * ^C to drop the line, ^D on an empty line for the end of input.
 *
 * le_feed takes one byte of input at a time and redraws the line on
 * out_fd; le_read_line wraps it in the raw mode and the reads.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define LE_LINE_MAX 4096

enum le_result { LE_MORE, LE_DONE, LE_EOF, LE_CANCEL };

struct lineedit {
    char buf[LE_LINE_MAX];
    size_t len, pos;                /* the line and the cursor in it */
    const char *prompt;
    int out_fd;
    int hist;                       /* the history entry shown (history_count(): the new line) */
    char saved[LE_LINE_MAX];        /* the new line, while Up/Down show older ones */
    bool searching;                 /* in ^R */
    char query[128];
    int match;                      /* the history entry ^R found, -1 none */
    bool in_escape;                 /* after ESC: */
    char esc[8];                    /* the escape sequence so far */
    int esc_len;
};

void le_start(struct lineedit *le, const char *prompt, int out_fd);
enum le_result le_feed(struct lineedit *le, unsigned char c);
/* A line from the terminal on fd 0 (malloc'd, no newline), or NULL at the end of input. */
char *le_read_line(const char *prompt);
