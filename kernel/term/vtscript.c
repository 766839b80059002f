/*
 * vtscript.c - reading escape-sequence scripts and checking an emulator's
 * screen against them (see vtscript.h for the format).
 *
 * The parser keeps pointers into the text for the expected rows (the text
 * must outlive the struct) and decodes only `send` into the struct. The
 * check decodes each expected row's UTF-8 itself (expected values come
 * from the file, not from the emulator's decoder).
 */
#include <string.h>

#include "format.h"
#include "term/vtscript.h"

struct cursor {
    const char *p, *end;            /* the rest of the text */
    unsigned *line;
};

/* The next line into [*start, *len), comments skipped; 0 at the end. */
static int next_line(struct cursor *c, const char **start, size_t *len)
{
    while (c->p < c->end) {
        const char *s = c->p, *e = s;
        while (e < c->end && *e != '\n')
            e++;
        c->p = e < c->end ? e + 1 : e;
        (*c->line)++;
        if (e > s && e[-1] == '\r')
            e--;
        if (e == s || *s == '#')
            continue;
        *start = s, *len = (size_t)(e - s);
        return 1;
    }
    return 0;
}

static int word_is(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);

    return len >= n && memcmp(s, word, n) == 0 && (len == n || s[n] == ' ');
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
           c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode a send/reply line's escapes into out; -1 on a bad escape or no room. */
static int unescape(const char *s, size_t len, char *out, size_t cap, size_t *n)
{
    static const char from[] = "ertnbs\\", to[] = "\x1b\r\t\n\b \\";

    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '\\') {
            const char *k = ++i < len ? strchr(from, s[i]) : 0;
            if (i < len && s[i] == 'x' && i + 2 < len && hex_digit(s[i + 1]) >= 0 &&
                hex_digit(s[i + 2]) >= 0) {
                ch = (char)(hex_digit(s[i + 1]) << 4 | hex_digit(s[i + 2]));
                i += 2;
            } else if (k && *k) {
                ch = to[k - from];
            } else {
                return -1;
            }
        }
        if (*n >= cap)
            return -1;
        out[(*n)++] = ch;
    }
    return 0;
}

static unsigned number(const char **s, const char *end)
{
    unsigned n = 0;

    while (*s < end && **s == ' ')
        (*s)++;
    while (*s < end && **s >= '0' && **s <= '9')
        n = n * 10 + (unsigned)(*(*s)++ - '0');
    return n;
}

/* "fg=N", "bg=default", "bold"...: one word of a style line; -1 unknown. */
static int style_word(const char *w, size_t len, struct vt_cell *look)
{
    static const struct { const char *name; uint8_t attr; } attrs[] = {
        { "bold", VT_ATTR_BOLD }, { "dim", VT_ATTR_DIM }, { "underline", VT_ATTR_UNDERLINE },
        { "blink", VT_ATTR_BLINK }, { "reverse", VT_ATTR_REVERSE },
    };
    int bg = len > 3 && memcmp(w, "bg=", 3) == 0;

    if (len > 3 && (bg || memcmp(w, "fg=", 3) == 0)) {
        const char *p = w + 3;
        uint8_t flag = bg ? VT_ATTR_BG_DEFAULT : VT_ATTR_FG_DEFAULT;
        unsigned n = number(&p, w + len);
        if (len == 10 && memcmp(w + 3, "default", 7) == 0)
            return 0;
        if (p != w + len || n > 255)
            return -1;
        look->attr &= (uint8_t)~flag;
        *(bg ? &look->bg : &look->fg) = (uint8_t)n;
        return 0;
    }
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (strlen(attrs[i].name) == len && memcmp(w, attrs[i].name, len) == 0) {
            look->attr |= attrs[i].attr;
            return 0;
        }
    return -1;
}

static int parse_style(struct vtscript *s, const char *l, size_t len)
{
    struct vtscript_style *st = &s->styles[s->nstyles];
    const char *p = l + 6, *end = l + len;

    if (s->nstyles == VTSCRIPT_STYLES || len < 8 || p[1] != ' ')
        return -1;
    st->letter = *p;
    st->look = (struct vt_cell){ ' ', VT_DEFAULT_FG, VT_DEFAULT_BG,
                                 VT_ATTR_FG_DEFAULT | VT_ATTR_BG_DEFAULT, 0 };
    for (p += 2; p < end;) {
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        if (p > w && style_word(w, (size_t)(p - w), &st->look) != 0)
            return -1;
        while (p < end && *p == ' ')
            p++;
    }
    s->nstyles++;
    return 0;
}

