/*
 * vt.c - the virtual consoles tty1..tty4 (see vt.h): four emulators, one
 * renderer, and which of them it shows.
 *
 * Each console has two sets of callbacks: `shown` (the renderer's draw,
 * move and cursor) while it is on the screen, `hidden` (draw nothing)
 * otherwise; both carry the console's reply callback, so a hidden console
 * still answers a status request. vt_switch moves the renderer from one
 * emulator to the other (vtemu_attach redraws every cell).
 *
 * Replies (DSR, DA) are collected in the console's `answer` while the
 * lock is held and typed into its tty after it is released: tty_input may
 * echo, and the echo comes back here through tty_write. A write that came
 * through the tty (a process's: tty_write_bytes) runs under the tty's own
 * lock, which tty_input takes too: its answer is typed in by the console's
 * `answer_later` callout, on the next tick, once that lock is let go.
 */
#include "mm/heap.h"
#include "panic.h"
#include "printk.h"
#include "sched/callout.h"
#include "sync/spinlock.h"
#include "term/vt.h"
#include "input/input.h"
#include "input/keymap.h"
#include "tty/tty.h"

#define ANSWER_MAX 32

struct vt {
    struct vtemu emu;
    int live;                       /* emu has its cells */
    struct tty *tty;                /* NULL until vt_init (or without ttys) */
    struct vt_ops shown, hidden;
    char answer[ANSWER_MAX];        /* replies not yet typed into the tty */
    unsigned answer_len;
    struct callout answer_later;    /* types them in outside the tty's lock */
};

static struct spinlock screen_lock = SPINLOCK_INIT("vt_screen");
/* under screen_lock */
static struct vt vts[VT_COUNT];
static int active = 1;
static int lent;                    /* vt_screen_borrow: no console shown */
static unsigned screen_cols, screen_rows;
static const struct vt_ops *renderer;

static void draw_nothing(void *ctx, unsigned col, unsigned row, const struct vt_cell *c, unsigned n)
{
    (void)ctx, (void)col, (void)row, (void)c, (void)n;
}

static void move_nothing(void *ctx, unsigned top, unsigned bottom, unsigned n, int up)
{
    (void)ctx, (void)top, (void)bottom, (void)n, (void)up;
}

static void cursor_nothing(void *ctx, unsigned col, unsigned row, const struct vt_cell *c, int visible)
{
    (void)ctx, (void)col, (void)row, (void)c, (void)visible;
}

static void answer_later(void *arg);

/* Caller holds screen_lock: keep the answer for vt_write to type in. */
static void keep_answer(void *ctx, const char *s, size_t n)
{
    struct vt *vt = ctx;

    for (size_t i = 0; i < n && vt->answer_len < ANSWER_MAX; i++)
        vt->answer[vt->answer_len++] = s[i];
}

/* Console n's cells from the heap (its scrollback smaller if memory is short). */
static int vt_create(int n, unsigned scrollback)
{
    struct vt *vt = &vts[n - 1];
    struct vt_cell *mem = 0;

    while (scrollback > 0 && !(mem = kmalloc(VTEMU_CELLS(screen_cols, screen_rows, scrollback) *
                                            sizeof *mem)))
        scrollback /= 4;
    if (!mem)
        mem = kmalloc(VTEMU_CELLS(screen_cols, screen_rows, 0) * sizeof *mem);
    if (!mem)
        return -1;
    vtemu_init(&vt->emu, screen_cols, screen_rows, mem, scrollback);
    callout_init(&vt->answer_later, answer_later, vt);
    vt->shown = *renderer;
    vt->shown.reply = keep_answer;
    vt->hidden = (struct vt_ops){ draw_nothing, move_nothing, cursor_nothing, keep_answer };
    vtemu_attach(&vt->emu, n == active ? &vt->shown : &vt->hidden, vt);
    vt->live = 1;
    return 0;
}

int vt_console_start(const struct vt_ops *ops, unsigned cols, unsigned rows)
{
    renderer = ops;
    screen_cols = cols, screen_rows = rows;
    active = 1;
    return vt_create(1, VT_SCROLLBACK_1);
}

static struct vt *console(int n)
{
    return n >= 1 && n <= VT_COUNT && vts[n - 1].live ? &vts[n - 1] : 0;
}

/* Type what the console answered into its tty (screen_lock not held). */
static void send_answer(struct vt *vt, const char *answer, unsigned n)
{
    if (n && vt->tty)
        tty_input(vt->tty, answer, n);
}

/* Take what vt answered so far and type it into its tty (screen_lock and its tty's lock not held). */
static void type_answer(struct vt *vt)
{
    char answer[ANSWER_MAX];
    unsigned answer_len;

    spin_lock(&screen_lock);
    answer_len = vt->answer_len;
    for (unsigned i = 0; i < answer_len; i++)
        answer[i] = vt->answer[i];
    vt->answer_len = 0;
    spin_unlock(&screen_lock);
    send_answer(vt, answer, answer_len);
}

static void answer_later(void *arg)
{
    type_answer(arg);
}

