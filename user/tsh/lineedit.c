/*
 * lineedit.c - the line editor (lineedit.h).
 *
 * The whole line is redrawn after each key: carriage return, the prompt,
 * the text, erase to the end of the screen line (ESC [ K), then the cursor
 * moved back left (ESC [ N D) to its place. Cheap enough on a serial line
 * for lines shorter than the screen; a line wider than the screen is not
 * handled (docs/tsh.md).
 *
 * Escape sequences: ESC [ A/B/C/D (arrows), ESC [ H / ESC [ F / ESC O H /
 * ESC O F / ESC [ 1 ~ / ESC [ 4 ~ (Home, End), ESC [ 3 ~ (Delete).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ast.h"
#include "complete.h"
#include "history.h"
#include "lineedit.h"
#include "mem.h"
#include "shell.h"

#define CTRL(c) ((c) & 0x1f)

void le_start(struct lineedit *le, const char *prompt, int out_fd)
{
    memset(le, 0, sizeof *le);
    le->prompt = prompt;
    le->out_fd = out_fd;
    le->hist = history_count();
    le->match = -1;
}

static void redraw(struct lineedit *le)
{
    struct strbuf sb = { 0 };
    char move[24];

    sb_addc(&sb, '\r');
    if (le->searching) {
        const char *m = le->match >= 0 ? history_get(le->match) : "";
        sb_adds(&sb, "(reverse-i-search)'");
        sb_adds(&sb, le->query);
        sb_adds(&sb, "': ");
        sb_adds(&sb, m);
        sb_adds(&sb, "\x1b[K");
    } else {
        sb_adds(&sb, le->prompt);
        sb_add(&sb, le->buf, le->len);
        sb_adds(&sb, "\x1b[K");
        if (le->pos < le->len) {
            snprintf(move, sizeof move, "\x1b[%zuD", le->len - le->pos);
            sb_adds(&sb, move);
        }
    }
    out_str(le->out_fd, sb.s);
    free(sb.s);
}

static void set_line(struct lineedit *le, const char *s)
{
    le->len = le->pos = strnlen(s, LE_LINE_MAX - 1);
    memcpy(le->buf, s, le->len);
}

static void insert(struct lineedit *le, const char *s, size_t n)
{
    if (le->len + n >= LE_LINE_MAX)
        return;
    memmove(le->buf + le->pos + n, le->buf + le->pos, le->len - le->pos);
    memcpy(le->buf + le->pos, s, n);
    le->len += n;
    le->pos += n;
}

/* Remove [from, to) of the line; the cursor goes to from. */
static void cut(struct lineedit *le, size_t from, size_t to)
{
    memmove(le->buf + from, le->buf + to, le->len - to);
    le->len -= to - from;
    le->pos = from;
}

static void history_step(struct lineedit *le, int step)
{
    int to = le->hist + step;

    if (to < 0 || to > history_count())
        return;
    if (le->hist == history_count()) {
        memcpy(le->saved, le->buf, le->len);
        le->saved[le->len] = 0;
    }
    le->hist = to;
    set_line(le, to == history_count() ? le->saved : history_get(to));
}

/* Tab: one candidate is put in place; several: their common part, or a list of them. */
static void tab(struct lineedit *le)
{
    size_t start, common;
    char save = le->buf[le->len], **c;

    le->buf[le->len] = 0;
    c = complete_word(le->buf, le->pos, &start);
    le->buf[le->len] = save;
    if (!c) {
        out_str(le->out_fd, "\a");
        return;
    }
    common = strlen(c[0]);
    for (int i = 1; c[i]; i++)
        for (size_t k = 0; k < common; k++)
            if (c[i][k] != c[0][k]) {
                common = k;
                break;
            }
    if (common > le->pos - start) {
        cut(le, start, le->pos);
        insert(le, c[0], common);
        if (!c[1] && c[0][common - 1] != '/')
            insert(le, " ", 1);
    } else if (c[1]) {
        out_str(le->out_fd, "\r\n");
        for (int i = 0; c[i]; i++) {
            out_str(le->out_fd, c[i]);
            out_str(le->out_fd, c[i + 1] ? "  " : "\r\n");
        }
    }
    strv_free(c);
}

/* ^R: typing narrows the search, ^R looks further back, Enter runs the match, ^G/^C give up, any other key edits it. */
static enum le_result search_key(struct lineedit *le, unsigned char c)
{
    size_t q = strlen(le->query);

