/*
 * bench_keyecho.c - bench=term's key echo (see bench.h): the instructions
 * from the keyboard's interrupt to the echoed character on the screen.
 *
 *   key_echo   a letter key pressed, measured from the start of the 8042's
 *              interrupt handler (i8042_irq's TSC stamp) to the moment the
 *              renderer has drawn the echoed glyph on tty1: the scan code
 *              read and decoded (scancode.c), the key event (kbdstate.c,
 *              input_report), the console's listener (vt_input.c), the
 *              keymap, tty_input and the line discipline's echo (canonical
 *              mode, ECHO on: the defaults), tty_write, vt_write, the
 *              emulator (the old cursor cell drawn again, the glyph), and
 *              the framebuffer renderer's draw of the glyph
 *
 * Nothing is a shortcut: the keys are typed through the controller itself.
 * Its "write output buffer" command (D2, i8042_inject) puts the key's scan
 * code (set 1 when the controller translates, else set 2) in the output
 * buffer as if the keyboard had sent it and raises IRQ 1, so each key
 * takes the same path as a key pressed on the keyboard, with no host
 * timing involved. The release follows (its interrupt draws nothing).
 *
 * The end stamp: vt_renderer_wrap puts probe_draw in front of the
 * renderer's draw; after the real draw returns, the first cell drawn
 * inside an 8042 interrupt (i8042_irq_entry_tsc non-zero) that holds the
 * expected letter gives the sample. The draw before it, the cell under the
 * old cursor drawn again (vtscreen_hide_cursor), is part of the cost, as
 * is the wrapper's call (a few instructions). What the CPU does before
 * i8042_irq (the stub in isr.asm, trap_dispatch: bench=irq's
 * int_roundtrip) and after the draw (the cursor, the EOI, iretq) is not.
 *
 * KEY_ECHO_KEYS keys on a cleared tty1, all on its first row (no scroll,
 * no wrap); the line discipline keeps them (no reader), far from its
 * 4,095-byte line limit. Printed: the median, then min and max.
 */
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/tsc.h"
#include "input/i8042.h"
#include "printk.h"
#include "term/vt.h"
#include "test/bench.h"
#include "timer/clock.h"
#include "tty/tty.h"

#define KEY_ECHO_KEYS       63
#define KEY_WAIT_NS         (1000 * NS_PER_MS)
#define I8042_STATUS        0x64
#define STATUS_OUT_FULL     0x01
#define SET1_BREAK          0x80
#define SET2_BREAK          0xF0

/* Letters whose keys are the same in the US and German layouts (no y, z). */
static const struct {
    char ch;
    uint8_t set1, set2;
} keys[] = {
    { 'a', 0x1E, 0x1C }, { 's', 0x1F, 0x1B }, { 'd', 0x20, 0x23 }, { 'f', 0x21, 0x2B },
    { 'g', 0x22, 0x34 }, { 'h', 0x23, 0x33 }, { 'j', 0x24, 0x3B }, { 'k', 0x25, 0x42 },
    { 'l', 0x26, 0x4B }, { 'q', 0x10, 0x15 }, { 'w', 0x11, 0x1D }, { 'e', 0x12, 0x24 },
    { 'r', 0x13, 0x2D }, { 't', 0x14, 0x2C }, { 'u', 0x16, 0x3C }, { 'i', 0x17, 0x43 },
    { 'o', 0x18, 0x44 }, { 'p', 0x19, 0x4D },
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const struct vt_ops *screen;
static volatile uint32_t expected;      /* the letter whose glyph ends the sample */
static volatile uint64_t sample;        /* its ticks, 0 until drawn */

static void probe_draw(void *ctx, unsigned col, unsigned row, const struct vt_cell *c, unsigned n)
{
    uint64_t entry;

    screen->draw(ctx, col, row, c, n);
    entry = i8042_irq_entry_tsc();
    if (entry && !sample && n && c[0].ch == expected)
        sample = arch_rdtsc() - entry;
}

static void probe_move(void *ctx, unsigned top, unsigned bottom, unsigned n, int up)
{
    screen->move(ctx, top, bottom, n, up);
}

static void probe_cursor(void *ctx, unsigned col, unsigned row, const struct vt_cell *under,
                         int visible)
{
    screen->cursor(ctx, col, row, under, visible);
}

static const struct vt_ops probe_ops = { probe_draw, probe_move, probe_cursor, 0 };

/* Until the handler has read the output buffer (it runs on this CPU): 0, or -1. */
static int wait_taken(void)
{
    uint64_t end = clock_ns() + KEY_WAIT_NS;

    while (arch_inb(I8042_STATUS) & STATUS_OUT_FULL)
        if (clock_ns() > end)
            return -1;
    return 0;
}

static int inject(uint8_t byte)
{
    return i8042_inject(I8042_PORT_KBD, byte) || wait_taken() ? -1 : 0;
}

/* One key pressed (its echo's ticks in *ticks) and released: 0, or -1. */
static int type_key(unsigned k, int set1, uint64_t *ticks)
{
    uint64_t end = clock_ns() + KEY_WAIT_NS;
    uint8_t make = set1 ? keys[k].set1 : keys[k].set2;

    expected = (uint32_t)keys[k].ch;
    sample = 0;
    if (inject(make))
        return -1;
    while (!sample)
        if (clock_ns() > end)
            return -1;
    *ticks = sample;
    if (set1)
        return inject(make | SET1_BREAK);
    return inject(SET2_BREAK) || inject(make) ? -1 : 0;
}

int bench_keyecho_run(void)
{
    uint64_t ticks[KEY_ECHO_KEYS];
    int set1 = i8042_translating();
    int failed = 0;

    if (!vt_emulator(1) || vt_active() != 1 || !tty_find("tty1")) {
        printk(LOG_WARN, "bench: key_echo needs tty1 shown on a screen: not measured\n");
        return 1;
    }
    vt_write(1, "\x1b[H\x1b[2J", 7);            /* the echo on row 0, nothing scrolls */
    screen = vt_renderer_wrap(&probe_ops);
    for (int i = 0; i < KEY_ECHO_KEYS && !failed; i++)
        failed = type_key((unsigned)i % NKEYS, set1, &ticks[i]);
    vt_renderer_wrap(0);
    vt_write(1, "\r\n", 2);
    if (failed) {
        printk(LOG_WARN, "bench: key_echo: a typed key (8042 command D2) drew no echo within "
               "1 s: not measured\n");
        return 1;
    }
    bench_sort(ticks, KEY_ECHO_KEYS);
    printk(LOG_INFO, "bench: key_echo tsc_per_op=%llu ns_per_op=%llu min=%llu max=%llu keys=%d set=%d\n",
           (unsigned long long)ticks[KEY_ECHO_KEYS / 2],
           (unsigned long long)tsc_ticks_to_ns(ticks[KEY_ECHO_KEYS / 2]),
           (unsigned long long)ticks[0], (unsigned long long)ticks[KEY_ECHO_KEYS - 1],
           KEY_ECHO_KEYS, set1 ? 1 : 2);
    return 0;
}
