/*
 * test_tty_ldisc.c - host unit tests for the line discipline (kernel/tty/ldisc*.c,
 * termios.c): canonical mode (editing, echo, EOF, line ends, signals), raw
 * mode with POSIX's four VMIN/VTIME cases on a fake clock, input and output
 * processing, flow control and the counted drops.
 *
 * The expected defaults come from outside the code: the host's own Linux
 * kernel, through a fresh pseudo-terminal read with TCGETS into our struct
 * termios (which proves the layout too).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "tty/ldisc.h"
#include "tty/termios.h"
#include "tty/tty.h"

int ioctl(int fd, unsigned long req, ...);  /* not <sys/ioctl.h>: its struct winsize is ours */

#define MS 1000000ull

static struct ldisc ld;
static char out[16384];                 /* what went to the "device" */
static size_t out_n;
static uint64_t now;                    /* the fake clock, ns */

static void capture(void *ctx, const char *buf, size_t n)
{
    (void)ctx;
    assert_true(out_n + n < sizeof out);
    memcpy(out + out_n, buf, n);
    out_n += n;
}

static int setup(void **state)
{
    (void)state;
    ldisc_init(&ld, capture, NULL);
    out_n = 0;
    now = 1000 * MS;
    return 0;
}

static void type(const char *s)
{
    ldisc_receive(&ld, s, strlen(s), now);
}

static const char *echoed(void)
{
    out[out_n] = 0;
    return out;
}

/* One read of at most n bytes, as a string. */
static const char *got(size_t n)
{
    static char buf[8192];
    size_t k = ldisc_read(&ld, buf, n);

    buf[k] = 0;
    return buf;
}

static int ready(size_t want, uint64_t start, uint64_t *deadline)
{
    return ldisc_read_ready(&ld, want, start, now, deadline);
}

static void set_lflag(tcflag_t on, tcflag_t off)
{
    struct termios t = ld.tio;

    t.c_lflag = (t.c_lflag | on) & ~off;
    ldisc_set_termios(&ld, &t);
}

static void set_raw(int vmin, int vtime)
{
    struct termios t = ld.tio;

    termios_make_raw(&t);
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    ldisc_set_termios(&ld, &t);
}

/* --- settings ---------------------------------------------------------- */

static void test_defaults_are_a_fresh_linux_tty(void **state)
{
    (void)state;
    struct termios mine, linux_;
    int m = posix_openpt(O_RDWR | O_NOCTTY);

    if (m < 0 || grantpt(m) || unlockpt(m)) {
        skip();                         /* no pseudo-terminals on this host */
    }
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    assert_true(s >= 0);
    memset(&linux_, 0xAA, sizeof linux_);
    assert_int_equal(ioctl(s, TCGETS, &linux_), 0);
    termios_default(&mine);
    assert_int_equal(mine.c_iflag, linux_.c_iflag);
    assert_int_equal(mine.c_oflag, linux_.c_oflag);
    assert_int_equal(mine.c_lflag, linux_.c_lflag);
    /* a pty's c_cflag lacks HUPCL, which tty_std_termios (and a serial port) has */
    assert_int_equal(mine.c_cflag & ~(tcflag_t)HUPCL, linux_.c_cflag);
    assert_int_equal(mine.c_line, linux_.c_line);
    assert_memory_equal(mine.c_cc, linux_.c_cc, NCCS);
    close(s);
    close(m);
}

static void test_winsize_layout_is_linux(void **state)
{
    (void)state;
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    struct winsize w = { 24, 80, 640, 384 }, r;

    if (m < 0)
        skip();
    assert_int_equal(ioctl(m, TIOCSWINSZ, &w), 0);
    memset(&r, 0, sizeof r);
    assert_int_equal(ioctl(m, TIOCGWINSZ, &r), 0);
    assert_memory_equal(&w, &r, sizeof w);
    close(m);
}

/* --- canonical mode ---------------------------------------------------- */

static void test_line_readable_only_when_ended(void **state)
{
    (void)state;
    uint64_t dl;

    type("abc");
    assert_false(ready(100, now, &dl));
    assert_int_equal(dl, 0);
    type("\r");                             /* ICRNL */
    assert_true(ready(100, now, &dl));
    assert_string_equal(got(100), "abc\n");
    assert_false(ready(100, now, &dl));
}

