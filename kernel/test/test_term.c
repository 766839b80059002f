/*
 * test_term.c - the terminal emulator and the virtual consoles on the real
 * screen.
 *
 *   term_scripts_on_screen   every script of tests/term/ (embedded by
 *       kernel/term/scripts.asm) run by an emulator drawing on the screen's
 *       renderer (taken from the shown console: vt_screen_borrow): its cells
 *       must be what the script expects (vtscript_check, the host's check),
 *       and every cell on the screen must show them (console_cell_shows:
 *       the framebuffer's pixels, or VGA text memory), so the renderer's
 *       draw, move and colours are checked too.
 *   term_consoles_switch     Alt+F2 shows tty2's own contents, Alt+F1 tty1's
 *       again, through the key handler the input listener calls.
 *   term_scrollback_keys     Shift+PgUp shows tty1's scrollback half a screen
 *       a press, Shift+PgDn and a typed key come back to the live screen.
 */
#include "console.h"
#include "printk.h"
#include "term/vt.h"
#include "input/input.h"
#include "input/keymap.h"
#include "tty/tty.h"
#include "term/vtscript.h"
#include "test/ktest.h"

#define SCRIPT_SCROLLBACK   10      /* as tests/host/test_term.c */

extern const char term_scripts_start[], term_scripts_end[];

static struct vtscript script;
static struct vt_cell mem[VTEMU_CELLS(VTSCRIPT_COLS, VTSCRIPT_ROWS, SCRIPT_SCROLLBACK)];
static struct vtemu emu;
static struct vt_ops ops;
static char replies[VTSCRIPT_REPLY_MAX * 2];
static size_t reply_len;

static void catch_reply(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n && reply_len < sizeof replies; i++)
        replies[reply_len++] = s[i];
}

/* Does the screen show every cell of v (but the one under a shown cursor)? */
static int screen_shows(const struct vtemu *v, unsigned *col, unsigned *row)
{
    for (unsigned r = 0; r < v->rows; r++)
        for (unsigned c = 0; c < v->cols; c++) {
            if (vtemu_cursor_visible(v) && !v->back && c == v->x && r == v->y)
                continue;
            if (!console_cell_shows(c, r, vtemu_row(v, (int)r - (int)v->back) + c)) {
                *col = c, *row = r;
                return 0;
            }
        }
    return 1;
}

/* One script on the screen; 0 when the cells and the screen are right. */
static int run_script(struct ktest *t, const struct vtemu *screen)
{
    char why[KTEST_REASON_MAX];
    unsigned col, row;

    if (script.cols > screen->cols || script.rows > screen->rows)
        return ktest_fail(t, __FILE__, __LINE__, "script %s: %ux%u is larger than the screen",
                          script.name, script.cols, script.rows), -1;
    reply_len = 0;
    vtemu_init(&emu, script.cols, script.rows, mem, SCRIPT_SCROLLBACK);
    vtemu_attach(&emu, &ops, 0);
    vtemu_write(&emu, script.send, script.send_len);
    if (vtscript_check(&script, &emu, replies, reply_len, why, sizeof why) != 0)
        return ktest_fail(t, __FILE__, __LINE__, "%s", why), -1;
    if (!screen_shows(&emu, &col, &row))
        return ktest_fail(t, __FILE__, __LINE__, "script %s: the screen's cell %u,%u is not "
                          "the emulator's U+%04X", script.name, col, row,
                          vtemu_row(&emu, (int)row)[col].ch), -1;
    return 0;
}

void ktest_term_scripts_on_screen(struct ktest *t)
{
    const char *pos = term_scripts_start;
    const struct vtemu *tty1 = vt_emulator(1);
    const struct vt_ops *screen;
    char why[KTEST_REASON_MAX];
    unsigned line = 0, count = 0;
    int r;

    if (console_kind() == CONSOLE_NONE || !tty1)
        return KTEST_SKIP(t, "no screen console (the loader left no display)");
    screen = vt_screen_borrow();
    ops = *screen;
    ops.reply = catch_reply;
    while ((r = vtscript_parse(&pos, term_scripts_end, &line, &script, why, sizeof why)) > 0 &&
           run_script(t, tty1) == 0)
        count++;
    vt_screen_return();
    if (r < 0)
        return ktest_fail(t, __FILE__, __LINE__, "tests/term: %s", why);
    if (r == 0)
        printk(LOG_INFO, "term: %u scripts rendered on the %s console, every cell checked\n",
               count, console_kind() == CONSOLE_FB ? "framebuffer" : "VGA text");
}

static void key(unsigned code, uint16_t mods)
{
    struct input_event ev = { .type = INPUT_EV_KEY, .code = (uint16_t)code, .value = 1,
                              .mods = mods };

    vt_key_event(&ev);
}

static void expect_shown(struct ktest *t, int n)
{
    unsigned col = 0, row = 0;

    KTEST_ASSERT_EQ(t, vt_active(), n);
    if (!screen_shows(vt_emulator(n), &col, &row))
        ktest_fail(t, __FILE__, __LINE__, "tty%d shown, but the screen's cell %u,%u is not its",
                   n, col, row);
}

void ktest_term_consoles_switch(struct ktest *t)
{
    static const char text[] = "\x1b[H\x1b[2J\x1b[1;33mtty2\x1b[0m: its own screen";

    if (console_kind() == CONSOLE_NONE)
        return KTEST_SKIP(t, "no screen console (the loader left no display)");
    if (!KTEST_ASSERT(t, vt_emulator(2) != 0) || !KTEST_ASSERT_EQ(t, vt_active(), 1))
        return;
    vt_write(2, text, sizeof text - 1);
    expect_shown(t, 1);                     /* writing to a hidden console shows nothing */
    KTEST_ASSERT_EQ(t, vtemu_row(vt_emulator(2), 0)[1].ch, 't');
    key(VT_KEY_F2, INPUT_MOD_ALT);
    expect_shown(t, 2);
    vt_switch(VT_COUNT + 1);                /* no such console: nothing changes */
    KTEST_ASSERT_EQ(t, vt_active(), 2);
    key(VT_KEY_F1, INPUT_MOD_ALT);
    expect_shown(t, 1);
}

void ktest_term_scrollback_keys(struct ktest *t)
{
    const struct vtemu *v = vt_emulator(1);
    unsigned half;

    if (console_kind() == CONSOLE_NONE || !v)
        return KTEST_SKIP(t, "no screen console (the loader left no display)");
    half = v->rows / 2;
    for (unsigned r = 0; r < v->rows; r++)  /* a screenful: rows go to the scrollback */
        console_write("term_scrollback_keys\n", 21);
    if (!KTEST_ASSERT(t, vtemu_kept(v) >= 2 * half))
        return;
    key(VT_KEY_PAGEUP, INPUT_MOD_SHIFT);
    KTEST_ASSERT_EQ(t, v->back, half);
    key(VT_KEY_PAGEUP, INPUT_MOD_SHIFT);
    KTEST_ASSERT_EQ(t, v->back, 2 * half);
    expect_shown(t, 1);                     /* the rows from 2 * half back */
    key(VT_KEY_PAGEDOWN, INPUT_MOD_SHIFT);
    KTEST_ASSERT_EQ(t, v->back, half);
    key(VT_KEY_A, 0);                       /* typing comes back to the live screen */
    KTEST_ASSERT_EQ(t, v->back, 0);
    expect_shown(t, 1);
}
