/*
 * ldisc.c - the line discipline's input side: each byte from the device
 * through flow control, the signal characters, CR/NL mapping, then either
 * the canonical line editor or the raw buffer, with its echo. The order and
 * the flags are in ldisc.h; the buffer and reads are in ldisc_read.c, the
 * output processing and echo in ldisc_output.c.
 *
 * Rules: as ldisc.h says (pure C, the caller holds the terminal's lock).
 * A c_cc entry of 0 is disabled (Linux's _POSIX_VDISABLE).
 */
#include <string.h>

#include "mutant.h"
#include "tty/ldisc.h"
#include "tty/ldisc_internal.h"
#include "tty/tty.h"

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

void ldisc_init(struct ldisc *ld, void (*write)(void *ctx, const char *buf, size_t n), void *ctx)
{
    memset(ld, 0, sizeof *ld);
    termios_default(&ld->tio);
    ld->write = write;
    ld->ctx = ctx;
}

/* Is c the special character at index i (and that one not disabled)? */
static int is_cc(const struct ldisc *ld, int i, uint8_t c)
{
    return ld->tio.c_cc[i] != 0 && ld->tio.c_cc[i] == c;
}

static int lflag(const struct ldisc *ld, tcflag_t f)
{
    return (ld->tio.c_lflag & f) != 0;
}

static int iflag(const struct ldisc *ld, tcflag_t f)
{
    return (ld->tio.c_iflag & f) != 0;
}

/* IXON: VSTOP and VSTART are consumed (1); IXANY lets any byte start output. */
static int flow_control(struct ldisc *ld, uint8_t c)
{
    if (!iflag(ld, IXON))
        return 0;
    if (is_cc(ld, VSTOP, c)) {
        ld->stopped = 1;
        return 1;
    }
    if (is_cc(ld, VSTART, c)) {
        ld->stopped = 0;
        return 1;
    }
    if (iflag(ld, IXANY))
        ld->stopped = 0;
    return 0;
}

/* ISIG: VINTR, VQUIT, VSUSP raise their signal (1: consumed). */
static int signal_char(struct ldisc *ld, uint8_t c)
{
    int sig = 0;

    if (!lflag(ld, ISIG))
        return 0;
    if (is_cc(ld, VINTR, c))
        sig = TTY_SIGINT;
    else if (is_cc(ld, VQUIT, c))
        sig = TTY_SIGQUIT;
    else if (is_cc(ld, VSUSP, c))
        sig = TTY_SIGTSTP;
    if (!sig)
        return 0;
    if (!lflag(ld, NOFLSH))
        ldisc_flush_input(ld);
    ld->stopped = 0;                    /* as Linux: a signal restarts output */
    if (lflag(ld, ECHO))
        ldisc_echo_char(ld, c);
    ld->signals |= 1u << sig;
    return 1;
}

/* IGNCR, ICRNL, INLCR: 0 when the byte is dropped. */
static int map_cr_nl(const struct ldisc *ld, uint8_t *c)
{
    if (*c == '\r') {
        if (iflag(ld, IGNCR))
            return 0;
        if (iflag(ld, ICRNL))
            *c = '\n';
    } else if (*c == '\n' && iflag(ld, INLCR)) {
        *c = '\r';
    }
    return 1;
}

/* The screen columns line[0..i) take, from where the line started. */
static unsigned line_columns(const struct ldisc *ld, size_t i)
{
    unsigned col = ld->line_col;

    for (size_t k = 0; k < i; k++)
        col = ldisc_echo_column(ld, col, (uint8_t)ld->line[k]);
    return col;
}

/* Take the last character of the line back, on the screen too (ECHO). */
static void erase_last(struct ldisc *ld)
{
    size_t i = --ld->line_n;
    uint8_t c = (uint8_t)ld->line[i];

    if (!lflag(ld, ECHO))
        return;
    if (!lflag(ld, ECHOE)) {
        ldisc_echo_char(ld, ld->tio.c_cc[VERASE]);
        return;
    }
    unsigned width = line_columns(ld, i + 1) - line_columns(ld, i);
    for (unsigned k = 0; k < width; k++)
        ldisc_output(ld, c == '\t' ? "\b" : "\b \b", c == '\t' ? 1 : 3);
}

static int is_word_char(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_' || c >= 0x80;
}

/* VKILL without ECHOKE/ECHOE: the kill character, and a NL with ECHOK (1: done). */
static int kill_by_echo(struct ldisc *ld)
{
    if (lflag(ld, ECHO) && lflag(ld, ECHOKE) && lflag(ld, ECHOE))
        return 0;
    ld->line_n = 0;
    if (lflag(ld, ECHO)) {
        ldisc_echo_char(ld, ld->tio.c_cc[VKILL]);
        if (lflag(ld, ECHOK))
            ldisc_output(ld, "\n", 1);
    }
    return 1;
}