static void test_echo_with_onlcr(void **state)
{
    (void)state;
    type("hi\r");
    assert_string_equal(echoed(), "hi\r\n");
}

static void test_erase(void **state)
{
    (void)state;
    type("abx\x7f" "c\r");
    assert_string_equal(got(100), "abc\n");
    assert_string_equal(echoed(), "abx\b \bc\r\n");
}

static void test_erase_on_empty_line_does_nothing(void **state)
{
    (void)state;
    type("\x7f\x7f" "a\r");
    assert_string_equal(got(100), "a\n");
    assert_string_equal(echoed(), "a\r\n");
}

static void test_erase_takes_back_ctl_width(void **state)
{
    (void)state;
    type("a\x01\x7f");
    assert_string_equal(echoed(), "a^A\b \b\b \b");
}

static void test_erase_takes_back_a_tab(void **state)
{
    (void)state;
    type("ab\t\x7f");
    assert_string_equal(echoed(), "ab\t\b\b\b\b\b\b");   /* column 8 back to 2 */
}

static void test_erase_without_echoe_echoes_the_char(void **state)
{
    (void)state;
    set_lflag(0, ECHOE);
    type("ab\x7f\r");
    assert_string_equal(got(100), "a\n");
    assert_string_equal(echoed(), "ab^?\r\n");
}

static void test_kill_erases_the_line(void **state)
{
    (void)state;
    type("abc\x15" "def\r");
    assert_string_equal(got(100), "def\n");
    assert_string_equal(echoed(), "abc\b \b\b \b\b \bdef\r\n");
}

static void test_kill_with_echok_only(void **state)
{
    (void)state;
    set_lflag(0, ECHOKE);
    type("abc\x15" "d\r");
    assert_string_equal(got(100), "d\n");
    assert_string_equal(echoed(), "abc^U\r\nd\r\n");
}

static void test_word_erase(void **state)
{
    (void)state;
    type("foo bar  \x17" "baz\r");
    assert_string_equal(got(100), "foo baz\n");
}

static void test_word_erase_stops_at_punctuation(void **state)
{
    (void)state;
    type("a.b\x17\x17" "c\r");                /* Linux: "b" then "a." */
    assert_string_equal(got(100), "c\n");
    setup(NULL);
    type("x.yz\x17\r");
    assert_string_equal(got(100), "x.\n");
}

static void test_word_erase_needs_iexten(void **state)
{
    (void)state;
    set_lflag(0, IEXTEN);
    type("ab\x17\r");
    assert_string_equal(got(100), "ab\x17\n");
}

static void test_eof_at_line_start_reads_zero(void **state)
{
    (void)state;
    uint64_t dl;

    type("\x04");
    assert_true(ready(100, now, &dl));
    assert_int_equal(ldisc_read(&ld, (char[8]){ 0 }, 8), 0);
    assert_false(ready(100, now, &dl));
    assert_string_equal(echoed(), "");
}

static void test_eof_ends_a_line_without_itself(void **state)
{
    (void)state;
    uint64_t dl;

    type("ab\x04");
    assert_string_equal(got(100), "ab");
    assert_false(ready(100, now, &dl));
}

static void test_partial_reads_of_one_line(void **state)
{
    (void)state;
    type("abcd\rxy\r");
    assert_string_equal(got(2), "ab");
    assert_string_equal(got(100), "cd\n");    /* never into the next line */
    assert_string_equal(got(100), "xy\n");
}

static void test_veol_ends_a_line(void **state)
{
    (void)state;
    struct termios t = ld.tio;

    t.c_cc[VEOL] = ';';
    ldisc_set_termios(&ld, &t);
    type("ls;");
    assert_string_equal(got(100), "ls;");
}

static void test_lnext_makes_literal(void **state)
{
    (void)state;
    type("\x16\x03" "\x16\x7f\r");
    assert_int_equal(ldisc_take_signal(&ld), 0);
    assert_string_equal(got(100), "\x03\x7f\n");
}

static void test_reprint(void **state)
{
    (void)state;
    type("ab\x12");
    assert_string_equal(echoed(), "ab^R\r\nab");
}

