/*
 * ldisc_read.c - the line discipline's buffer and its readers: the ring of
 * readable bytes (in canonical mode the ended lines, back to back, with a
 * table of their lengths), IXOFF's watermarks, and when a read may return
 * (canonical: a line is there; raw: POSIX's VMIN/VTIME cases).
 *
 * Rules: as ldisc.h says. An ended line is read from its start to its end
 * over as many reads as the caller needs, never two lines in one read; a
 * line ended by VEOF with nothing on it reads as 0 bytes (end of file).
 */
#include "mutant.h"
#include "tty/ldisc.h"
#include "tty/ldisc_internal.h"

#define NS_PER_VTIME 100000000ull       /* VTIME counts tenths of a second */

static size_t ring_free(const struct ldisc *ld)
{
    return LDISC_BUF_SIZE - ld->count;
}

static void ring_put(struct ldisc *ld, char c)
{
    ld->buf[(ld->head + ld->count) % LDISC_BUF_SIZE] = c;
    ld->count++;
}

static void ring_take(struct ldisc *ld, char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = ld->buf[(ld->head + i) % LDISC_BUF_SIZE];
    ld->head = (ld->head + n) % LDISC_BUF_SIZE;
    ld->count -= n;
}

int ldisc_queue(struct ldisc *ld, uint8_t c)
{
    if (ld->count == LDISC_BUF_SIZE) {
        ld->dropped++;
        return 0;
    }
    ring_put(ld, (char)c);
    return 1;
}

int ldisc_commit_line(struct ldisc *ld)
{
    if (ld->line_n > ring_free(ld) || ld->lines == LDISC_LINES_MAX) {
        ld->dropped++;
        return -1;
    }
    for (size_t i = 0; i < ld->line_n; i++)
        ring_put(ld, ld->line[i]);
    ld->line_len[(ld->line_head + ld->lines) % LDISC_LINES_MAX] = (uint16_t)ld->line_n;
    ld->lines++;
    ld->line_n = 0;
    return 0;
}

/* Straight to the device, no output processing: a flow-control byte. */
static void send_raw(struct ldisc *ld, cc_t c)
{
    char b = (char)c;

    ld->write(ld->ctx, &b, 1);
}

void ldisc_ixoff_check(struct ldisc *ld)
{
    if (!(ld->tio.c_iflag & IXOFF) || !ld->tio.c_cc[VSTOP])
        return;
    if (!ld->sent_stop && ring_free(ld) < LDISC_IXOFF_ROOM) {
        send_raw(ld, ld->tio.c_cc[VSTOP]);
        ld->sent_stop = 1;
    } else if (ld->sent_stop && ld->count < LDISC_BUF_SIZE / 4) {
        send_raw(ld, ld->tio.c_cc[VSTART]);
        ld->sent_stop = 0;
    }
}

void ldisc_flush_input(struct ldisc *ld)
{
    ld->head = ld->count = 0;
    ld->line_head = ld->lines = 0;
    ld->line_n = 0;
    ld->lnext = 0;
    ldisc_ixoff_check(ld);
}

void ldisc_set_termios(struct ldisc *ld, const struct termios *t)
{
    int was_canon = (ld->tio.c_lflag & ICANON) != 0, canon = (t->c_lflag & ICANON) != 0;

    ld->tio = *t;
    if (was_canon && !canon) {              /* lines and the edited line: plain bytes */
        for (size_t i = 0; i < ld->line_n; i++)
            ldisc_queue(ld, (uint8_t)ld->line[i]);
        ld->line_n = ld->line_head = ld->lines = 0;
    } else if (!was_canon && canon && ld->count) {
        ld->line_head = 0;                  /* what waits is one line */
        ld->line_len[0] = (uint16_t)ld->count;
        ld->lines = 1;
    }
    if (!(t->c_iflag & IXON))
        ld->stopped = 0;
}

/* Raw mode, VMIN and VTIME (both > 0: the timer runs from the last byte). */
static int raw_ready(const struct ldisc *ld, size_t want, uint64_t start_ns, uint64_t now_ns,
                     uint64_t *deadline_ns)
{
    size_t min = ld->tio.c_cc[VMIN], target = min < want ? min : want;
    uint64_t time = ld->tio.c_cc[VTIME] * NS_PER_VTIME;

    if (time == 0 || MUTANT_ENABLED(tty_vtime))     /* MIN only (or neither: at once) */
        return ld->count >= target;
    if (min == 0) {                         /* TIME only: a byte, or the time from the read's start */
        *deadline_ns = start_ns + time;
        return ld->count > 0 || now_ns >= *deadline_ns;
    }
    if (ld->count >= target)
        return 1;
    if (ld->count == 0)                     /* the timer starts with the first byte */
        return 0;
    *deadline_ns = (ld->last_rx_ns > start_ns ? ld->last_rx_ns : start_ns) + time;
    return now_ns >= *deadline_ns;
}

int ldisc_read_ready(const struct ldisc *ld, size_t want, uint64_t start_ns, uint64_t now_ns,
                     uint64_t *deadline_ns)
{
    *deadline_ns = 0;
    if (want == 0)
        return 1;
    if (ld->tio.c_lflag & ICANON)
        return ld->lines > 0;
    return raw_ready(ld, want, start_ns, now_ns, deadline_ns);
}

size_t ldisc_readable(const struct ldisc *ld)
{
    if (ld->tio.c_lflag & ICANON)
        return ld->lines ? ld->line_len[ld->line_head] : 0;
    return ld->count;
}

size_t ldisc_read(struct ldisc *ld, char *buf, size_t n)
{
    size_t k = ldisc_readable(ld);

    if (n == 0)
        return 0;
    k = k < n ? k : n;
    ring_take(ld, buf, k);
    if (ld->tio.c_lflag & ICANON && ld->lines) {
        uint16_t *left = &ld->line_len[ld->line_head];
        *left = (uint16_t)(*left - k);
        if (*left == 0) {
            ld->line_head = (ld->line_head + 1) % LDISC_LINES_MAX;
            ld->lines--;
        }
    }
    ldisc_ixoff_check(ld);
    return k;
}
