/*
 * textgrid.h - the cursor logic every text console shares: a grid of
 * cols x rows cells, control characters (\n, \r, \t to the next multiple
 * of 8, \b), wrapping at the right edge, scrolling at the bottom.
 *
 * The driver (drivers/fb, drivers/vga) fills in the size and two callbacks:
 * draw(col, row, c) puts a printable character in a cell, scroll() moves
 * the screen up one row and blanks the last one. textgrid_put calls them;
 * it never touches the screen itself.
 */
#pragma once

struct textgrid {
    unsigned cols, rows;        /* both > 0 */
    unsigned col, row;          /* the cursor: where the next character goes */
    void (*draw)(unsigned col, unsigned row, char c);
    void (*scroll)(void);
};

void textgrid_put(struct textgrid *g, char c);