static void test_line_full_keeps_room_for_its_end(void **state)
{
    (void)state;
    char big[LDISC_LINE_MAX + 100];

    memset(big, 'x', sizeof big);
    ldisc_receive(&ld, big, sizeof big, now);
    assert_int_equal(ld.dropped, sizeof big - (LDISC_LINE_MAX - 1));
    type("\r");
    assert_int_equal(ldisc_readable(&ld), LDISC_LINE_MAX);
}

/* --- signals ----------------------------------------------------------- */

static void test_intr_flushes_and_signals(void **state)
{
    (void)state;
    type("old\rab\x03");
    assert_int_equal(ldisc_take_signal(&ld), TTY_SIGINT);
    assert_int_equal(ldisc_take_signal(&ld), 0);
    assert_int_equal(ldisc_readable(&ld), 0);
    assert_string_equal(echoed(), "old\r\nab^C");
    type("z\r");
    assert_string_equal(got(100), "z\n");
}

static void test_quit_and_susp(void **state)
{
    (void)state;
    type("\x1c\x1a");
    assert_int_equal(ldisc_take_signal(&ld), TTY_SIGQUIT);
    assert_int_equal(ldisc_take_signal(&ld), TTY_SIGTSTP);
}

static void test_noflsh_keeps_input(void **state)
{
    (void)state;
    set_lflag(NOFLSH, 0);
    type("ab\x03\r");
    assert_int_equal(ldisc_take_signal(&ld), TTY_SIGINT);
    assert_string_equal(got(100), "ab\n");
}

static void test_no_isig_stores_the_char(void **state)
{
    (void)state;
    set_lflag(0, ISIG);
    type("\x03\r");
    assert_int_equal(ldisc_take_signal(&ld), 0);
    assert_string_equal(got(100), "\x03\n");
}

/* --- input and output processing --------------------------------------- */

static void test_cr_without_icrnl_is_not_a_line_end(void **state)
{
    (void)state;
    uint64_t dl;
    struct termios t = ld.tio;

    t.c_iflag &= ~(tcflag_t)ICRNL;
    ldisc_set_termios(&ld, &t);
    type("a\r");
    assert_false(ready(100, now, &dl));
    type("\n");
    assert_string_equal(got(100), "a\r\n");
}

static void test_igncr_drops_cr(void **state)
{
    (void)state;
    struct termios t = ld.tio;

    t.c_iflag |= IGNCR;
    ldisc_set_termios(&ld, &t);
    type("a\rb\n");
    assert_string_equal(got(100), "ab\n");
}

static void test_inlcr_maps_nl_to_cr(void **state)
{
    (void)state;
    set_raw(1, 0);
    struct termios t = ld.tio;

    t.c_iflag |= INLCR;
    ldisc_set_termios(&ld, &t);
    type("a\n");
    assert_string_equal(got(100), "a\r");
}

static void test_output_onlcr(void **state)
{
    (void)state;
    ldisc_output(&ld, "a\nb\n", 4);
    assert_string_equal(echoed(), "a\r\nb\r\n");
}

static void test_output_without_opost(void **state)
{
    (void)state;
    struct termios t = ld.tio;

    t.c_oflag &= ~(tcflag_t)OPOST;
    ldisc_set_termios(&ld, &t);
    ldisc_output(&ld, "a\nb\r", 4);
    assert_string_equal(echoed(), "a\nb\r");
}

static void test_output_ocrnl(void **state)
{
    (void)state;
    struct termios t = ld.tio;

    t.c_oflag = OPOST | OCRNL;
    ldisc_set_termios(&ld, &t);
    ldisc_output(&ld, "a\r", 2);
    assert_string_equal(echoed(), "a\n");
}

static void test_output_long_write_in_chunks(void **state)
{
    (void)state;
    char big[1000];

    memset(big, '\n', sizeof big);
    ldisc_output(&ld, big, sizeof big);
    assert_int_equal(out_n, 2000);
    assert_memory_equal(out, "\r\n\r\n", 4);
    assert_memory_equal(out + 1996, "\r\n\r\n", 4);
}

static void test_no_echoctl_echoes_raw(void **state)
{
    (void)state;
    set_lflag(0, ECHOCTL);
    type("\x01");
    assert_string_equal(echoed(), "\x01");
}

static void test_no_echo_but_echonl(void **state)
{
    (void)state;
    set_lflag(ECHONL, ECHO);
    type("pw\r");
    assert_string_equal(echoed(), "\r\n");
    assert_string_equal(got(100), "pw\n");
}

