/*
 * lineedit.c - the line editor (see lineedit.h): keys in, the edited line
 * and its drawing out.
 *
 * Layers: lineedit_feed sorts each byte into a control key, a printable
 * character or a piece of an escape sequence (decode_escape, whose states
 * are ESC_*); each key becomes an edit of line[] (insert, erase, cut,
 * cursor moves, history); then the edit is drawn: an append by echoing
 * its character, everything else by redraw().
 */
#include <string.h>

#include "format.h"
#include "monitor/lineedit.h"
#include "mutant.h"

#define CTRL(c)     ((c) & 0x1F)
#define KEY_ESC     0x1B
#define KEY_DEL     0x7F
#define DEFAULT_COLS 80

/* Escape decoding: after ESC, after ESC [ (CSI), after ESC O (SS3). */
enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

/* Keys that arrive as escape sequences. */
enum lineedit_key { K_NONE, K_UP, K_DOWN, K_RIGHT, K_LEFT, K_HOME, K_END, K_DELETE };

static void out(struct lineedit *le, const char *s, size_t n)
{
    le->write(le->ctx, s, n);
}

static void bell(struct lineedit *le)
{
    out(le, "\a", 1);
}

void lineedit_init(struct lineedit *le, const char *prompt, unsigned cols,
                   lineedit_write_fn *write, void *ctx)
{
    memset(le, 0, sizeof *le);
    le->prompt = prompt;
    le->prompt_len = strlen(prompt);
    if (cols == 0)
        cols = DEFAULT_COLS;
    le->room = cols > le->prompt_len + 1 ? cols - le->prompt_len - 1 : 1;
    if (le->room > LINEEDIT_MAX - 1)
        le->room = LINEEDIT_MAX - 1;
    le->write = write;
    le->ctx = ctx;
    le->browse = -1;
}

/* CR, prompt, line, erase the rest of the row, cursor back to its column. */
static void redraw(struct lineedit *le)
{
    char buf[LINEEDIT_MAX * 2 + 32];
    int n = format_snprintf(buf, sizeof buf, "\r%s%s\x1b[K", le->prompt, le->line);

    if (le->cur < le->len)
        n += format_snprintf(buf + n, sizeof buf - (size_t)n, "\x1b[%uD",
                             (unsigned)(le->len - le->cur));
    out(le, buf, (size_t)n);
}

void lineedit_begin(struct lineedit *le)
{
    le->len = le->cur = 0;
    le->line[0] = 0;
    le->esc = ESC_NONE;
    le->browse = -1;
    out(le, le->prompt, le->prompt_len);
}

const char *lineedit_line(const struct lineedit *le)
{
    return le->line;
}

/* Replace the whole line (history) and put the cursor at its end. */
static void set_line(struct lineedit *le, const char *s)
{
    size_t n = 0;

    while (n < le->room && s[n])
        n++;

    memcpy(le->line, s, n);
    le->line[n] = 0;
    le->len = le->cur = n;
    redraw(le);
}

static void insert(struct lineedit *le, char c)
{
    if (le->len >= le->room) {
        bell(le);
        return;
    }
    memmove(le->line + le->cur + 1, le->line + le->cur, le->len - le->cur + 1);
    le->line[le->cur++] = c;
    le->len++;
    if (le->cur == le->len)
        out(le, &c, 1);
    else
        redraw(le);
}

/* Remove line[from..to) and leave the cursor at from. */
static void cut(struct lineedit *le, size_t from, size_t to)
{
    if (from >= to) {
        bell(le);
        return;
    }
    memmove(le->line + from, le->line + to, le->len - to + 1);
    le->len -= to - from;
    le->cur = from;
    redraw(le);
}

/* The start of the word before the cursor: spaces, then non-spaces, skipped back. */
static size_t word_start(const struct lineedit *le)
{
    size_t i = le->cur;

    while (i > 0 && le->line[i - 1] == ' ')
        i--;
    while (i > 0 && le->line[i - 1] != ' ')
        i--;
    return i;
}

static void move_to(struct lineedit *le, size_t pos)
{
    if (pos == le->cur)
        return;
    le->cur = pos;
    redraw(le);
}

/* Left and Right by one; at either end, the bell. */
static void step(struct lineedit *le, int dir)
{
    if ((dir < 0 && le->cur == 0) || (dir > 0 && le->cur == le->len)) {
        bell(le);
        return;
    }
    move_to(le, dir < 0 ? le->cur - 1 : le->cur + 1);
}

const char *lineedit_history(const struct lineedit *le, unsigned n)
{
    if (n >= le->history_count)
        return 0;
    return le->history[(le->history_next + LINEEDIT_HISTORY - 1 - n) % LINEEDIT_HISTORY];
}

static void history_add(struct lineedit *le)
{
    const char *newest = lineedit_history(le, 0);

    if (le->len == 0 || (newest && strcmp(newest, le->line) == 0))
        return;
    memcpy(le->history[le->history_next], le->line, le->len + 1);
    le->history_next = (le->history_next + 1) % LINEEDIT_HISTORY;
    if (le->history_count < LINEEDIT_HISTORY)
        le->history_count++;
}

