/*
 * textgrid.h - the cursor logic every text console shares: a grid of
 * cols x rows cells, control characters (\n, \r, \t to the next multiple
 * of 8, \b), wrapping at the right edge, scrolling at the bottom; and, when
 * given memory, the text itself with a scrollback: the rows that scrolled
 * off the top are kept (the oldest dropped first), so the loader's lines
 * and the first kernel lines are not lost when the screen fills up.
 *
 * The driver (drivers/fb, drivers/vga) fills in the size and two callbacks:
 * draw(col, row, c) puts a printable character in a cell, scroll() moves
 * the screen up one row and blanks the last one. textgrid_put calls them;
 * it never touches the screen itself.
 *
 * The wrap is deferred, as a VT100's is: a character in the last column
 * leaves the cursor at col == cols, and only the next printable character
 * moves to a new row; so a line exactly as wide as the screen followed by
 * \n takes one row, not two (a tab stops at the edge too).
 *
 * The text is a ring of `lines` rows of `cols` bytes (0 = an empty cell):
 * the screen is the `rows` rows from ring row `top`, the scrollback the
 * `kept` rows before it. Viewing the scrollback (textgrid_view) redraws the
 * screen with draw() from older rows; new output returns to the live screen.
 */
#pragma once

struct textgrid {
    unsigned cols, rows;        /* both > 0 */
    unsigned col, row;          /* the cursor: where the next character goes (col == cols: wrap pending) */
    void (*draw)(unsigned col, unsigned row, char c);
    void (*scroll)(void);
    /* the text (textgrid_keep_text); all 0 when the console has none */
    char *text;                 /* lines * cols bytes */
    unsigned lines;             /* ring rows: rows + the scrollback's */
    unsigned top;               /* ring row shown as screen row 0 */
    unsigned kept;              /* scrollback rows filled, <= lines - rows */
    unsigned back;              /* rows the view is scrolled back, 0 = live */
};

void textgrid_put(struct textgrid *g, char c);

/*
 * Keep the text in buf (lines * cols bytes, lines > rows; the scrollback is
 * lines - rows rows) from now on. Call it before the first textgrid_put;
 * the screen is taken as blank.
 */
void textgrid_keep_text(struct textgrid *g, char *buf, unsigned lines);

/*
 * Row n of the text: 0 .. rows-1 are the live screen, -1 the newest row of
 * the scrollback, -kept the oldest. NULL outside that range or without
 * text. The row is cols bytes, not NUL-terminated (0 = empty cell).
 */
const char *textgrid_line(const struct textgrid *g, int n);

/*
 * Show the screen as it was `back` rows ago (clamped to what the scrollback
 * holds; 0 = live) by redrawing every cell. Returns the rows actually
 * scrolled back.
 */
unsigned textgrid_view(struct textgrid *g, unsigned back);