    if (c == CTRL('R')) {
        int m = history_search(le->query, le->match >= 0 ? le->match : history_count());
        le->match = m >= 0 ? m : le->match;
        return LE_MORE;
    }
    if (c >= ' ' && c != 0x7f && q + 1 < sizeof le->query) {
        le->query[q] = (char)c;
        le->query[q + 1] = 0;
        int m = history_search(le->query, le->match >= 0 ? le->match + 1 : history_count());
        le->match = m;
        return LE_MORE;
    }
    if ((c == 0x7f || c == CTRL('H')) && q) {
        le->query[q - 1] = 0;
        return LE_MORE;
    }
    le->searching = false;
    if (c == CTRL('G') || c == CTRL('C'))
        return LE_MORE;
    if (le->match >= 0)
        set_line(le, history_get(le->match));
    return c == '\r' || c == '\n' ? LE_DONE : le_feed(le, c);
}

/* The end of an escape sequence: which key it was. */
static void escape_key(struct lineedit *le)
{
    const char *e = le->esc;

    if (!strcmp(e, "[D") && le->pos > 0)
        le->pos--;
    else if (!strcmp(e, "[C") && le->pos < le->len)
        le->pos++;
    else if (!strcmp(e, "[A"))
        history_step(le, -1);
    else if (!strcmp(e, "[B"))
        history_step(le, 1);
    else if (!strcmp(e, "[H") || !strcmp(e, "OH") || !strcmp(e, "[1~"))
        le->pos = 0;
    else if (!strcmp(e, "[F") || !strcmp(e, "OF") || !strcmp(e, "[4~"))
        le->pos = le->len;
    else if (!strcmp(e, "[3~") && le->pos < le->len)
        cut(le, le->pos, le->pos + 1);
}

/* Bytes of an escape sequence; true while it goes on. */
static bool escape_byte(struct lineedit *le, unsigned char c)
{
    le->esc[le->esc_len++] = (char)c;
    le->esc[le->esc_len] = 0;
    if (le->esc_len == 1)
        return c == '[' || c == 'O' ? true : (le->esc_len = 0, false);
    if ((c >= '0' && c <= '9') && le->esc_len < (int)sizeof le->esc - 1)
        return true;
    escape_key(le);
    le->esc_len = 0;
    return false;
}

static enum le_result edit_key(struct lineedit *le, unsigned char c)
{
    size_t w = le->pos;

    switch (c) {
    case '\r': case '\n': return LE_DONE;
    case CTRL('D'):
        if (!le->len)
            return LE_EOF;
        if (le->pos < le->len)
            cut(le, le->pos, le->pos + 1);
        break;
    case CTRL('C'): return LE_CANCEL;
    case CTRL('A'): le->pos = 0; break;
    case CTRL('E'): le->pos = le->len; break;
    case CTRL('B'): if (le->pos) le->pos--; break;
    case CTRL('F'): if (le->pos < le->len) le->pos++; break;
    case CTRL('K'): le->len = le->pos; break;
    case CTRL('U'): cut(le, 0, le->pos); break;
    case CTRL('W'):
        while (w > 0 && le->buf[w - 1] == ' ')
            w--;
        while (w > 0 && le->buf[w - 1] != ' ')
            w--;
        cut(le, w, le->pos);
        break;
    case CTRL('H'): case 0x7f: if (le->pos) cut(le, le->pos - 1, le->pos); break;
    case CTRL('R'):
        le->searching = true;
        le->query[0] = 0;
        le->match = -1;
        break;
    case '\t': tab(le); break;
    case 0x1b: le->in_escape = true, le->esc_len = 0; break;
    default:
        if (c >= ' ')
            insert(le, (const char *)&c, 1);
        else
            out_str(le->out_fd, "\a");
    }
    return LE_MORE;
}

enum le_result le_feed(struct lineedit *le, unsigned char c)
{
    enum le_result r = LE_MORE;

    if (le->in_escape) {
        if (escape_byte(le, c))
            return LE_MORE;
        le->in_escape = false;
    } else if (le->searching) {
        r = search_key(le, c);
    } else {
        r = edit_key(le, c);
    }
    if (r == LE_MORE || r == LE_DONE)
        redraw(le);
    return r;
}

char *le_read_line(const char *prompt)
{
    struct termios old, raw;
    struct lineedit *le = xmalloc(sizeof *le);
    enum le_result r = LE_MORE;
    unsigned char c;
    char *line = NULL;

    tcgetattr(0, &old);
    raw = old;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSADRAIN, &raw);
    le_start(le, prompt, 2);
    redraw(le);
    while (r == LE_MORE) {
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        r = n == 1 ? le_feed(le, c) : LE_EOF;
        if (r == LE_CANCEL) {
            out_str(2, "^C\r\n");
            le_start(le, prompt, 2);
            redraw(le);
            r = LE_MORE;
        }
    }
    tcsetattr(0, TCSADRAIN, &old);
    out_str(2, "\n");
    if (r == LE_DONE)
        line = xstrndup(le->buf, le->len);
    free(le);
    return line;
}