/* Up (older: dir 1) or Down (newer: dir -1) through the history. */
static void browse(struct lineedit *le, int dir)
{
    int to = le->browse + dir;

    if (MUTANT_ENABLED(monitor_history) || to < -1 || to >= (int)le->history_count) {
        bell(le);
        return;
    }
    if (le->browse == -1)
        memcpy(le->typed, le->line, le->len + 1);
    le->browse = to;
    set_line(le, to == -1 ? le->typed : lineedit_history(le, (unsigned)to));
}

static void key(struct lineedit *le, enum lineedit_key k)
{
    switch (k) {
    case K_UP:     browse(le, 1); break;
    case K_DOWN:   browse(le, -1); break;
    case K_LEFT:   step(le, -1); break;
    case K_RIGHT:  step(le, 1); break;
    case K_HOME:   move_to(le, 0); break;
    case K_END:    move_to(le, le->len); break;
    case K_DELETE: cut(le, le->cur, le->cur < le->len ? le->cur + 1 : le->cur); break;
    case K_NONE:   break;
    }
}

/* The key of a finished CSI sequence: ESC [ params final. */
static enum lineedit_key csi_key(const struct lineedit *le, char final)
{
    static const enum lineedit_key tilde[] = { K_NONE, K_HOME, K_NONE, K_DELETE, K_END,
                                               K_NONE, K_NONE, K_HOME, K_END };
    unsigned n = 0;

    if (le->esc_len && le->esc_param[0] == '[')
        return K_NONE;                              /* Linux console F1..F5: ESC [ [ A.. */
    switch (final) {
    case 'A': return K_UP;
    case 'B': return K_DOWN;
    case 'C': return K_RIGHT;
    case 'D': return K_LEFT;
    case 'H': return K_HOME;
    case 'F': return K_END;
    case '~':
        for (size_t i = 0; i < le->esc_len && le->esc_param[i] >= '0' && le->esc_param[i] <= '9'; i++)
            n = n * 10 + (unsigned)(le->esc_param[i] - '0');
        return n < sizeof tilde / sizeof tilde[0] ? tilde[n] : K_NONE;
    default:  return K_NONE;
    }
}

/* One byte of an escape sequence (le->esc != ESC_NONE). */
static void decode_escape(struct lineedit *le, char c)
{
    if (le->esc == ESC_START) {
        le->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
        le->esc_len = 0;
        return;
    }
    if (le->esc == ESC_SS3) {
        le->esc = ESC_NONE;
        key(le, c == 'H' ? K_HOME : c == 'F' ? K_END : c == 'A' ? K_UP : c == 'B' ? K_DOWN :
                c == 'C' ? K_RIGHT : c == 'D' ? K_LEFT : K_NONE);
        return;
    }
    if ((c >= 0x30 && c <= 0x3F) || (c == '[' && le->esc_len == 0)) {
        if (le->esc_len < LINEEDIT_ESC_MAX)
            le->esc_param[le->esc_len++] = c;
        return;
    }
    le->esc = ESC_NONE;
    if (c >= 0x40 && c <= 0x7E)
        key(le, csi_key(le, c));
}

static enum lineedit_result enter(struct lineedit *le)
{
    out(le, "\r\n", 2);
    history_add(le);
    le->browse = -1;
    return LINEEDIT_LINE;
}

static enum lineedit_result cancel(struct lineedit *le)
{
    out(le, "^C\r\n", 4);
    le->len = le->cur = 0;
    le->line[0] = 0;
    le->browse = -1;
    return LINEEDIT_CANCEL;
}

static void clear_screen(struct lineedit *le)
{
    out(le, "\x1b[H\x1b[2J", 7);
    redraw(le);
}

/* A control byte (below 0x20, or DEL). */
static enum lineedit_result control(struct lineedit *le, char c)
{
    switch (c) {
    case '\r': case '\n': return enter(le);
    case CTRL('C'): return cancel(le);
    case KEY_DEL: case CTRL('H'): cut(le, le->cur ? le->cur - 1 : 0, le->cur); break;
    case CTRL('D'): key(le, K_DELETE); break;
    case CTRL('A'): key(le, K_HOME); break;
    case CTRL('E'): key(le, K_END); break;
    case CTRL('B'): key(le, K_LEFT); break;
    case CTRL('F'): key(le, K_RIGHT); break;
    case CTRL('P'): key(le, K_UP); break;
    case CTRL('N'): key(le, K_DOWN); break;
    case CTRL('K'): cut(le, le->cur, le->len); break;
    case CTRL('U'): cut(le, 0, le->cur); break;
    case CTRL('W'): cut(le, word_start(le), le->cur); break;
    case CTRL('L'): clear_screen(le); break;
    case KEY_ESC: le->esc = ESC_START; break;
    default: break;
    }
    return LINEEDIT_MORE;
}

enum lineedit_result lineedit_feed(struct lineedit *le, char c)
{
    int was_cr = le->after_cr;

    le->after_cr = c == '\r';
    if (le->esc != ESC_NONE && c != KEY_ESC) {
        decode_escape(le, c);
        return LINEEDIT_MORE;
    }
    if (c == '\n' && was_cr)
        return LINEEDIT_MORE;
    if ((unsigned char)c < 0x20 || c == KEY_DEL)
        return control(le, c);
    if ((unsigned char)c < 0x80)
        insert(le, c);
    return LINEEDIT_MORE;
}