/* ROWS lines |...| after "screen" or "attrs" into rows[]. */
static int parse_rows(struct cursor *c, const struct vtscript *s, const char **rows)
{
    const char *l;
    size_t len;

    for (unsigned r = 0; r < s->rows; r++) {
        if (!next_line(c, &l, &len) || len < 2 || l[0] != '|' || l[len - 1] != '|')
            return -1;
        rows[r] = l + 1;
    }
    return 0;
}

static int parse_size(struct vtscript *s, const char *l, size_t len)
{
    const char *p = l + 4, *end = l + len;

    s->cols = number(&p, end);
    s->rows = number(&p, end);
    return p == end && s->cols && s->rows && s->cols <= VTSCRIPT_COLS &&
           s->rows <= VTSCRIPT_ROWS ? 0 : -1;
}

static int parse_cursor(struct vtscript *s, const char *l, size_t len)
{
    const char *p = l + 6, *end = l + len;

    if (len == 13 && memcmp(l, "cursor hidden", 13) == 0) {
        s->cursor_x = -2;
        return 0;
    }
    s->cursor_x = (int)number(&p, end);
    s->cursor_y = (int)number(&p, end);
    return p == end ? 0 : -1;
}

/* One line of a script's body; 1 at "end", 0 parsed, -1 bad. */
static int parse_body_line(struct cursor *c, struct vtscript *s, const char *l, size_t len)
{
    size_t n = 0;
    const char *p = l + 4;

    if (word_is(l, len, "end"))
        return 1;
    if (word_is(l, len, "size"))
        return parse_size(s, l, len);
    if (word_is(l, len, "send"))
        return len > 5 ? unescape(l + 5, len - 5, s->send, sizeof s->send, &s->send_len) : -1;
    if (word_is(l, len, "screen") && s->rows)
        return parse_rows(c, s, s->screen);
    if (word_is(l, len, "attrs") && s->rows)
        return parse_rows(c, s, s->attrs);
    if (word_is(l, len, "style"))
        return parse_style(s, l, len);
    if (word_is(l, len, "cursor"))
        return parse_cursor(s, l, len);
    if (word_is(l, len, "kept")) {
        s->kept = (int)number(&p, l + len);
        return p == l + len ? 0 : -1;
    }
    if (word_is(l, len, "reply") && len > 6) {
        int r = unescape(l + 6, len - 6, s->reply, sizeof s->reply, &n);
        s->reply_len = (int)n;
        return r;
    }
    return -1;
}

static void start_script(struct vtscript *s, const char *l, size_t len, unsigned line)
{
    size_t n = len - 7 < sizeof s->name - 1 ? len - 7 : sizeof s->name - 1;

    memset(s, 0, sizeof *s);
    memcpy(s->name, l + 7, n);
    s->line = line;
    s->cursor_x = s->cursor_y = s->kept = s->reply_len = -1;
}

int vtscript_parse(const char **pos, const char *end, unsigned *line, struct vtscript *s,
                   char *why, size_t cap)
{
    struct cursor c = { *pos, end, line };
    const char *l;
    size_t len;
    int r = 0;

    if (!next_line(&c, &l, &len))
        return 0;
    if (!word_is(l, len, "script") || len < 8) {
        format_snprintf(why, cap, "line %u: expected 'script NAME'", *line);
        return -1;
    }
    start_script(s, l, len, *line);
    while (r == 0 && next_line(&c, &l, &len))
        r = parse_body_line(&c, s, l, len);
    if (r != 1 || !s->rows || !s->screen[0]) {
        format_snprintf(why, cap, "script %s: line %u: %s", s->name, *line,
                        r == 1 ? "no size or no screen" : r == 0 ? "no 'end'" : "not understood");
        return -1;
    }
    *pos = c.p;
    return 1;
}

/* ---- checking a screen ---- */

