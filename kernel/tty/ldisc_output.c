/*
 * ldisc_output.c - the line discipline's output side: output processing
 * (OPOST: ONLCR, OCRNL) on the way to the device, the cursor column it
 * follows, and echo (ECHOCTL shows a control character as ^X).
 *
 * Rules: as ldisc.h says. The column is the device's cursor as this output
 * moved it (CR and NL with ONLCR go to 0, BS back one, TAB to the next
 * multiple of 8, printable bytes and UTF-8 lead bytes one on): the line
 * editor needs it to take back a tab.
 */
#include "mutant.h"
#include "tty/ldisc.h"
#include "tty/ldisc_internal.h"

#define OUT_CHUNK 128           /* processed bytes handed to the device at once */

static unsigned tab_stop(unsigned col)
{
    return (col | 7) + 1;
}

static int is_printing(uint8_t c)
{
    return (c >= 0x20 && c < 0x7F) || c >= 0xC0;    /* not a UTF-8 continuation byte */
}

static void track_column(struct ldisc *ld, uint8_t c)
{
    if (c == '\r')
        ld->column = 0;
    else if (c == '\b')
        ld->column -= ld->column > 0;
    else if (c == '\t')
        ld->column = tab_stop(ld->column);
    else if (is_printing(c))
        ld->column++;
}

/* One byte through OPOST into out (room for 2): how many bytes it became. */
static size_t process_byte(struct ldisc *ld, uint8_t c, char *out)
{
    tcflag_t o = ld->tio.c_oflag;

    if (o & OPOST) {
        if (c == '\n' && (o & ONLCR) && !MUTANT_ENABLED(tty_onlcr)) {
            out[0] = '\r', out[1] = '\n';
            ld->column = 0;
            return 2;
        }
        if (c == '\r' && (o & OCRNL))
            c = '\n';
    }
    track_column(ld, c);
    out[0] = (char)c;
    return 1;
}

void ldisc_output(struct ldisc *ld, const char *buf, size_t n)
{
    char out[OUT_CHUNK];
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (k + 2 > sizeof out) {
            ld->write(ld->ctx, out, k);
            k = 0;
        }
        k += process_byte(ld, (uint8_t)buf[i], out + k);
    }
    if (k)
        ld->write(ld->ctx, out, k);
}

/* ECHOCTL: a control character (not TAB or NL) and DEL echo as ^X. */
static int echo_as_ctl(const struct ldisc *ld, uint8_t c)
{
    return (ld->tio.c_lflag & ECHOCTL) && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F);
}

void ldisc_echo_char(struct ldisc *ld, uint8_t c)
{
    char ctl[2] = { '^', (char)(c ^ 0x40) };

    if (echo_as_ctl(ld, c))
        ldisc_output(ld, ctl, 2);
    else
        ldisc_output(ld, (const char *)&c, 1);
}

unsigned ldisc_echo_column(const struct ldisc *ld, unsigned col, uint8_t c)
{
    if (echo_as_ctl(ld, c))
        return col + 2;
    if (c == '\t')
        return tab_stop(col);
    return col + is_printing(c);
}
