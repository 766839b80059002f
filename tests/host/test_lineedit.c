/*
 * test_lineedit.c - host unit tests for kernel/monitor/lineedit.c: keys go
 * in as the bytes a terminal sends, and two things are checked: the line
 * the editor holds, and the screen its output draws. The screen is a small
 * terminal model here (printable characters, CR, LF, BS, ESC [ K, ESC [ N D,
 * ESC [ N C, ESC [ H, ESC [ 2 J; BEL counted), so a drawing that leaves the
 * wrong text or cursor fails whatever bytes it used; a few tests also pin
 * the exact bytes of the cheap cases (an echo, a redraw).
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "monitor/lineedit.h"

#define COLS 40
#define ROWS 4
#define PROMPT "tessera> "
#define PL 9                            /* the prompt's length */

static char screen[ROWS][COLS + 1];
static unsigned row, col, bells;
static char bytes[4096];                /* everything written since reset_bytes */
static size_t nbytes;
static struct lineedit le;

static void newline(void)
{
    if (row + 1 < ROWS) {
        row++;
        return;
    }
    memmove(screen[0], screen[1], sizeof screen - sizeof screen[0]);
    memset(screen[ROWS - 1], ' ', COLS);
}

/* ESC [ params final: the few sequences the editor may use. */
static size_t csi(const char *s, size_t n)
{
    size_t i = 0;
    unsigned arg = 0, have = 0;

    while (i < n && s[i] >= '0' && s[i] <= '9') {
        arg = arg * 10 + (unsigned)(s[i++] - '0');
        have = 1;
    }
    assert_true(i < n);
    switch (s[i]) {
    case 'K': memset(screen[row] + col, ' ', COLS - col); break;
    case 'D': col -= have ? arg : 1; break;
    case 'C': col += have ? arg : 1; break;
    case 'H': row = col = 0; break;
    case 'J': assert_int_equal(arg, 2); memset(screen, ' ', sizeof screen); break;
    default: fail_msg("unexpected CSI final %c", s[i]);
    }
    for (unsigned r = 0; r < ROWS; r++)
        screen[r][COLS] = 0;
    assert_true(col <= COLS);
    return i + 1;
}

static void term_write(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    assert_true(nbytes + n < sizeof bytes);
    memcpy(bytes + nbytes, s, n);
    nbytes += n;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\r') col = 0;
        else if (c == '\n') newline();
        else if (c == '\b') col -= col > 0;
        else if (c == '\a') bells++;
        else if (c == 0x1b) { assert_true(i + 1 < n && s[i + 1] == '['); i += 1 + csi(s + i + 2, n - i - 2); }
        else { assert_true(c >= 0x20 && c < 0x7f); assert_true(col < COLS); screen[row][col++] = c; }
    }
}

/* The current row without trailing spaces. */
static const char *shown(void)
{
    static char buf[COLS + 1];
    size_t n = COLS;

    memcpy(buf, screen[row], COLS);
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = 0;
    return buf;
}

static void reset_bytes(void)
{
    nbytes = 0;
    memset(bytes, 0, sizeof bytes);
}

static int setup(void **state)
{
    (void)state;
    memset(screen, ' ', sizeof screen);
    for (unsigned r = 0; r < ROWS; r++)
        screen[r][COLS] = 0;
    row = col = bells = 0;
    reset_bytes();
    lineedit_init(&le, PROMPT, COLS, term_write, 0);
    lineedit_begin(&le);
    return 0;
}

/* Feed keys; returns the last result. */
static enum lineedit_result type(const char *keys)
{
    enum lineedit_result r = LINEEDIT_MORE;

    while (*keys)
        r = lineedit_feed(&le, *keys++);
    return r;
}

/* The editor's line, the screen's row and the cursor agree with what is expected. */
static void check(const char *line, size_t cursor)
{
    char want[COLS + 1];

    assert_string_equal(lineedit_line(&le), line);
    snprintf(want, sizeof want, PROMPT "%s", line);
    for (size_t n = strlen(want); n > 0 && want[n - 1] == ' '; n--)
        want[n - 1] = 0;                            /* the screen shows no trailing blanks */
    assert_string_equal(shown(), want);
    assert_int_equal(col, PL + cursor);
}

static void test_typing_echoes(void **state)
{
    (void)state;
    assert_string_equal(bytes, PROMPT);
    reset_bytes();
    assert_int_equal(type("lspci"), LINEEDIT_MORE);
    assert_string_equal(bytes, "lspci");          /* appending is an echo, nothing more */
    check("lspci", 5);
    assert_int_equal(type("\r"), LINEEDIT_LINE);
    assert_string_equal(lineedit_line(&le), "lspci");
    assert_int_equal(row, 1);
    assert_int_equal(col, 0);
}

static void test_insert_in_the_middle(void **state)
{
    (void)state;
    type("hep\x1b[D");
    check("hep", 2);
    reset_bytes();
    type("l");
    assert_string_equal(bytes, "\r" PROMPT "help\x1b[K\x1b[1D");
    check("help", 3);
}

static void test_backspace_and_delete(void **state)
{
    (void)state;
    type("abcdef");
    type("\x7f");
    check("abcde", 5);
    type("\x1b[D\x1b[D\b");                         /* ^H as well as DEL */
    check("abde", 2);
    type("\x1b[3~");
    check("abe", 2);
    type("\x04");                                   /* ^D deletes under the cursor */
    check("ab", 2);
    assert_int_equal(bells, 0);
    type("\x1b[3~");                                /* nothing under the cursor */
    assert_int_equal(bells, 1);
    type("\x1b[H\x7f");                             /* nothing before it */
    assert_int_equal(bells, 2);
    check("ab", 0);
}

