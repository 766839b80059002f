/*
 * vtemu.c - the terminal emulator's parser (see vtemu.h): bytes in, screen
 * edits (vtscreen.c) out.
 *
 * The parser is a small state machine after the DEC VT500 one that xterm
 * and Linux follow: GROUND (text, decoded from UTF-8), ESC, CSI (parameters,
 * a private marker such as '?', an intermediate byte, then the final byte
 * that names the sequence), STRING (OSC, DCS, APC, PM, SOS: read and
 * dropped up to BEL or ESC \) and SKIP (the charset byte of ESC ( X: G0
 * and G1 can be ASCII or DEC special graphics, SO and SI choose between
 * them, and text in the graphics set draws lines: dec_graphic).
 * C0 controls act in every state, as on a VT100: a CR inside a CSI
 * sequence still returns the carriage. CAN and SUB abandon a sequence, ESC
 * starts a new one. Unknown sequences are read whole and ignored.
 *
 * Parameters: at most VTEMU_MAX_PARAMS, each up to 65535 ("CSI 99999 A"
 * is 65535); a missing or 0 parameter takes the sequence's default (1 for
 * counts and positions). ':' separates like ';' (SGR 38:5:n).
 */
#include "mutant.h"
#include "term/vtemu.h"
#include "term/vtscreen.h"

#define TAB_STOP        8
#define PARAM_MAX       65535
#define REPLACEMENT     0xFFFD          /* U+FFFD: what a bad UTF-8 sequence shows */

enum { GROUND, ESCAPE, CSI, STRING, STRING_ESC, SKIP };

static const struct vt_cell default_pen = {
    ' ', VT_DEFAULT_FG, VT_DEFAULT_BG, VT_ATTR_FG_DEFAULT | VT_ATTR_BG_DEFAULT, 0
};

/*
 * DEC special graphics (VT100 User Guide, table 3-9; the code points are
 * the ones xterm and Linux's console map use): bytes 0x5F..0x7E of text
 * in this set are line-drawing pieces and symbols; others stay ASCII.
 */
static const uint16_t dec_graphics[32] = {
    0x00A0,                                                 /* _ blank */
    0x25C6, 0x2592, 0x2409, 0x240C, 0x240D, 0x240A, 0x00B0, /* ` a b c d e f */
    0x00B1, 0x2424, 0x240B, 0x2518, 0x2510, 0x250C, 0x2514, /* g h i j k l m */
    0x253C, 0x23BA, 0x23BB, 0x2500, 0x23BC, 0x23BD, 0x251C, /* n o p q r s t */
    0x2524, 0x2534, 0x252C, 0x2502, 0x2264, 0x2265, 0x03C0, /* u v w x y z { */
    0x2260, 0x00A3, 0x00B7,                                 /* | } ~ */
};

static uint32_t dec_graphic(const struct vtemu *v, uint32_t ch)
{
    if (v->charset[v->shift] == VTEMU_CHARSET_DEC && ch >= 0x5F && ch <= 0x7E &&
        !MUTANT_ENABLED(vt_dec_graphics))
        return dec_graphics[ch - 0x5F];
    return ch;
}

/* Parameter i, or def when it is missing or 0. */
static unsigned param(const struct vtemu *v, unsigned i, unsigned def)
{
    return i < v->nparams && v->params[i] ? v->params[i] : def;
}

static void reply(struct vtemu *v, const char *s, size_t n)
{
    if (v->ops && v->ops->reply)
        v->ops->reply(v->ctx, s, n);
}