/* --- flow control ------------------------------------------------------ */

static void test_ixon_stop_start(void **state)
{
    (void)state;
    type("\x13");
    assert_true(ld.stopped);
    type("\x11");
    assert_false(ld.stopped);
    type("\r");
    assert_string_equal(got(100), "\n");      /* neither was stored */
}

static void test_ixany_restarts(void **state)
{
    (void)state;
    struct termios t = ld.tio;

    t.c_iflag |= IXANY;
    ldisc_set_termios(&ld, &t);
    type("\x13");
    assert_true(ld.stopped);
    type("x");
    assert_false(ld.stopped);
}

static void test_no_ixon_stores_stop(void **state)
{
    (void)state;
    struct termios t = ld.tio;

    t.c_iflag &= ~(tcflag_t)IXON;
    ldisc_set_termios(&ld, &t);
    type("\x13\r");
    assert_false(ld.stopped);
    assert_string_equal(got(100), "\x13\n");
}

static void test_ixoff_sends_stop_and_start(void **state)
{
    (void)state;
    char big[LDISC_BUF_SIZE - LDISC_IXOFF_ROOM + 1];
    static char sink[LDISC_BUF_SIZE];

    set_raw(1, 0);
    struct termios t = ld.tio;
    t.c_iflag |= IXOFF;
    ldisc_set_termios(&ld, &t);
    memset(big, 'a', sizeof big);
    ldisc_receive(&ld, big, sizeof big - 1, now);
    assert_int_equal(out_n, 0);
    ldisc_receive(&ld, big, 1, now);
    assert_int_equal(out_n, 1);
    assert_int_equal(out[0], 0x13);
    ldisc_read(&ld, sink, sizeof big - LDISC_BUF_SIZE / 4);
    assert_int_equal(out_n, 1);                 /* still a quarter full */
    ldisc_read(&ld, sink, 1);
    assert_int_equal(out_n, 2);
    assert_int_equal(out[1], 0x11);
}

/* --- raw mode ---------------------------------------------------------- */

static void test_raw_buffer_full_counts_drops(void **state)
{
    (void)state;
    static char big[5000], back[5000];

    set_raw(1, 0);
    memset(big, 'r', sizeof big);
    ldisc_receive(&ld, big, sizeof big, now);
    assert_int_equal(ldisc_readable(&ld), LDISC_BUF_SIZE);
    assert_int_equal(ld.dropped, sizeof big - LDISC_BUF_SIZE);
    assert_int_equal(ldisc_read(&ld, back, sizeof back), LDISC_BUF_SIZE);
}

static void test_raw_no_processing_no_echo(void **state)
{
    (void)state;
    set_raw(1, 0);
    type("\r\x03\x7f");
    assert_int_equal(ldisc_take_signal(&ld), 0);
    assert_string_equal(got(100), "\r\x03\x7f");
    assert_string_equal(echoed(), "");
}

static void test_vmin0_vtime0_returns_at_once(void **state)
{
    (void)state;
    uint64_t dl;

    set_raw(0, 0);
    assert_true(ready(10, now, &dl));
    assert_int_equal(ldisc_read(&ld, (char[10]){ 0 }, 10), 0);
    type("ab");
    assert_string_equal(got(10), "ab");
}

static void test_vmin_only_waits_for_min(void **state)
{
    (void)state;
    uint64_t dl;

    set_raw(3, 0);
    type("ab");
    assert_false(ready(10, now, &dl));
    assert_int_equal(dl, 0);                    /* no timer */
    assert_true(ready(2, now, &dl));            /* a smaller request is satisfied */
    type("c");
    assert_true(ready(10, now, &dl));
    assert_string_equal(got(10), "abc");
}

static void test_vtime_only_times_out_from_read_start(void **state)
{
    (void)state;
    uint64_t dl, start = now;

    set_raw(0, 5);                              /* half a second */
    assert_false(ready(10, start, &dl));
    assert_int_equal(dl, start + 500 * MS);
    now = start + 499 * MS;
    assert_false(ready(10, start, &dl));
    now = start + 500 * MS;
    assert_true(ready(10, start, &dl));         /* timed out: a read of 0 */
    assert_int_equal(ldisc_read(&ld, (char[10]){ 0 }, 10), 0);
}

