/*
 * bench_term.c - bench=term: what the screen console costs, measured on
 * the screen itself (the renderer taken from tty1 with vt_screen_borrow,
 * an emulator of the screen's size drawing on it):
 *
 *   term_draw_screen   a full screen of text: "ESC [ H" and cols x rows
 *                      printable characters (no scroll: the last one leaves
 *                      its wrap pending); every cell drawn once
 *   term_scroll_line   one line feed on the last row: the whole screen
 *                      scrolls by one line (the emulator turns its ring, the
 *                      renderer moves the framebuffer up one text row and
 *                      draws the new blank row)
 *   term_cat_line      what `cat` of a file to tty1 costs a line: one line
 *                      of cols printable characters and "\n" through
 *                      tty_write of tty1 (shown again), so the tty layer's
 *                      output processing (ONLCR) too; every line is drawn
 *                      and scrolls the whole screen by one (line k, column
 *                      i: '!' + (i + k) % 94, what the Linux anchor's cat
 *                      writes: tests/bench/anchors/fbcon-bench.c)
 *   key_echo           a key typed through the 8042 to its echo on tty1
 *                      (bench_keyecho.c), after the two above
 *
 * Each is the median of BENCH_TRIALS trials of TERM_OPS operations
 * (bench_measure_n), with the tick stopped (timer_stop) so no interrupt
 * lands in a trial. tests/bench/term-bench.sh boots it under -icount
 * (instructions) and plain TCG (wall time) and prints the rows.
 */
#include "console.h"
#include "mm/heap.h"
#include "printk.h"
#include "term/vt.h"
#include "test/bench.h"
#include "timer/timer.h"
#include "tty/tty.h"

#define TERM_OPS 2
#define CAT_LINES 48            /* a trial: a screenful of lines */

static struct vtemu emu;
static char *page;
static size_t page_len;

static void op_draw_screen(void)
{
    vtemu_write(&emu, page, page_len);
}

static void op_scroll_line(void)
{
    vtemu_write(&emu, "\n", 1);
}

static struct tty *cat_tty;
static char *cat_line;
static unsigned cat_cols, cat_k;

static void op_cat_line(void)
{
    for (unsigned i = 0; i < cat_cols; i++)
        cat_line[i] = (char)('!' + (i + cat_k) % 94);
    cat_line[cat_cols] = '\n';
    cat_k++;
    tty_write(cat_tty, cat_line, cat_cols + 1);
}

/* "ESC [ H" and a screenful of printable ASCII, in page. */
static void fill_page(unsigned cols, unsigned rows)
{
    size_t n = 0;

    page[n++] = 0x1B, page[n++] = '[', page[n++] = 'H';
    for (unsigned i = 0; i < cols * rows; i++)
        page[n++] = (char)('!' + i * 7 % 94);
    page_len = n;
}

int bench_term_run(void)
{
    const struct vtemu *tty1 = vt_emulator(1);
    const struct vt_ops *screen = vt_screen_borrow();
    struct vt_cell *mem;

    if (!screen || !tty1) {
        printk(LOG_WARN, "bench: bench=term needs a screen console: not measured\n");
        return 1;
    }
    mem = kmalloc(VTEMU_CELLS(tty1->cols, tty1->rows, 0) * sizeof *mem);
    page = kmalloc((size_t)tty1->cols * tty1->rows + 3);
    if (!mem || !page)
        return vt_screen_return(), 1;
    printk(LOG_INFO, "bench: term screen %ux%u cells, %s\n", tty1->cols, tty1->rows,
           console_kind() == CONSOLE_FB ? "framebuffer" : "VGA text");
    vtemu_init(&emu, tty1->cols, tty1->rows, mem, 0);
    vtemu_attach(&emu, screen, 0);
    fill_page(tty1->cols, tty1->rows);
    timer_stop();
    bench_measure_n("term_draw_screen", op_draw_screen, TERM_OPS);
    vtemu_write(&emu, "\x1b[999;1H", 8);            /* the last row */
    bench_measure_n("term_scroll_line", op_scroll_line, TERM_OPS);
    vt_screen_return();
    cat_tty = tty_find("tty1");
    cat_cols = tty1->cols;
    cat_line = page;                            /* cols + 1 bytes fit */
    if (cat_tty)
        bench_measure_n("term_cat_line", op_cat_line, CAT_LINES);
    timer_start();
    kfree(mem);
    kfree(page);
    return bench_keyecho_run();
}
