/*
 * test_term.c - host unit tests for the terminal emulator (kernel/term/
 * vtemu.c, vtscreen.c) and its script checker (vtscript.c).
 *
 * Every script of tests/term/NAME.term is one test, run three ways: the bytes
 * written at once, then one byte per vtemu_write (a sequence split anywhere
 * must mean the same), then with a renderer attached whose draw and move
 * callbacks keep a screen of their own, which must end equal to the
 * emulator's cells (the callbacks tell the renderer every change). Besides
 * them: browsing the scrollback (vtemu_view) and the scrollback's rows.
 */
#define _DEFAULT_SOURCE                 /* scandir */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term/vtemu.h"
#include "term/vtscript.h"

#define TERM_DIR    "tests/term"
#define SCROLLBACK  10
#define MAX_SCRIPTS 200

static struct vt_cell mem[VTEMU_CELLS(VTSCRIPT_COLS, VTSCRIPT_ROWS, SCROLLBACK)];
static struct vtemu emu;

/* The fake renderer: its own copy of the screen, from draw and move only. */
static struct vt_cell shown[VTSCRIPT_ROWS][VTSCRIPT_COLS];
static char replies[VTSCRIPT_REPLY_MAX * 2];
static size_t reply_len;

static void fake_draw(void *ctx, unsigned col, unsigned row, const struct vt_cell *cells, unsigned n)
{
    (void)ctx;
    assert_true(row < emu.rows && col + n <= emu.cols);
    memcpy(&shown[row][col], cells, n * sizeof *cells);
}

static void fake_move(void *ctx, unsigned top, unsigned bottom, unsigned n, int up)
{
    (void)ctx;
    assert_true(top < bottom && bottom <= emu.rows && n < bottom - top);
    if (up)
        memmove(shown[top], shown[top + n], (bottom - top - n) * sizeof shown[0]);
    else
        memmove(shown[top + n], shown[top], (bottom - top - n) * sizeof shown[0]);
}

static void fake_cursor(void *ctx, unsigned col, unsigned row, const struct vt_cell *under, int visible)
{
    (void)ctx, (void)visible;
    assert_true(col < emu.cols && row < emu.rows);
    assert_ptr_equal(under, vtemu_row(&emu, (int)row) + col);
}

static void fake_reply(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    assert_true(reply_len + n <= sizeof replies);
    memcpy(replies + reply_len, s, n);
    reply_len += n;
}

static const struct vt_ops fake_ops = { fake_draw, fake_move, fake_cursor, fake_reply };

static void run(const struct vtscript *s, size_t chunk, const struct vt_ops *ops)
{
    char why[512];

    memset(shown, 0, sizeof shown);
    reply_len = 0;
    vtemu_init(&emu, s->cols, s->rows, mem, SCROLLBACK);
    vtemu_attach(&emu, ops, 0);
    for (size_t i = 0; i < s->send_len; i += chunk)
        vtemu_write(&emu, s->send + i, s->send_len - i < chunk ? s->send_len - i : chunk);
    if (vtscript_check(s, &emu, replies, reply_len, why, sizeof why) != 0)
        fail_msg("%s (written %zu bytes at a time)", why, chunk);
}

static void shown_matches_cells(void)
{
    for (unsigned r = 0; r < emu.rows; r++)
        for (unsigned c = 0; c < emu.cols; c++) {
            const struct vt_cell *want = vtemu_row(&emu, (int)r) + c;
            if (memcmp(&shown[r][c], want, sizeof *want) != 0)
                fail_msg("renderer's cell %u,%u is U+%04X, the emulator's U+%04X", c, r,
                         shown[r][c].ch, want->ch);
        }
}

static void script_test(void **state)
{
    const struct vtscript *s = *state;

    static const size_t chunks[] = { VTSCRIPT_SEND_MAX, 1, 3 };

    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        run(s, chunks[i], &fake_ops);
        shown_matches_cells();
    }
}

/* ---- scrollback ---- */