/* VERASE, VWERASE (Linux's rule: a word is letters, digits and _), VKILL. */
static void erase(struct ldisc *ld, enum erase_kind kind)
{
    if (ld->line_n == 0 || MUTANT_ENABLED(tty_erase))
        return;
    if (kind == ERASE_LINE && kill_by_echo(ld))
        return;
    int seen_word = 0;
    while (ld->line_n > 0) {
        uint8_t c = (uint8_t)ld->line[ld->line_n - 1];
        if (kind == ERASE_WORD) {
            if (is_word_char(c))
                seen_word = 1;
            else if (seen_word)
                break;
        }
        erase_last(ld);
        if (kind == ERASE_CHAR)
            break;
    }
}

/* Add a byte to the line being edited (1), or 0 when it has `limit` bytes
 * (ordinary bytes leave the last place to the line's end). */
static int line_add(struct ldisc *ld, uint8_t c, size_t limit)
{
    if (ld->line_n >= limit) {
        ld->dropped++;
        return 0;
    }
    if (ld->line_n == 0)
        ld->line_col = ld->column;
    ld->line[ld->line_n++] = (char)c;
    return 1;
}

/* VREPRINT: the character, a NL, then the line again. */
static void reprint(struct ldisc *ld)
{
    if (!lflag(ld, ECHO))
        return;
    ldisc_echo_char(ld, ld->tio.c_cc[VREPRINT]);
    ldisc_output(ld, "\n", 1);
    ld->line_col = ld->column;
    for (size_t i = 0; i < ld->line_n; i++)
        ldisc_echo_char(ld, (uint8_t)ld->line[i]);
}

static int is_line_end(const struct ldisc *ld, uint8_t c)
{
    return c == '\n' || is_cc(ld, VEOL, c) || is_cc(ld, VEOL2, c);
}

/* A line end: stored with the line (but VEOF), readable from now on, echoed. */
static void end_line(struct ldisc *ld, uint8_t c, int is_eof)
{
    if (!is_eof && !line_add(ld, c, LDISC_LINE_MAX))
        return;
    if (ldisc_commit_line(ld) != 0) {   /* no room to read it yet: still being edited */
        ld->line_n -= !is_eof;
        return;
    }
    if (!is_eof && (lflag(ld, ECHO) || (c == '\n' && lflag(ld, ECHONL))))
        ldisc_echo_char(ld, c);
}

/* Canonical mode: the byte edits the line or ends it (1: handled so). */
static int canon_special(struct ldisc *ld, uint8_t c)
{
    int ext = lflag(ld, IEXTEN);

    if (is_cc(ld, VERASE, c))
        erase(ld, ERASE_CHAR);
    else if (ext && is_cc(ld, VWERASE, c))
        erase(ld, ERASE_WORD);
    else if (is_cc(ld, VKILL, c))
        erase(ld, ERASE_LINE);
    else if (ext && is_cc(ld, VREPRINT, c))
        reprint(ld);
    else if (ext && is_cc(ld, VLNEXT, c)) {
        ld->lnext = 1;
        if (lflag(ld, ECHO) && lflag(ld, ECHOCTL))
            ldisc_output(ld, "^\b", 2);
    } else if (is_cc(ld, VEOF, c))
        end_line(ld, c, 1);
    else if (is_line_end(ld, c))
        end_line(ld, c, 0);
    else
        return 0;
    return 1;
}

/* A byte stored as it is: on the line (canonical) or readable (raw), echoed. */
static void store(struct ldisc *ld, uint8_t c)
{
    int ok = lflag(ld, ICANON) ? line_add(ld, c, LDISC_LINE_MAX - 1) : ldisc_queue(ld, c);

    if (ok && lflag(ld, ECHO))
        ldisc_echo_char(ld, c);
}

static void receive_byte(struct ldisc *ld, uint8_t c)
{
    if (iflag(ld, ISTRIP))
        c &= 0x7F;
    if (ld->lnext) {
        ld->lnext = 0;
        if (lflag(ld, ECHO) && lflag(ld, ECHOCTL))
            ldisc_output(ld, "\b", 1);
        store(ld, c);
        return;
    }
    if (flow_control(ld, c) || signal_char(ld, c) || !map_cr_nl(ld, &c))
        return;
    if (lflag(ld, ICANON) && canon_special(ld, c))
        return;
    store(ld, c);
}

void ldisc_receive(struct ldisc *ld, const char *buf, size_t n, uint64_t now_ns)
{
    for (size_t i = 0; i < n; i++)
        receive_byte(ld, (uint8_t)buf[i]);
    if (n)
        ld->last_rx_ns = now_ns;
    ldisc_ixoff_check(ld);
}

int ldisc_take_signal(struct ldisc *ld)
{
    for (int sig = 1; sig < 32; sig++)
        if (ld->signals & (1u << sig)) {
            ld->signals &= ~(1u << sig);
            return sig;
        }
    return 0;
}