static void test_vtime_only_returns_on_one_byte(void **state)
{
    (void)state;
    uint64_t dl, start = now;

    set_raw(0, 5);
    now += 100 * MS;
    type("x");
    assert_true(ready(10, start, &dl));
    assert_string_equal(got(10), "x");
}

static void test_vmin_vtime_interbyte_timer(void **state)
{
    (void)state;
    uint64_t dl, start = now;

    set_raw(3, 2);                              /* 3 bytes, or 0.2 s after the last */
    now = start + 5000 * MS;
    assert_false(ready(10, start, &dl));
    assert_int_equal(dl, 0);                    /* no byte yet: no timer */
    type("a");
    assert_false(ready(10, start, &dl));
    assert_int_equal(dl, now + 200 * MS);
    now += 150 * MS;
    type("b");                                  /* restarts the timer */
    now += 199 * MS;
    assert_false(ready(10, start, &dl));
    now += 1 * MS;
    assert_true(ready(10, start, &dl));
    assert_string_equal(got(10), "ab");
}

static void test_vmin_vtime_min_reached_first(void **state)
{
    (void)state;
    uint64_t dl;

    set_raw(3, 2);
    type("abcd");
    assert_true(ready(10, now, &dl));
    assert_string_equal(got(10), "abcd");
}

/* --- mode switches ----------------------------------------------------- */

static void test_leaving_canon_makes_line_readable(void **state)
{
    (void)state;
    type("one\rtw");
    set_raw(1, 0);
    assert_string_equal(got(100), "one\ntw");
}

static void test_entering_canon_makes_bytes_a_line(void **state)
{
    (void)state;
    uint64_t dl;

    set_raw(1, 0);
    type("xyz");
    struct termios t;
    termios_default(&t);
    ldisc_set_termios(&ld, &t);
    assert_true(ready(10, now, &dl));
    assert_string_equal(got(10), "xyz");
}

static void test_flush_input(void **state)
{
    (void)state;
    uint64_t dl;

    type("a\rb");
    ldisc_flush_input(&ld);
    assert_false(ready(10, now, &dl));
    type("c\r");
    assert_string_equal(got(10), "c\n");
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_defaults_are_a_fresh_linux_tty), T(test_winsize_layout_is_linux),
        T(test_line_readable_only_when_ended), T(test_echo_with_onlcr), T(test_erase),
        T(test_erase_on_empty_line_does_nothing), T(test_erase_takes_back_ctl_width),
        T(test_erase_takes_back_a_tab), T(test_erase_without_echoe_echoes_the_char),
        T(test_kill_erases_the_line), T(test_kill_with_echok_only), T(test_word_erase),
        T(test_word_erase_stops_at_punctuation), T(test_word_erase_needs_iexten),
        T(test_eof_at_line_start_reads_zero), T(test_eof_ends_a_line_without_itself),
        T(test_partial_reads_of_one_line), T(test_veol_ends_a_line), T(test_lnext_makes_literal),
        T(test_reprint), T(test_line_full_keeps_room_for_its_end),
        T(test_intr_flushes_and_signals), T(test_quit_and_susp), T(test_noflsh_keeps_input),
        T(test_no_isig_stores_the_char), T(test_cr_without_icrnl_is_not_a_line_end),
        T(test_igncr_drops_cr), T(test_inlcr_maps_nl_to_cr), T(test_output_onlcr),
        T(test_output_without_opost), T(test_output_ocrnl), T(test_output_long_write_in_chunks),
        T(test_no_echoctl_echoes_raw), T(test_no_echo_but_echonl), T(test_ixon_stop_start),
        T(test_ixany_restarts), T(test_no_ixon_stores_stop), T(test_ixoff_sends_stop_and_start),
        T(test_raw_buffer_full_counts_drops), T(test_raw_no_processing_no_echo),
        T(test_vmin0_vtime0_returns_at_once), T(test_vmin_only_waits_for_min),
        T(test_vtime_only_times_out_from_read_start), T(test_vtime_only_returns_on_one_byte),
        T(test_vmin_vtime_interbyte_timer), T(test_vmin_vtime_min_reached_first),
        T(test_leaving_canon_makes_line_readable), T(test_entering_canon_makes_bytes_a_line),
        T(test_flush_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
