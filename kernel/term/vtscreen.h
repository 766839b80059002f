/*
 * vtscreen.h - the screen edits of the terminal emulator (vtscreen.c), the
 * layer under the parser (vtemu.c): every change of cells goes through
 * here, and here the renderer is told (draw, move). Coordinates are
 * 0-based and already clamped by the caller unless a function says so.
 * Internal to kernel/term/.
 */
#pragma once

#include "term/vtemu.h"

#define VTEMU_MODE_AUTOWRAP     0x01    /* ?7 */
#define VTEMU_MODE_CURSOR       0x02    /* ?25: cursor visible */
#define VTEMU_MODE_INSERT       0x04    /* 4 (IRM) */
#define VTEMU_MODE_ORIGIN       0x08    /* ?6 (DECOM): rows count from the region's top */
#define VTEMU_MODE_APP_CURSOR   0x10    /* ?1 (DECCKM) */
#define VTEMU_MODE_NEWLINE      0x20    /* 20 (LNM): LF also returns the carriage */

struct vt_cell *vtscreen_row(const struct vtemu *v, unsigned r);
struct vt_cell vtscreen_blank(const struct vtemu *v);
void vtscreen_draw_row(struct vtemu *v, unsigned r, unsigned from, unsigned to);
void vtscreen_redraw(struct vtemu *v);
void vtscreen_clear(struct vt_ring *ring, unsigned cols, unsigned rows);

void vtscreen_put(struct vtemu *v, uint32_t ch);
void vtscreen_index(struct vtemu *v);           /* LF, IND: down, scrolling at the region's bottom */
void vtscreen_reverse_index(struct vtemu *v);   /* RI: up, scrolling at the region's top */
void vtscreen_scroll_up(struct vtemu *v, unsigned top, unsigned bottom, unsigned n);
void vtscreen_scroll_down(struct vtemu *v, unsigned top, unsigned bottom, unsigned n);
/* Blank cells [from, to) of row r (to <= cols). */
void vtscreen_erase(struct vtemu *v, unsigned r, unsigned from, unsigned to);
void vtscreen_insert_chars(struct vtemu *v, unsigned n);
void vtscreen_delete_chars(struct vtemu *v, unsigned n);
/* Cursor to (x, y) clamped to the screen; a pending wrap is dropped. */
void vtscreen_goto(struct vtemu *v, int x, int y);
void vtscreen_hide_cursor(struct vtemu *v);
void vtscreen_show_cursor(struct vtemu *v);