/* The code point at *p (UTF-8, trusted: it is the script's own text). */
static uint32_t utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned n = s[0] < 0x80 ? 0 : s[0] < 0xE0 ? 1 : s[0] < 0xF0 ? 2 : 3;
    uint32_t cp = n == 0 ? s[0] : s[0] & (0x3F >> n);

    for (unsigned i = 1; i <= n && (s[i] & 0xC0) == 0x80; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    *p += n + 1;
    return cp;
}

static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80)
        return out[0] = (char)cp, 1;
    if (cp < 0x800)
        return out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        return out[2] = (char)(0x80 | (cp & 0x3F)), 3;
    }
    out[0] = (char)(0xF0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void vtscript_row_text(const struct vtemu *v, unsigned r, char *buf, size_t cap)
{
    const struct vt_cell *row = vtemu_row(v, (int)r);
    size_t n = 0;

    for (unsigned c = 0; row && c < v->cols && n + 5 < cap; c++)
        n += utf8_put(buf + n, row[c].ch);
    buf[n] = 0;
}

static int same_look(const struct vt_cell *a, const struct vt_cell *b)
{
    return a->attr == b->attr && ((a->attr & VT_ATTR_FG_DEFAULT) || a->fg == b->fg) &&
           ((a->attr & VT_ATTR_BG_DEFAULT) || a->bg == b->bg);
}

static const struct vt_cell *look_of(const struct vtscript *s, char letter)
{
    static const struct vt_cell plain = { ' ', VT_DEFAULT_FG, VT_DEFAULT_BG,
                                          VT_ATTR_FG_DEFAULT | VT_ATTR_BG_DEFAULT, 0 };

    if (letter == '.')
        return &plain;
    for (unsigned i = 0; i < s->nstyles; i++)
        if (s->styles[i].letter == letter)
            return &s->styles[i].look;
    return 0;
}

static size_t line_length(const char *s)
{
    size_t n = 0;

    while (s[n] && s[n] != '\n' && s[n] != '\r')
        n++;
    return n;
}

/* Row r: its characters, then its looks; 0 when they match. */
static int check_row(const struct vtscript *s, const struct vtemu *v, unsigned r, char *why, size_t cap)
{
    const struct vt_cell *row = vtemu_row(v, (int)r);
    const char *p = s->screen[r], *a = s->attrs[r];
    char got[VTSCRIPT_COLS * 4 + 1];

    for (unsigned c = 0; c < s->cols; c++) {
        const struct vt_cell *look = a ? look_of(s, a[c]) : 0;
        if (*p == '|' || utf8_next(&p) != row[c].ch) {
            vtscript_row_text(v, r, got, sizeof got);
            format_snprintf(why, cap, "script %s: row %u col %u: expected |%.*s got |%s|", s->name,
                            r, c, (int)line_length(s->screen[r]), s->screen[r], got);
            return -1;
        }
        if (a && (!look || !same_look(look, &row[c]))) {
            format_snprintf(why, cap, "script %s: row %u col %u: expected look '%c', got fg %u "
                            "bg %u attr 0x%x", s->name, r, c, a[c], row[c].fg, row[c].bg, row[c].attr);
            return -1;
        }
    }
    return 0;
}

int vtscript_check(const struct vtscript *s, const struct vtemu *v, const char *reply,
                   size_t reply_len, char *why, size_t cap)
{
    for (unsigned r = 0; r < s->rows; r++)
        if (check_row(s, v, r, why, cap) != 0)
            return -1;
    if (s->cursor_x == -2 && vtemu_cursor_visible(v))
        return format_snprintf(why, cap, "script %s: the cursor is visible", s->name), -1;
    if (s->cursor_x >= 0 && (v->x != (unsigned)s->cursor_x || v->y != (unsigned)s->cursor_y))
        return format_snprintf(why, cap, "script %s: cursor at %u %u, expected %d %d", s->name,
                               v->x, v->y, s->cursor_x, s->cursor_y), -1;
    if (s->kept >= 0 && vtemu_kept(v) != (unsigned)s->kept)
        return format_snprintf(why, cap, "script %s: scrollback holds %u rows, expected %d",
                               s->name, vtemu_kept(v), s->kept), -1;
    if (s->reply_len >= 0 && (reply_len != (size_t)s->reply_len || memcmp(reply, s->reply, reply_len)))
        return format_snprintf(why, cap, "script %s: replied %zu bytes, not the %d expected",
                               s->name, reply_len, s->reply_len), -1;
    return 0;
}