static void test_home_and_end_forms(void **state)
{
    static const char *const home[] = { "\x1b[H", "\x1b[1~", "\x1bOH", "\x1b[7~", "\x01" };
    static const char *const end[] = { "\x1b[F", "\x1b[4~", "\x1bOF", "\x1b[8~", "\x05" };

    (void)state;
    type("word");
    for (unsigned i = 0; i < sizeof home / sizeof home[0]; i++) {
        type(home[i]);
        check("word", 0);
        type(end[i]);
        check("word", 4);
    }
}

static void test_left_right_bounds(void **state)
{
    (void)state;
    type("ab\x1b[C");
    assert_int_equal(bells, 1);
    type("\x1b[D\x1b[D\x1b[D");
    assert_int_equal(bells, 2);
    check("ab", 0);
    type("\x06");                                   /* ^F */
    check("ab", 1);
    type("\x02");                                   /* ^B */
    check("ab", 0);
}

static void test_kill_keys(void **state)
{
    (void)state;
    type("dmesg 20 extra\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D");
    check("dmesg 20 extra", 8);
    type("\x0b");                                   /* ^K */
    check("dmesg 20", 8);
    type("\x17");                                   /* ^W: "20" */
    check("dmesg ", 6);
    type("\x17");                                   /* ^W: spaces, then "dmesg" */
    check("", 0);
    type("one two\x1b[D\x1b[D\x15");                /* ^U cuts before the cursor */
    check("wo", 0);
}

static void test_history_up_down(void **state)
{
    (void)state;
    type("lspci\r");
    lineedit_begin(&le);
    type("irq\r");
    lineedit_begin(&le);
    type("ps");
    type("\x1b[A");
    check("irq", 3);
    type("\x1b[A");
    check("lspci", 5);
    type("\x1b[A");                                 /* no older line */
    assert_int_equal(bells, 1);
    check("lspci", 5);
    type("\x1b[B\x1b[B");                           /* back to what was being typed */
    check("ps", 2);
    type("\x1b[B");
    assert_int_equal(bells, 2);
    type("\x10\x10");                               /* ^P ^P, then edit the recalled line */
    check("lspci", 5);
    assert_int_equal(type(" -v\r"), LINEEDIT_LINE);
    assert_string_equal(lineedit_line(&le), "lspci -v");
    assert_string_equal(lineedit_history(&le, 0), "lspci -v");
    assert_string_equal(lineedit_history(&le, 1), "irq");
    assert_string_equal(lineedit_history(&le, 2), "lspci");
}

static void test_history_keeps_newest(void **state)
{
    char cmd[16];

    (void)state;
    for (unsigned i = 0; i < LINEEDIT_HISTORY + 3; i++) {
        snprintf(cmd, sizeof cmd, "cmd%u\r", i);
        type(cmd);
        lineedit_begin(&le);
    }
    type("\r");                                     /* empty: not kept */
    lineedit_begin(&le);
    type("cmd18\r");                                /* a repeat of the newest: not kept */
    assert_int_equal(le.history_count, LINEEDIT_HISTORY);
    assert_string_equal(lineedit_history(&le, 0), "cmd18");
    assert_string_equal(lineedit_history(&le, LINEEDIT_HISTORY - 1), "cmd3");
    assert_null(lineedit_history(&le, LINEEDIT_HISTORY));
}

static void test_cancel_and_crlf(void **state)
{
    (void)state;
    type("reboot");
    assert_int_equal(type("\x03"), LINEEDIT_CANCEL);
    assert_string_equal(lineedit_line(&le), "");
    assert_int_equal(row, 1);
    assert_null(lineedit_history(&le, 0));
    lineedit_begin(&le);
    assert_int_equal(type("ps\r"), LINEEDIT_LINE);
    lineedit_begin(&le);
    assert_int_equal(type("\n"), LINEEDIT_MORE);     /* the LF of CR LF */
    assert_int_equal(type("\n"), LINEEDIT_LINE);     /* a LF alone is Enter */
}

static void test_full_line_rings(void **state)
{
    char many[COLS + 8];

    (void)state;
    memset(many, 'x', sizeof many - 1);
    many[sizeof many - 1] = 0;
    type(many);
    assert_int_equal(strlen(lineedit_line(&le)), COLS - PL - 1);
    assert_int_equal(bells, sizeof many - 1 - (COLS - PL - 1));
    assert_int_equal(col, COLS - 1);
}

static void test_unknown_sequences_ignored(void **state)
{
    (void)state;
    type("a\x1b[[A\x1b[15~\x1b[2~\x1b[1;5C\tb");     /* F1, F5, Insert, Ctrl+Right, Tab */
    check("ab", 2);
    type("\x1b\x1b[D");                             /* ESC ESC [ D: a new sequence */
    check("ab", 1);
    type("\x0c");                                   /* ^L: cleared, drawn again on row 0 */
    assert_int_equal(row, 0);
    check("ab", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_typing_echoes, setup),
        cmocka_unit_test_setup(test_insert_in_the_middle, setup),
        cmocka_unit_test_setup(test_backspace_and_delete, setup),
        cmocka_unit_test_setup(test_home_and_end_forms, setup),
        cmocka_unit_test_setup(test_left_right_bounds, setup),
        cmocka_unit_test_setup(test_kill_keys, setup),
        cmocka_unit_test_setup(test_history_up_down, setup),
        cmocka_unit_test_setup(test_history_keeps_newest, setup),
        cmocka_unit_test_setup(test_cancel_and_crlf, setup),
        cmocka_unit_test_setup(test_full_line_rings, setup),
        cmocka_unit_test_setup(test_unknown_sequences_ignored, setup),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