/* s through console vt's emulator; 1 when it left an answer to type in. */
static int emulate(struct vt *vt, const char *s, size_t len)
{
    int answered;

    spin_lock(&screen_lock);
    vtemu_write(&vt->emu, s, len);
    answered = vt->answer_len > 0;
    spin_unlock(&screen_lock);
    return answered;
}

void vt_write(int n, const char *s, size_t len)
{
    struct vt *vt = console(n);

    if (vt && emulate(vt, s, len))
        type_answer(vt);
}

/* printk's lines, CR LF for each \n; while panicking, without the lock
 * (the CPU that holds it may be the one that stopped). */
void vt_printk_write(const char *s, size_t len)
{
    struct vt *vt = console(1);
    int locked = !panic_in_progress();

    if (!vt)
        return;
    if (locked)
        spin_lock(&screen_lock);
    vt->answer_len = 0;                 /* the kernel's own lines ask nothing of a tty */
    for (size_t start = 0, i = 0; i <= len; i++) {
        if (i == len || s[i] == '\n') {
            vtemu_write(&vt->emu, s + start, i - start);
            if (i < len)
                vtemu_write(&vt->emu, "\r\n", 2);
            start = i + 1;
        }
    }
    if (locked)
        spin_unlock(&screen_lock);
}

int vt_active(void)
{
    return active;
}

void vt_switch(int n)
{
    struct vt *to = console(n);

    spin_lock(&screen_lock);
    if (to && n != active && !lent) {
        vtemu_attach(&vts[active - 1].emu, &vts[active - 1].hidden, &vts[active - 1]);
        active = n;
        vtemu_attach(&to->emu, &to->shown, to);
    }
    spin_unlock(&screen_lock);
}

unsigned vt_view(unsigned back)
{
    struct vt *vt = console(active);
    unsigned shown;

    if (!vt)
        return 0;
    spin_lock(&screen_lock);
    shown = vtemu_view(&vt->emu, back);
    spin_unlock(&screen_lock);
    return shown;
}

const struct vtemu *vt_emulator(int n)
{
    struct vt *vt = console(n);

    return vt ? &vt->emu : 0;
}

const struct vt_ops *vt_screen_borrow(void)
{
    struct vt *vt = console(active);

    if (!vt)
        return 0;
    spin_lock(&screen_lock);
    vtemu_attach(&vt->emu, &vt->hidden, vt);
    lent = 1;
    spin_unlock(&screen_lock);
    return renderer;
}

void vt_screen_return(void)
{
    struct vt *vt = console(active);

    spin_lock(&screen_lock);
    if (vt && lent)
        vtemu_attach(&vt->emu, &vt->shown, vt);
    lent = 0;
    spin_unlock(&screen_lock);
}

const struct vt_ops *vt_renderer_wrap(const struct vt_ops *ops)
{
    const struct vt_ops *with = ops ? ops : renderer;

    spin_lock(&screen_lock);
    for (int n = 1; n <= VT_COUNT; n++) {
        struct vt *vt = console(n);
        if (!vt)
            continue;
        vt->shown.draw = with->draw;
        vt->shown.move = with->move;
        vt->shown.cursor = with->cursor;
    }
    spin_unlock(&screen_lock);
    return renderer;
}

/* The tty layer's write: bytes already output-processed, to the emulator. */
static void tty_write_bytes(struct tty *t, const char *buf, size_t n)
{
    struct vt *vt = tty_driver_data(t);

    if (vt && emulate(vt, buf, n))
        callout_arm(&vt->answer_later, 0);  /* t's lock is held here: tty_input would take it again */
}

static const struct tty_ops vt_tty_ops = { tty_write_bytes };

static void input_listener(const struct input_event *ev, void *ctx)
{
    (void)ctx;
    vt_key_event(ev);
}

void vt_init(void)
{
    static const char *const names[VT_COUNT] = { "tty1", "tty2", "tty3", "tty4" };

    if (!renderer)
        return;
    for (int n = 2; n <= VT_COUNT; n++)
        if (vt_create(n, VT_SCROLLBACK) != 0)
            printk(LOG_WARN, "vt: no memory for tty%d\n", n);
    for (int n = 1; n <= VT_COUNT; n++) {
        struct vt *vt = console(n);
        if (!vt)
            continue;
        vt->tty = tty_register(names[n - 1], &vt_tty_ops, vt);
        if (vt->tty)
            tty_set_winsize(vt->tty, (unsigned short)screen_rows, (unsigned short)screen_cols);
    }
    if (input_add_listener(input_listener, 0) != 0)
        printk(LOG_INFO, "vt: no input layer: Alt+F1..F4 and typing wait for it\n");
    printk(LOG_INFO, "vt: %d consoles of %ux%u, tty1 keeps %u rows of scrollback\n",
           console(2) ? VT_COUNT : 1, screen_cols, screen_rows, vts[0].emu.main.lines - screen_rows);
}

/* The shown console, its tty, and whether it wants ESC O arrows, for vt_input.c. */
struct tty *vt_active_tty(int *app_cursor)
{
    struct vt *vt = console(active);

    *app_cursor = vt ? vtemu_app_cursor_keys(&vt->emu) : 0;
    return vt ? vt->tty : 0;
}
