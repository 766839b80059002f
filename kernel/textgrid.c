/*
 * textgrid.c - cursor movement and the kept text of text consoles (see
 * textgrid.h).
 */
#include <string.h>

#include "textgrid.h"

#define TAB_STOP 8

/* Ring row of screen row r, shown `back` rows back. */
static char *ring_row(const struct textgrid *g, unsigned r, unsigned back)
{
    unsigned i = (g->top + g->lines + r - back) % g->lines;

    return g->text + (unsigned long)i * g->cols;
}

static void redraw(struct textgrid *g)
{
    for (unsigned r = 0; r < g->rows; r++) {
        const char *t = ring_row(g, r, g->back);
        for (unsigned c = 0; c < g->cols; c++)
            g->draw(c, r, t[c] ? t[c] : ' ');
    }
}

/* The screen's top row becomes scrollback; a blank row enters at the bottom. */
static void keep_scrolled_row(struct textgrid *g)
{
    g->top = (g->top + 1) % g->lines;
    if (g->kept < g->lines - g->rows)
        g->kept++;
    memset(ring_row(g, g->rows - 1, 0), 0, g->cols);
}

static void newline(struct textgrid *g)
{
    g->col = 0;
    if (++g->row == g->rows) {
        g->scroll();
        if (g->text)
            keep_scrolled_row(g);
        g->row = g->rows - 1;
    }
}

void textgrid_put(struct textgrid *g, char c)
{
    if (g->back)
        textgrid_view(g, 0);
    if (c == '\n') {
        newline(g);
    } else if (c == '\r') {
        g->col = 0;
    } else if (c == '\t') {
        do
            textgrid_put(g, ' ');
        while (g->col % TAB_STOP && g->col < g->cols);
    } else if (c == '\b') {
        if (g->col)
            g->col--;
    } else {
        if (g->col == g->cols)          /* the wrap a full row left pending */
            newline(g);
        g->draw(g->col, g->row, c);
        if (g->text)
            ring_row(g, g->row, 0)[g->col] = c;
        g->col++;
    }
}

void textgrid_keep_text(struct textgrid *g, char *buf, unsigned lines)
{
    if (!buf || lines <= g->rows)
        return;
    memset(buf, 0, (unsigned long)lines * g->cols);
    g->text = buf;
    g->lines = lines;
    g->top = g->kept = g->back = 0;
}

const char *textgrid_line(const struct textgrid *g, int n)
{
    if (!g->text || n >= (int)g->rows || n < -(int)g->kept)
        return 0;
    return n >= 0 ? ring_row(g, (unsigned)n, 0) : ring_row(g, 0, (unsigned)-n);
}

unsigned textgrid_view(struct textgrid *g, unsigned back)
{
    if (!g->text)
        return 0;
    if (back > g->kept)
        back = g->kept;
    if (back != g->back) {
        g->back = back;
        redraw(g);
    }
    return back;
}
