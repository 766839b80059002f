/*
 * textgrid.c - cursor movement for text consoles (see textgrid.h).
 */
#include "textgrid.h"

#define TAB_STOP 8

static void newline(struct textgrid *g)
{
    g->col = 0;
    if (++g->row == g->rows) {
        g->scroll();
        g->row = g->rows - 1;
    }
}

void textgrid_put(struct textgrid *g, char c)
{
    if (c == '\n') {
        newline(g);
    } else if (c == '\r') {
        g->col = 0;
    } else if (c == '\t') {
        do
            textgrid_put(g, ' ');
        while (g->col % TAB_STOP);
    } else if (c == '\b') {
        if (g->col)
            g->col--;
    } else {
        g->draw(g->col, g->row, c);
        if (++g->col == g->cols)
            newline(g);
    }
}
