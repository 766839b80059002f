/*
 * vtscreen.c - the screen edits of the terminal emulator (see vtscreen.h
 * and vtemu.h): cells in a ring of rows, and the renderer told of each
 * change.
 *
 * A scroll of the whole screen only turns the ring (top moves on by n
 * rows): on the main screen the rows that went off the top become
 * scrollback, the oldest scrollback rows come back blank at the bottom. A
 * scroll inside a region (DECSTBM, IL, DL) copies rows within the region.
 * Either way the renderer gets one move() for the rows that stayed and a
 * draw() for each row that came in blank.
 *
 * The cursor the renderer draws is hidden (its cell drawn again) before any
 * edit (vtemu_write does it first) and shown after, so a move() never
 * carries a cursor image with it.
 */
#include <string.h>

#include "mutant.h"
#include "term/vtscreen.h"

static struct vt_cell *ring_row(const struct vt_ring *ring, unsigned cols, unsigned r, unsigned back)
{
    unsigned i = (ring->top + ring->lines + r - back) % ring->lines;

    return ring->cells + (size_t)i * cols;
}

struct vt_cell *vtscreen_row(const struct vtemu *v, unsigned r)
{
    return ring_row(v->screen, v->cols, r, 0);
}

struct vt_cell vtscreen_blank(const struct vtemu *v)
{
    struct vt_cell c = v->pen;

    c.ch = ' ';
    c.attr &= VT_ATTR_FG_DEFAULT | VT_ATTR_BG_DEFAULT;     /* the colours, as Linux and xterm erase */
    return c;
}

static void fill(struct vt_cell *cells, struct vt_cell c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        cells[i] = c;
}

void vtscreen_clear(struct vt_ring *ring, unsigned cols, unsigned rows)
{
    struct vt_cell blank = { ' ', VT_DEFAULT_FG, VT_DEFAULT_BG,
                             VT_ATTR_FG_DEFAULT | VT_ATTR_BG_DEFAULT, 0 };

    for (unsigned r = 0; r < rows; r++)
        fill(ring_row(ring, cols, r, 0), blank, cols);
}

void vtscreen_draw_row(struct vtemu *v, unsigned r, unsigned from, unsigned to)
{
    if (v->ops && !v->back && from < to)
        v->ops->draw(v->ctx, from, r, vtscreen_row(v, r) + from, to - from);
}

void vtscreen_redraw(struct vtemu *v)
{
    if (!v->ops)
        return;
    for (unsigned r = 0; r < v->rows; r++)
        v->ops->draw(v->ctx, 0, r, ring_row(v->screen, v->cols, r, v->back), v->cols);
}

void vtscreen_erase(struct vtemu *v, unsigned r, unsigned from, unsigned to)
{
    if (from >= to)
        return;
    fill(vtscreen_row(v, r) + from, vtscreen_blank(v), to - from);
    vtscreen_draw_row(v, r, from, to);
}

static void erase_rows(struct vtemu *v, unsigned from, unsigned to)
{
    for (unsigned r = from; r < to; r++)
        vtscreen_erase(v, r, 0, v->cols);
}

static void tell_move(struct vtemu *v, unsigned top, unsigned bottom, unsigned n, int up)
{
    if (v->ops && !v->back && n < bottom - top)
        v->ops->move(v->ctx, top, bottom, n, up);
}

/* The whole screen up by n: turn the ring; the main screen keeps what left. */
static void turn_ring(struct vtemu *v, unsigned n)
{
    struct vt_ring *ring = v->screen;

    ring->top = (ring->top + n) % ring->lines;
    ring->kept += n;
    if (ring->kept > ring->lines - v->rows)
        ring->kept = ring->lines - v->rows;
}

void vtscreen_scroll_up(struct vtemu *v, unsigned top, unsigned bottom, unsigned n)
{
    if (n > bottom - top)
        n = bottom - top;
    if (n == 0)
        return;
    if (top == 0 && bottom == v->rows) {
        turn_ring(v, n);
    } else {
        for (unsigned r = top; r + n < bottom; r++)
            memcpy(vtscreen_row(v, r), vtscreen_row(v, r + n), v->cols * sizeof(struct vt_cell));
    }
    tell_move(v, top, bottom, n, 1);
    erase_rows(v, bottom - n, bottom);
}