/* Decimal digits of n at p; returns the count. */
static unsigned put_decimal(char *p, unsigned n)
{
    char tmp[10];
    unsigned len = 0, i = 0;

    do
        tmp[len++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    while (len)
        p[i++] = tmp[--len];
    return i;
}

/* ---- cursor ---- */

static unsigned origin_row(const struct vtemu *v)
{
    return (v->modes & VTEMU_MODE_ORIGIN) ? v->top : 0;
}

/* CUP: to (col, row), 1-based, rows from the region's top in origin mode. */
static void cursor_position(struct vtemu *v, unsigned row, unsigned col)
{
    int y = (int)(origin_row(v) + row - 1);

    if ((v->modes & VTEMU_MODE_ORIGIN) && y >= (int)v->bottom)
        y = (int)v->bottom - 1;
    vtscreen_goto(v, (int)col - 1, y);
}

/* CUU/CUD: n rows, stopping at the region's edge when inside it. */
static void cursor_vertical(struct vtemu *v, int n)
{
    int y = (int)v->y + n;
    int lo = v->y >= v->top ? (int)v->top : 0;
    int hi = v->y < v->bottom ? (int)v->bottom - 1 : (int)v->rows - 1;

    vtscreen_goto(v, (int)v->x, y < lo ? lo : y > hi ? hi : y);
}

/* ---- tab stops: a bit per column (every 8 past VTEMU_TAB_COLS) ---- */

static int tab_stop(const struct vtemu *v, unsigned x)
{
    if (x >= VTEMU_TAB_COLS)
        return x % TAB_STOP == 0;
    return (v->tabs[x / 32] >> (x % 32)) & 1;
}

static void tab_set(struct vtemu *v, unsigned x, int on)
{
    if (x >= VTEMU_TAB_COLS)
        return;
    if (on)
        v->tabs[x / 32] |= 1u << (x % 32);
    else
        v->tabs[x / 32] &= ~(1u << (x % 32));
}

/* Every 8 columns, as at power-on (RIS). */
static void tabs_default(struct vtemu *v)
{
    for (unsigned x = 0; x < VTEMU_TAB_COLS; x++)
        tab_set(v, x, x % TAB_STOP == 0);
}

/* HT, CHT (n > 0), CBT (n < 0): the next stop, else the last column; back: the
 * stop before, else column 0. */
static void tab(struct vtemu *v, int n)
{
    unsigned x = v->x;

    for (; n > 0 && x < v->cols - 1; n--)
        while (++x < v->cols - 1 && !tab_stop(v, x))
            ;
    for (; n < 0 && x > 0; n++)
        while (--x > 0 && !tab_stop(v, x))
            ;
    if (v->x != x)
        v->pending = 0;
    v->x = x;
}

/* TBC: 0 the stop at the cursor, 3 every stop. */
static void tab_clear(struct vtemu *v, unsigned how)
{
    if (how == 0)
        tab_set(v, v->x, 0);
    else if (how == 3)
        for (unsigned i = 0; i < VTEMU_TAB_COLS / 32; i++)
            v->tabs[i] = 0;
}

static void save_cursor(struct vtemu *v)
{
    struct vt_saved *s = &v->saved[v->screen == &v->alt];

    s->x = v->x, s->y = v->y, s->pending = v->pending, s->pen = v->pen;
    s->charset[0] = v->charset[0], s->charset[1] = v->charset[1], s->shift = v->shift;
}

static void restore_cursor(struct vtemu *v)
{
    const struct vt_saved *s = &v->saved[v->screen == &v->alt];

    vtscreen_goto(v, (int)s->x, (int)s->y);
    v->pending = s->pending;
    v->pen = s->pen;
    v->charset[0] = s->charset[0], v->charset[1] = s->charset[1], v->shift = s->shift;
}

/* ---- modes and resets ---- */

static void soft_reset(struct vtemu *v)
{
    v->modes = VTEMU_MODE_AUTOWRAP | VTEMU_MODE_CURSOR;
    v->top = 0, v->bottom = v->rows;
    v->pen = default_pen;
    v->charset[0] = v->charset[1] = VTEMU_CHARSET_ASCII, v->shift = 0;
    for (int i = 0; i < 2; i++)
        v->saved[i] = (struct vt_saved){ 0, 0, 0, default_pen, { 0, 0 }, 0 };
}

static void full_reset(struct vtemu *v)
{
    soft_reset(v);
    tabs_default(v);
    v->screen = &v->main;
    vtscreen_clear(&v->main, v->cols, v->rows);
    v->x = v->y = 0, v->pending = 0;
    vtscreen_redraw(v);
}

static void use_screen(struct vtemu *v, struct vt_ring *screen)
{
    if (v->screen == screen)
        return;
    v->screen = screen;
    if (screen == &v->alt)
        vtscreen_clear(&v->alt, v->cols, v->rows);
    vtscreen_redraw(v);
}

static void private_mode(struct vtemu *v, unsigned mode, int on)
{
    static const struct { unsigned mode, bit; } bits[] = {
        { 1, VTEMU_MODE_APP_CURSOR }, { 6, VTEMU_MODE_ORIGIN },
        { 7, VTEMU_MODE_AUTOWRAP }, { 25, VTEMU_MODE_CURSOR },
    };

    for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (bits[i].mode == mode)
            v->modes = on ? v->modes | bits[i].bit : v->modes & ~bits[i].bit;
    if (mode == 6)
        cursor_position(v, 1, 1);
    if (mode == 1049 && on)
        save_cursor(v);
    if (mode == 47 || mode == 1047 || mode == 1049)
        use_screen(v, on ? &v->alt : &v->main);
    if (mode == 1048 && on)
        save_cursor(v);
    if ((mode == 1048 || mode == 1049) && !on)
        restore_cursor(v);
}

static void ansi_mode(struct vtemu *v, unsigned mode, int on)
{
    unsigned bit = mode == 4 ? VTEMU_MODE_INSERT : mode == 20 ? VTEMU_MODE_NEWLINE : 0;

    v->modes = on ? v->modes | bit : v->modes & ~bit;
}

static void modes(struct vtemu *v, int on)
{
    for (unsigned i = 0; i < (v->nparams ? v->nparams : 1); i++) {
        if (v->priv == '?')
            private_mode(v, v->params[i], on);
        else if (!v->priv)
            ansi_mode(v, v->params[i], on);
    }
}

/* ---- SGR: colours and attributes ---- */

/* An RGB colour to the nearest of the 6x6x6 cube (indices 16..231). */
static uint8_t rgb_index(unsigned r, unsigned g, unsigned b)
{
    r = r > 255 ? 255 : r, g = g > 255 ? 255 : g, b = b > 255 ? 255 : b;
    return (uint8_t)(16 + 36 * (r * 6 / 256) + 6 * (g * 6 / 256) + b * 6 / 256);
}

/* 38/48 at params[*i]: ;5;N or ;2;R;G;B. Sets *colour, moves *i past it. */
static int extended_colour(const struct vtemu *v, unsigned *i, uint8_t *colour)
{
    unsigned k = *i;

    if (k + 2 < v->nparams && v->params[k + 1] == 5) {
        *colour = (uint8_t)v->params[k + 2];
        *i = k + 2;
        return 1;
    }
    if (k + 4 < v->nparams && v->params[k + 1] == 2) {
        *colour = rgb_index(v->params[k + 2], v->params[k + 3], v->params[k + 4]);
        *i = k + 4;
        return 1;
    }
    *i = v->nparams;                    /* malformed: the rest is its arguments */
    return 0;
}

static void set_colour(struct vtemu *v, int bg, int index)
{
    uint8_t flag = bg ? VT_ATTR_BG_DEFAULT : VT_ATTR_FG_DEFAULT;

    if (index < 0) {
        v->pen.attr |= flag;
        index = bg ? VT_DEFAULT_BG : VT_DEFAULT_FG;
    } else {
        v->pen.attr &= (uint8_t)~flag;
    }
    if (bg)
        v->pen.bg = (uint8_t)index;
    else
        v->pen.fg = (uint8_t)index;
}

static void sgr_attr(struct vtemu *v, unsigned p)
{
    static const struct { uint8_t on, off; } attrs[28] = {
        [1] = { VT_ATTR_BOLD, 0 }, [2] = { VT_ATTR_DIM, 0 }, [4] = { VT_ATTR_UNDERLINE, 0 },
        [5] = { VT_ATTR_BLINK, 0 }, [7] = { VT_ATTR_REVERSE, 0 },
        [21] = { VT_ATTR_UNDERLINE, 0 }, [22] = { 0, VT_ATTR_BOLD | VT_ATTR_DIM },
        [24] = { 0, VT_ATTR_UNDERLINE }, [25] = { 0, VT_ATTR_BLINK }, [27] = { 0, VT_ATTR_REVERSE },
    };

    if (p == 0) {
        v->pen = default_pen;
    } else if (p < 28) {
        v->pen.attr |= attrs[p].on;
        v->pen.attr &= (uint8_t)~attrs[p].off;
    } else if ((p >= 30 && p <= 37) || (p >= 40 && p <= 47)) {
        set_colour(v, p >= 40, (int)(p % 10));
    } else if ((p >= 90 && p <= 97) || (p >= 100 && p <= 107)) {
        set_colour(v, p >= 100, (int)(p % 10 + 8));
    } else if (p == 39 || p == 49) {
        set_colour(v, p == 49, -1);
    }
}

static void sgr(struct vtemu *v)
{
    uint8_t colour;

    if (v->nparams == 0)
        sgr_attr(v, 0);
    for (unsigned i = 0; i < v->nparams; i++) {
        unsigned p = v->params[i];

        if ((p == 38 || p == 48) && extended_colour(v, &i, &colour))
            set_colour(v, p == 48, colour);
        else if (p != 38 && p != 48)
            sgr_attr(v, p);
    }
}

/* ---- CSI sequences ---- */

static void erase_display(struct vtemu *v, unsigned how)
{
    unsigned from = how == 0 ? v->y + 1 : 0, to = how == 1 ? v->y : v->rows;

    if (how == 0)
        vtscreen_erase(v, v->y, v->x, v->cols);
    if (how == 1)
        vtscreen_erase(v, v->y, 0, v->x + 1);
    if (how > 3)
        return;
    for (unsigned r = from; r < to; r++)
        vtscreen_erase(v, r, 0, v->cols);
    if (how == 3 && v->screen == &v->main)
        v->main.kept = 0;
    v->pending = 0;
}

static void erase_line(struct vtemu *v, unsigned how)
{
    if (how <= 2)
        vtscreen_erase(v, v->y, how == 0 ? v->x : 0, how == 1 ? v->x + 1 : v->cols);
    v->pending = 0;
}

/* IL and DL: only inside the scroll region, from the cursor's row down. */
static void lines(struct vtemu *v, unsigned n, int insert)
{
    if (v->y < v->top || v->y >= v->bottom)
        return;
    if (insert)
        vtscreen_scroll_down(v, v->y, v->bottom, n);
    else
        vtscreen_scroll_up(v, v->y, v->bottom, n);
    v->pending = 0;
}

static void set_region(struct vtemu *v)
{
    unsigned top = param(v, 0, 1), bottom = param(v, 1, v->rows);

    if (MUTANT_ENABLED(vt_scroll_region))
        return;                         /* no scroll regions: the screen scrolls whole */
    if (top >= bottom || bottom > v->rows)
        return;
    v->top = top - 1, v->bottom = bottom;
    cursor_position(v, 1, 1);
}

static void device_status(struct vtemu *v)
{
    char buf[32] = "\x1b[";
    unsigned n = 2;

    if (param(v, 0, 0) == 5) {
        reply(v, "\x1b[0n", 4);
    } else if (param(v, 0, 0) == 6) {
        n += put_decimal(buf + n, v->y - origin_row(v) + 1);
        buf[n++] = ';';
        n += put_decimal(buf + n, v->x + 1);
        buf[n++] = 'R';
        reply(v, buf, n);
    }
}

static void csi_cursor(struct vtemu *v, char f)
{
    unsigned n = param(v, 0, 1);

    switch (f) {
    case 'A': cursor_vertical(v, -(int)n); break;
    case 'B': case 'e': cursor_vertical(v, (int)n); break;
    case 'C': case 'a': vtscreen_goto(v, (int)(v->x + n), (int)v->y); break;
    case 'D': vtscreen_goto(v, (int)v->x - (int)n, (int)v->y); break;
    case 'E': cursor_vertical(v, (int)n), v->x = 0; break;
    case 'F': cursor_vertical(v, -(int)n), v->x = 0; break;
    case 'G': case '`': vtscreen_goto(v, (int)n - 1, (int)v->y); break;
    case 'd': cursor_position(v, n, v->x + 1); break;
    case 'H': case 'f': cursor_position(v, n, param(v, 1, 1)); break;
    case 'I': tab(v, (int)n); break;
    case 'Z': tab(v, -(int)n); break;
    case 's': save_cursor(v); break;
    case 'u': restore_cursor(v); break;
    }
}

static void csi_edit(struct vtemu *v, char f)
{
    unsigned n = param(v, 0, 1);

    switch (f) {
    case 'J': erase_display(v, param(v, 0, 0)); break;
    case 'K': erase_line(v, param(v, 0, 0)); break;
    case 'L': lines(v, n, 1); break;
    case 'M': lines(v, n, 0); break;
    case '@': vtscreen_insert_chars(v, n); break;
    case 'P': vtscreen_delete_chars(v, n); break;
    case 'X': vtscreen_erase(v, v->y, v->x, v->x + n > v->cols ? v->cols : v->x + n); break;
    case 'S': vtscreen_scroll_up(v, v->top, v->bottom, n); break;
    case 'T': vtscreen_scroll_down(v, v->top, v->bottom, n); break;
    }
}

static void csi_dispatch(struct vtemu *v, char f)
{
    if (v->inter) {
        if (v->inter == '!' && f == 'p')
            soft_reset(v);              /* DECSTR */
        return;
    }
    if (f == 'h' || f == 'l') {
        modes(v, f == 'h');
    } else if (v->priv) {
        return;                         /* ?..., >..., =... other than modes: none */
    } else if (f == 'm') {
        sgr(v);
    } else if (f == 'r') {
        set_region(v);
    } else if (f == 'n') {
        device_status(v);
    } else if (f == 'c') {
        reply(v, "\x1b[?6c", 5);        /* DA: a VT102, as Linux answers */
    } else if (f == 'g') {
        tab_clear(v, param(v, 0, 0));   /* TBC */
    } else {
        csi_cursor(v, f);
        csi_edit(v, f);
    }
}

static void csi_byte(struct vtemu *v, unsigned char b)
{
    if (b >= '0' && b <= '9') {
        unsigned *p;
        if (v->nparams == 0)
            v->nparams = 1;
        p = &v->params[v->nparams - 1];
        *p = *p * 10 + (b - '0');
        if (*p > PARAM_MAX)
            *p = PARAM_MAX;
    } else if (b == ';' || b == ':') {
        if (v->nparams == 0)
            v->nparams = 1;
        if (v->nparams < VTEMU_MAX_PARAMS)
            v->params[v->nparams++] = 0;
    } else if (b >= '<' && b <= '?') {
        v->priv = (char)b;
    } else if (b >= 0x20 && b <= 0x2F) {
        v->inter = (char)b;
    } else if (b >= 0x40 && b <= 0x7E) {
        v->state = GROUND;
        csi_dispatch(v, (char)b);
    }
}

/* ---- ESC sequences and controls ---- */

static void esc_byte(struct vtemu *v, unsigned char b)
{
    v->state = GROUND;
    switch (b) {
    case '[':
        v->state = CSI;
        v->nparams = 0, v->priv = v->inter = 0;
        for (unsigned i = 0; i < VTEMU_MAX_PARAMS; i++)
            v->params[i] = 0;
        break;
    case ']': case 'P': case 'X': case '^': case '_': v->state = STRING; break;
    case '(': case ')': case '*': case '+': case '#': case '%':
        v->state = SKIP, v->designate = (char)b;
        break;
    case 'H':                                       /* HTS */
        if (!MUTANT_ENABLED(vt_tab_set))
            tab_set(v, v->x, 1);
        break;
    case '7': save_cursor(v); break;
    case '8': restore_cursor(v); break;
    case 'D': vtscreen_index(v); v->pending = 0; break;
    case 'E': vtscreen_index(v); v->x = 0, v->pending = 0; break;
    case 'M': vtscreen_reverse_index(v); v->pending = 0; break;
    case 'c': full_reset(v); break;
    }
}

static void control(struct vtemu *v, unsigned char b)
{
    switch (b) {
    case '\b':
        if (v->x)
            v->x--;
        v->pending = 0;
        break;
    case '\t': tab(v, 1); break;
    case '\n': case '\v': case '\f':
        vtscreen_index(v);
        if (v->modes & VTEMU_MODE_NEWLINE)
            v->x = 0;
        v->pending = 0;
        break;
    case '\r': v->x = 0, v->pending = 0; break;
    case 0x0E: v->shift = 1; break;                 /* SO: G1 */
    case 0x0F: v->shift = 0; break;                 /* SI: G0 */
    }
}

/* GROUND: one byte of UTF-8 text. */
static void text_byte(struct vtemu *v, unsigned char b)
{
    if (v->need && (b & 0xC0) == 0x80) {
        v->cp = v->cp << 6 | (b & 0x3F);
        if (--v->need == 0) {
            int bad = v->cp < v->min || v->cp > 0x10FFFF || (v->cp >= 0xD800 && v->cp <= 0xDFFF);
            vtscreen_put(v, bad ? REPLACEMENT : v->cp);
        }
        return;
    }
    if (v->need) {                      /* a sequence cut short */
        v->need = 0;
        vtscreen_put(v, REPLACEMENT);
    }
    if (b < 0x80)
        vtscreen_put(v, dec_graphic(v, b));
    else if ((b & 0xE0) == 0xC0)
        v->cp = b & 0x1F, v->need = 1, v->min = 0x80;
    else if ((b & 0xF0) == 0xE0)
        v->cp = b & 0x0F, v->need = 2, v->min = 0x800;
    else if ((b & 0xF8) == 0xF0)
        v->cp = b & 0x07, v->need = 3, v->min = 0x10000;
    else
        vtscreen_put(v, REPLACEMENT);
}

static void feed(struct vtemu *v, unsigned char b)
{
    if (v->state == STRING || v->state == STRING_ESC) {
        if (b == 0x07 || (v->state == STRING_ESC && b == '\\'))
            v->state = GROUND;
        else if (v->state == STRING_ESC)
            esc_byte(v, b);             /* ESC then not \: a new sequence */
        else
            v->state = b == 0x1B ? STRING_ESC : STRING;
    } else if (b == 0x18 || b == 0x1A) {
        v->state = GROUND;
    } else if (b == 0x1B) {
        v->state = ESCAPE;
    } else if (b < 0x20) {
        control(v, b);
    } else if (b == 0x7F) {
        return;                         /* DEL: fills nothing */
    } else if (v->state == ESCAPE) {
        esc_byte(v, b);
    } else if (v->state == CSI) {
        csi_byte(v, b);
    } else if (v->state == SKIP) {
        v->state = GROUND;
        if (v->designate == '(' || v->designate == ')')
            v->charset[v->designate == ')'] = b == '0' ? VTEMU_CHARSET_DEC : VTEMU_CHARSET_ASCII;
    } else {
        text_byte(v, b);
    }
}

/* ---- the interface ---- */

void vtemu_init(struct vtemu *v, unsigned cols, unsigned rows, struct vt_cell *mem,
                unsigned scrollback)
{
    *v = (struct vtemu){ .cols = cols, .rows = rows };
    v->main = (struct vt_ring){ mem, rows + scrollback, 0, 0 };
    v->alt = (struct vt_ring){ mem + (size_t)cols * (rows + scrollback), rows, 0, 0 };
    vtscreen_clear(&v->alt, cols, rows);
    full_reset(v);
}

void vtemu_attach(struct vtemu *v, const struct vt_ops *ops, void *ctx)
{
    v->ops = ops, v->ctx = ctx;
    v->cursor_drawn = 0;
    vtscreen_redraw(v);
    vtscreen_show_cursor(v);
}

void vtemu_write(struct vtemu *v, const char *s, size_t n)
{
    if (v->back)
        vtemu_view(v, 0);
    vtscreen_hide_cursor(v);
    for (size_t i = 0; i < n; i++)
        feed(v, (unsigned char)s[i]);
    vtscreen_show_cursor(v);
}

unsigned vtemu_view(struct vtemu *v, unsigned back)
{
    if (v->screen != &v->main)
        back = 0;
    if (back > v->main.kept)
        back = v->main.kept;
    if (back != v->back) {
        vtscreen_hide_cursor(v);
        v->back = back;
        vtscreen_redraw(v);
        vtscreen_show_cursor(v);
    }
    return back;
}

const struct vt_cell *vtemu_row(const struct vtemu *v, int n)
{
    const struct vt_ring *m = &v->main;

    if (n >= 0)
        return n < (int)v->rows ? vtscreen_row(v, (unsigned)n) : 0;
    if (-n > (int)m->kept)
        return 0;
    return m->cells + (size_t)((m->top + m->lines - (unsigned)-n) % m->lines) * v->cols;
}

unsigned vtemu_kept(const struct vtemu *v)
{
    return v->main.kept;
}

int vtemu_cursor_visible(const struct vtemu *v)
{
    return (v->modes & VTEMU_MODE_CURSOR) != 0;
}

int vtemu_app_cursor_keys(const struct vtemu *v)
{
    return (v->modes & VTEMU_MODE_APP_CURSOR) != 0;
}
