/*
 * test_textgrid.c - host unit tests for kernel/textgrid.c: the cursor
 * logic and the kept text with its scrollback ring, on a 4 x 3 grid whose
 * draw callback writes into a fake screen.
 */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <string.h>

#include "textgrid.h"

#define COLS 4
#define ROWS 3

static char screen[ROWS][COLS];
static int scrolls;

static void draw(unsigned col, unsigned row, char c)
{
    screen[row][col] = c;
}

static void scroll(void)
{
    memmove(screen[0], screen[1], sizeof screen - COLS);
    memset(screen[ROWS - 1], ' ', COLS);
    scrolls++;
}

static struct textgrid grid;

static void put(const char *s)
{
    while (*s)
        textgrid_put(&grid, *s++);
}

/* Row n of the kept text as a string, empty cells as '.'. */
static const char *row(int n)
{
    static char buf[COLS + 1];
    const char *r = textgrid_line(&grid, n);

    if (!r)
        return "(none)";
    for (int i = 0; i < COLS; i++)
        buf[i] = r[i] ? r[i] : '.';
    return buf;
}

static void start(char *text, unsigned lines)
{
    memset(screen, ' ', sizeof screen);
    scrolls = 0;
    grid = (struct textgrid){ .cols = COLS, .rows = ROWS, .draw = draw, .scroll = scroll };
    textgrid_keep_text(&grid, text, lines);
}

static void test_without_text(void **state)
{
    (void)state;
    start(NULL, 0);
    put("ab\ncd\nef\ngh");
    assert_int_equal(scrolls, 1);
    assert_memory_equal(screen[0], "cd  ", COLS);
    assert_null(textgrid_line(&grid, 0));
    assert_int_equal(textgrid_view(&grid, 3), 0);
}

static void test_text_follows_screen(void **state)
{
    char text[6 * COLS];

    (void)state;
    start(text, 6);
    put("ab\tc\n12");           /* the tab goes to column... 4 = the width: wraps */
    assert_string_equal(row(0), "ab  ");
    assert_string_equal(row(1), "c...");
    assert_string_equal(row(2), "12..");
    assert_string_equal(row(-1), "(none)");     /* nothing scrolled yet */
    assert_string_equal(row(3), "(none)");
}

static void test_full_row_then_newline_takes_one_row(void **state)
{
    char text[6 * COLS];

    (void)state;
    start(text, 6);
    put("abcd\nef\nghijk");    /* exactly the width, then \n: no blank row */
    assert_int_equal(scrolls, 1);               /* only the k's row scrolled */
    assert_string_equal(row(-1), "abcd");
    assert_string_equal(row(0), "ef..");
    assert_string_equal(row(1), "ghij");        /* a fifth character still wraps */
    assert_string_equal(row(2), "k...");
    assert_memory_equal(screen[2], "k   ", COLS);
}

static void test_scrollback_keeps_and_drops_oldest(void **state)
{
    char text[5 * COLS];        /* 3 screen rows + 2 of scrollback */

    (void)state;
    start(text, 5);
    put("r1\nr2\nr3\nr4\nr5\nr6");
    assert_int_equal(scrolls, 3);
    assert_int_equal(grid.kept, 2);
    assert_string_equal(row(0), "r4..");
    assert_string_equal(row(2), "r6..");
    assert_string_equal(row(-1), "r3..");       /* newest scrolled-off row */
    assert_string_equal(row(-2), "r2..");       /* r1 was dropped: the ring is full */
    assert_string_equal(row(-3), "(none)");
}

static void test_view_redraws_and_returns(void **state)
{
    char text[5 * COLS];

    (void)state;
    start(text, 5);
    put("r1\nr2\nr3\nr4\nr5");
    assert_int_equal(textgrid_view(&grid, 1), 1);
    assert_memory_equal(screen[0], "r2  ", COLS);
    assert_memory_equal(screen[2], "r4  ", COLS);
    assert_int_equal(textgrid_view(&grid, 9), 2);     /* clamped to what is kept */
    assert_memory_equal(screen[0], "r1  ", COLS);
    put("!");                   /* new output: back to the live screen first */
    assert_int_equal(grid.back, 0);
    assert_memory_equal(screen[0], "r3  ", COLS);
    assert_memory_equal(screen[2], "r5! ", COLS);
}

static void test_too_small_buffer_refused(void **state)
{
    char text[ROWS * COLS];

    (void)state;
    start(text, ROWS);          /* no room for any scrollback: not kept */
    assert_null(grid.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_text),
        cmocka_unit_test(test_text_follows_screen),
        cmocka_unit_test(test_full_row_then_newline_takes_one_row),
        cmocka_unit_test(test_scrollback_keeps_and_drops_oldest),
        cmocka_unit_test(test_view_redraws_and_returns),
        cmocka_unit_test(test_too_small_buffer_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
