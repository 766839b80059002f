/*
 * vt_input.c - keys on the virtual consoles: the input listener's handler
 * (see vt.h). Runs in the reporting driver's interrupt context, so it only
 * takes the screen's spinlock (through vt_switch, vt_view) and calls
 * tty_input, which the contract allows there.
 *
 *   Alt+F1..F4         show tty1..tty4 (vt_switch)
 *   Shift+PgUp/PgDn    the shown console's scrollback, half a screen a
 *                      press (vt_view; new output returns to the live screen)
 *   anything else      keymap_translate's bytes into the shown console's
 *                      tty; with application cursor keys (?1h) the arrows
 *                      send ESC O A..D instead of ESC [ A..D, as xterm and
 *                      Linux do
 */
#include "term/vt.h"
#include "input/input.h"
#include "input/keymap.h"
#include "tty/tty.h"

#define KEY_UP_VALUE    0       /* input_event.value of a key release */

static void browse(unsigned code)
{
    const struct vtemu *v = vt_emulator(vt_active());
    unsigned step, back;

    if (!v)
        return;
    step = v->rows / 2, back = v->back;         /* output may have brought it back to 0 */
    vt_view(code == VT_KEY_PAGEUP ? back + step : back > step ? back - step : 0);
}

/* ESC [ A..D to ESC O A..D. */
static void app_cursor(char *s, size_t n)
{
    if (n == 3 && s[0] == 0x1B && s[1] == '[' && s[2] >= 'A' && s[2] <= 'D')
        s[1] = 'O';
}

void vt_key_event(const struct input_event *ev)
{
    char bytes[16];
    size_t n;
    int app;
    struct tty *tty;

    if (ev->type != INPUT_EV_KEY || ev->value == KEY_UP_VALUE)
        return;
    if ((ev->mods & INPUT_MOD_ALT) && ev->code >= VT_KEY_F1 && ev->code <= VT_KEY_F4) {
        vt_switch(ev->code - VT_KEY_F1 + 1);
        return;
    }
    if ((ev->mods & INPUT_MOD_SHIFT) && (ev->code == VT_KEY_PAGEUP || ev->code == VT_KEY_PAGEDOWN)) {
        browse(ev->code);
        return;
    }
    vt_view(0);
    n = keymap_translate(ev, bytes, sizeof bytes);
    tty = vt_active_tty(&app);
    if (app)
        app_cursor(bytes, n);
    if (n && tty)
        tty_input(tty, bytes, n);
}
