/*
 * test_console.c - the screen console keeps what it showed: the loader's
 * lines, replayed onto the console at start-up (report_replay_loader_log),
 * must still be in its text (screen and scrollback) when the tests run,
 * however far they scrolled; and viewing the scrollback must come back.
 * The ring itself (wrap, oldest dropped) is tested on the host:
 * tests/host/test_term.c.
 */
#include <string.h>

#include "boot/bootinfo_view.h"
#include "console.h"
#include "test/ktest.h"

/* Does text row `row` (cols cells) start with the first line of log? */
static int row_starts_with_line(const struct vt_cell *row, unsigned cols, const char *log, size_t len)
{
    size_t n = 0;

    while (n < len && log[n] != '\n')
        n++;
    if (n > cols)
        n = cols;
    for (size_t i = 0; i < n; i++)
        if (row[i].ch != (unsigned char)log[i])
            return 0;
    return n > 0;
}

/* Up to 80 characters of row as text, for a message. */
static const char *row_text(const struct vt_cell *row, unsigned cols)
{
    static char buf[81];
    unsigned i;

    for (i = 0; row && i < cols && i < sizeof buf - 1; i++)
        buf[i] = row[i].ch < 0x7F ? (char)row[i].ch : '?';
    buf[i] = 0;
    return buf;
}

void ktest_console_keeps_loader_log(struct ktest *t)
{
    size_t len;
    const char *log = bootinfo_loader_log(&len);
    unsigned cols, kept = console_scrollback_rows();
    int found = 0;

    if (console_kind() == CONSOLE_NONE)
        return KTEST_SKIP(t, "no screen console (the loader left no display)");
    if (len == 0)
        return KTEST_SKIP(t, "the loader left no log");
    if (!KTEST_ASSERT(t, console_line(0, &cols) != 0))
        return;
    for (int n = -(int)kept; n < 0 && !found; n++)
        found = row_starts_with_line(console_line(n, &cols), cols, log, len);
    for (int n = 0; console_line(n, &cols) && !found; n++)
        found = row_starts_with_line(console_line(n, &cols), cols, log, len);
    if (!found)
        ktest_fail(t, __FILE__, __LINE__, "the loader's first line '%.*s' is in none of the %u "
                   "scrollback rows and the screen (oldest row: '%s')",
                   (int)(strchr(log, '\n') ? strchr(log, '\n') - log : 40), log, kept,
                   row_text(console_line(-(int)kept, &cols), cols));
}

void ktest_console_view_scrollback(struct ktest *t)
{
    unsigned kept, cols;

    if (console_kind() == CONSOLE_NONE)
        return KTEST_SKIP(t, "no screen console (the loader left no display)");
    for (int n = 0; console_line(n, &cols); n++)    /* a screenful: rows go to the scrollback */
        console_write("console_view_scrollback\n", 24);
    kept = console_scrollback_rows();
    if (!KTEST_ASSERT(t, kept > 1))
        return;
    KTEST_ASSERT_EQ(t, console_view(1), 1);
    KTEST_ASSERT_EQ(t, console_view(kept + 5), kept);  /* clamped to what is kept */
    KTEST_ASSERT_EQ(t, console_view(0), 0);            /* and back to the live screen */
}