static void write_str(const char *s)
{
    vtemu_write(&emu, s, strlen(s));
}

static void scrollback_view(void **state)
{
    (void)state;
    memset(shown, 0, sizeof shown);
    vtemu_init(&emu, 3, 2, mem, SCROLLBACK);
    vtemu_attach(&emu, &fake_ops, 0);
    write_str("1\r\n2\r\n3\r\n4");              /* screen 3 4, scrollback 1 2 */
    assert_int_equal(vtemu_kept(&emu), 2);
    assert_int_equal(vtemu_row(&emu, -1)->ch, '2');
    assert_int_equal(vtemu_row(&emu, -2)->ch, '1');
    assert_null(vtemu_row(&emu, -3));
    assert_int_equal(vtemu_view(&emu, 1), 1);
    assert_int_equal(shown[0][0].ch, '2');
    assert_int_equal(shown[1][0].ch, '3');
    assert_int_equal(vtemu_view(&emu, 99), 2);  /* clamped to what is kept */
    assert_int_equal(shown[0][0].ch, '1');
    write_str("x");                              /* output returns to the live screen */
    assert_int_equal(shown[0][0].ch, '3');
    assert_int_equal(shown[1][1].ch, 'x');
    shown_matches_cells();
}

static void scrollback_drops_oldest(void **state)
{
    char line[16];

    (void)state;
    vtemu_init(&emu, 4, 2, mem, SCROLLBACK);
    for (int i = 0; i < 30; i++) {
        snprintf(line, sizeof line, "%d\r\n", i);
        write_str(line);
    }
    assert_int_equal(vtemu_kept(&emu), SCROLLBACK);
    /* the screen: "29" and the empty row after it; kept: "19" .. "28" */
    assert_int_equal(vtemu_row(&emu, -1)[1].ch, '8');
    assert_int_equal(vtemu_row(&emu, -SCROLLBACK)->ch, '1');
    assert_int_equal(vtemu_row(&emu, -SCROLLBACK)[1].ch, '9');
}

/* ---- loading the scripts ---- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
        buf[0] = 0;
    fclose(f);
    return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_term(const struct dirent *d)
{
    size_t n = strlen(d->d_name);

    return n > 5 && strcmp(d->d_name + n - 5, ".term") == 0;
}

/* Every script of one file into tests[]; -1 on a parse error. */
static int load_file(const char *name, struct CMUnitTest *tests, int *count)
{
    char path[512], why[256];
    char *text;
    const char *pos;
    unsigned line = 0;
    int r;

    snprintf(path, sizeof path, "%s/%s", TERM_DIR, name);
    text = read_file(path);
    if (!text)
        return fprintf(stderr, "test_term: cannot read %s\n", path), -1;
    pos = text;
    while (*count < MAX_SCRIPTS) {
        struct vtscript *s = calloc(1, sizeof *s);
        char *label = malloc(128);
        r = vtscript_parse(&pos, text + strlen(text), &line, s, why, sizeof why);
        if (r <= 0) {
            free(s), free(label);
            if (r < 0)
                fprintf(stderr, "test_term: %s: %s\n", path, why);
            return r;
        }
        snprintf(label, 128, "%s/%s", name, s->name);
        tests[(*count)++] = (struct CMUnitTest){ label, script_test, 0, 0, s };
    }
    return 0;
}

int main(void)
{
    static struct CMUnitTest tests[MAX_SCRIPTS + 2] = {
        cmocka_unit_test(scrollback_view),
        cmocka_unit_test(scrollback_drops_oldest),
    };
    struct dirent **files;
    int count = 2, n = scandir(TERM_DIR, &files, is_term, by_name);

    if (n <= 0)
        return fprintf(stderr, "test_term: no scripts in %s\n", TERM_DIR), 1;
    for (int i = 0; i < n; i++)
        if (load_file(files[i]->d_name, tests, &count) != 0)
            return 1;
    return _cmocka_run_group_tests("term", tests, (size_t)count, 0, 0);
}
