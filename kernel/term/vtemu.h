/*
 * vtemu.h - a VT100/xterm terminal emulator: a screen of cells and the
 * parser for the escape sequences that busybox's line editing, vi,
 * ls --color and less send. Pure C: it runs in the kernel (kernel/term/vt.c
 * gives each virtual console one) and on the host (tests/host/test_term.c).
 *
 * Layers:
 *   - the screen: cells (a Unicode code point, colours, attributes) in a ring
 *     of rows; the rows that scroll off the top of the main screen stay in
 *     the ring as scrollback (vtemu_view shows them); the alternate screen
 *     (?1049h) is a second ring with no scrollback.
 *   - the parser (vtemu_write): UTF-8 decoding, C0 controls, ESC and CSI
 *     sequences (docs/vt.md lists them), each one an edit of the screen.
 *   - the renderer: four callbacks in struct vt_ops. The emulator never
 *     touches hardware; it calls draw for cells that changed, move for a
 *     scroll (so a framebuffer can move memory instead of drawing again),
 *     cursor once at the end of each vtemu_write. A hidden emulator
 *     (ops NULL: a console not on the screen) only keeps its cells.
 *
 * Rules: the caller serialises calls on one emulator (vt.c: the console's
 * lock; printk's lock for tty1). The wrap is deferred as a VT100's: a
 * character in the last column leaves the cursor there with `pending` set,
 * and only the next printable character goes to the next row.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define VT_ATTR_BOLD        0x01
#define VT_ATTR_UNDERLINE   0x02
#define VT_ATTR_REVERSE     0x04
#define VT_ATTR_BLINK       0x08
#define VT_ATTR_DIM         0x10
#define VT_ATTR_FG_DEFAULT  0x20    /* fg is the default colour, not fg's index */
#define VT_ATTR_BG_DEFAULT  0x40

#define VT_DEFAULT_FG       7       /* the colour index the renderers use for "default" */
#define VT_DEFAULT_BG       0

struct vt_cell {
    uint32_t ch;                    /* Unicode code point, ' ' when blank */
    uint8_t fg, bg;                 /* xterm 256-colour indices */
    uint8_t attr;                   /* VT_ATTR_* */
    uint8_t unused;
};

struct vt_ops {
    /* cells[0..n) now fill row `row` from column `col` */
    void (*draw)(void *ctx, unsigned col, unsigned row, const struct vt_cell *cells, unsigned n);
    /* rows [top, bottom) moved by n rows (up: row top+n went to top; down: the
     * other way); the n rows left behind are drawn again by draw afterwards */
    void (*move)(void *ctx, unsigned top, unsigned bottom, unsigned n, int up);
    /* the cursor is at (col, row) on top of `under`; visible 0: do not show it */
    void (*cursor)(void *ctx, unsigned col, unsigned row, const struct vt_cell *under, int visible);
    /* an answer to the host (DSR, DA): bytes to type back; may be NULL */
    void (*reply)(void *ctx, const char *s, size_t n);
};

/* A ring of `lines` rows of cols cells: the screen is the rows from `top`,
 * the scrollback the `kept` rows before it. */
struct vt_ring {
    struct vt_cell *cells;
    unsigned lines, top, kept;
};

#define VTEMU_CHARSET_ASCII 0      /* ESC ( B */
#define VTEMU_CHARSET_DEC   1      /* ESC ( 0: DEC special graphics (line drawing) */

struct vt_saved {
    unsigned x, y;
    int pending;
    struct vt_cell pen;
    uint8_t charset[2], shift;      /* G0, G1 and which is in use (ESC 7 keeps them, as a VT100) */
};

#define VTEMU_MAX_PARAMS 16
#define VTEMU_TAB_COLS  512         /* settable tab stops; columns past it: every 8 */

struct vtemu {
    unsigned cols, rows;
    const struct vt_ops *ops;       /* NULL: not on the screen */
    void *ctx;
    struct vt_ring main, alt;
    struct vt_ring *screen;         /* &main or &alt */
    unsigned back;                  /* rows the view is scrolled back, 0 = live */
    unsigned x, y;                  /* the cursor */
    int pending;                    /* a wrap is pending (x == cols - 1) */
    struct vt_cell pen;             /* colours and attributes for new characters */
    struct vt_saved saved[2];       /* ESC 7 / CSI s, one per screen (main, alt) */
    unsigned top, bottom;           /* the scroll region: rows [top, bottom) */
    unsigned modes;                 /* VTEMU_MODE_* (vtemu.c) */
    uint32_t tabs[VTEMU_TAB_COLS / 32];     /* a tab stop at column x: bit x (HTS, TBC) */
    uint8_t charset[2];             /* G0 and G1: VTEMU_CHARSET_* */
    uint8_t shift;                  /* 0: G0 in use (SI), 1: G1 (SO) */
    char designate;                 /* SKIP: '(' sets G0, ')' G1, others nothing */
    int cursor_drawn;               /* the renderer shows a cursor at (cx, cy) */
    unsigned cx, cy;
    /* the parser */
    int state;
    unsigned params[VTEMU_MAX_PARAMS], nparams;
    char priv, inter;               /* CSI's '?' (or '>', '='), an intermediate byte */
    uint32_t cp;                    /* UTF-8: the code point so far */
    unsigned need, min;             /* continuation bytes still to come; smallest valid */
};

/* Cells vtemu_init needs for a cols x rows screen with `scrollback` rows. */
#define VTEMU_CELLS(cols, rows, scrollback) \
    ((size_t)(cols) * ((size_t)(rows) * 2 + (scrollback)))

/* A blank screen in mem (VTEMU_CELLS of them), not on the screen. */
void vtemu_init(struct vtemu *v, unsigned cols, unsigned rows, struct vt_cell *mem,
                unsigned scrollback);
/* Put it on a renderer (ops, ctx) and draw it all; ops NULL takes it off. */
void vtemu_attach(struct vtemu *v, const struct vt_ops *ops, void *ctx);
void vtemu_write(struct vtemu *v, const char *s, size_t n);
/* Show the screen `back` rows back in the scrollback (clamped; 0 = live). */
unsigned vtemu_view(struct vtemu *v, unsigned back);
/* Row n of the screen shown live (0..rows-1) or of the scrollback (-1 the
 * newest, -kept the oldest); NULL outside. */
const struct vt_cell *vtemu_row(const struct vtemu *v, int n);
unsigned vtemu_kept(const struct vtemu *v);
int vtemu_cursor_visible(const struct vtemu *v);
int vtemu_app_cursor_keys(const struct vtemu *v);    /* ?1h: arrows send ESC O A.. */