void vtscreen_scroll_down(struct vtemu *v, unsigned top, unsigned bottom, unsigned n)
{
    if (n > bottom - top)
        n = bottom - top;
    if (n == 0)
        return;
    for (unsigned r = bottom - 1; r >= top + n; r--)
        memcpy(vtscreen_row(v, r), vtscreen_row(v, r - n), v->cols * sizeof(struct vt_cell));
    tell_move(v, top, bottom, n, 0);
    erase_rows(v, top, top + n);
}

void vtscreen_index(struct vtemu *v)
{
    if (v->y + 1 == v->bottom)
        vtscreen_scroll_up(v, v->top, v->bottom, 1);
    else if (v->y + 1 < v->rows)
        v->y++;
}

void vtscreen_reverse_index(struct vtemu *v)
{
    if (v->y == v->top)
        vtscreen_scroll_down(v, v->top, v->bottom, 1);
    else if (v->y > 0)
        v->y--;
}

void vtscreen_insert_chars(struct vtemu *v, unsigned n)
{
    struct vt_cell *row = vtscreen_row(v, v->y);

    if (n > v->cols - v->x)
        n = v->cols - v->x;
    memmove(row + v->x + n, row + v->x, (v->cols - v->x - n) * sizeof *row);
    fill(row + v->x, vtscreen_blank(v), n);
    vtscreen_draw_row(v, v->y, v->x, v->cols);
    v->pending = 0;
}

void vtscreen_delete_chars(struct vtemu *v, unsigned n)
{
    struct vt_cell *row = vtscreen_row(v, v->y);

    if (n > v->cols - v->x)
        n = v->cols - v->x;
    memmove(row + v->x, row + v->x + n, (v->cols - v->x - n) * sizeof *row);
    fill(row + v->cols - n, vtscreen_blank(v), n);
    vtscreen_draw_row(v, v->y, v->x, v->cols);
    v->pending = 0;
}

void vtscreen_put(struct vtemu *v, uint32_t ch)
{
    struct vt_cell *cell;

    if (v->pending && (v->modes & VTEMU_MODE_AUTOWRAP)) {
        v->x = 0;
        vtscreen_index(v);
    }
    v->pending = 0;
    if (v->modes & VTEMU_MODE_INSERT)
        vtscreen_insert_chars(v, 1);
    cell = vtscreen_row(v, v->y) + v->x;
    *cell = v->pen;
    cell->ch = ch;
    vtscreen_draw_row(v, v->y, v->x, v->x + 1);
    if (v->x + 1 < v->cols) {
        v->x++;
    } else if (MUTANT_ENABLED(vt_deferred_wrap) && (v->modes & VTEMU_MODE_AUTOWRAP)) {
        v->x = 0;                       /* the wrap at once: a full row then \n takes two */
        vtscreen_index(v);
    } else {
        v->pending = 1;
    }
}

void vtscreen_goto(struct vtemu *v, int x, int y)
{
    v->x = x < 0 ? 0 : (unsigned)x >= v->cols ? v->cols - 1 : (unsigned)x;
    v->y = y < 0 ? 0 : (unsigned)y >= v->rows ? v->rows - 1 : (unsigned)y;
    v->pending = 0;
}

void vtscreen_hide_cursor(struct vtemu *v)
{
    if (!v->cursor_drawn)
        return;
    v->cursor_drawn = 0;
    if (v->ops)
        v->ops->draw(v->ctx, v->cx, v->cy, vtscreen_row(v, v->cy) + v->cx, 1);
}

void vtscreen_show_cursor(struct vtemu *v)
{
    int visible = !v->back && (v->modes & VTEMU_MODE_CURSOR);

    if (!v->ops)
        return;
    v->ops->cursor(v->ctx, v->x, v->y, vtscreen_row(v, v->y) + v->x, visible);
    v->cursor_drawn = visible;
    v->cx = v->x, v->cy = v->y;
}
