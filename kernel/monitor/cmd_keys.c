/*
 * cmd_keys.c - the monitor's keys: every event of the input layer
 * (drivers/input/input.h, evdev codes) as one line, in the form of the
 * input layer's keylog lines (drivers/input/keylog.c, without its
 * "[input] "): the key's name (input_key_name), up/down/repeat, the
 * modifiers, and the bytes the keymap makes of it (keymap_translate);
 * until q is pressed on the keyboard, or q or ^C is typed on the
 * monitor's own terminal.
 *
 * The events come from a queue of its own (input_open), read without
 * blocking, turn about with the terminal; when neither has anything the
 * thread sleeps KEYS_POLL_NS.
 */
#include "monitor/commands.h"

#include <stdarg.h>

#include "format.h"
#include "input/input.h"
#include "input/keycodes.h"
#include "input/keymap.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define KEYS_POLL_NS    (10 * NS_PER_MS)
#define KEYS_LINE_MAX   160
#define CTRL_C          0x03

static const char *const mod_names[] = { "shift", "ctrl", "alt", "altgr", "meta", "caps", "num", "scroll" };
static const char *const values[] = { "up", "down", "repeat" };

/* A line being built, written to the terminal at once. */
struct keys_line {
    char text[KEYS_LINE_MAX];
    size_t n;
};

static void add(struct keys_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct keys_line *l, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = format_vsnprintf(l->text + l->n, sizeof l->text - l->n, fmt, ap);
    va_end(ap);
    l->n = l->n + (size_t)n < sizeof l->text ? l->n + (size_t)n : sizeof l->text - 1;
}

/* " text=\"...\"": the bytes the keymap makes of the key, control bytes as \xNN, " and \ escaped. */
static void add_text(struct keys_line *l, const struct input_event *ev)
{
    char bytes[16];
    size_t n = keymap_translate(ev, bytes, sizeof bytes);

    if (!n)
        return;
    add(l, " text=\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)bytes[i];

        if (c < 0x20 || c == 0x7F)
            add(l, "\\x%02x", c);
        else if (c == '"' || c == '\\')
            add(l, "\\%c", c);
        else
            add(l, "%c", c);
    }
    add(l, "\"");
}

static void add_mods(struct keys_line *l, uint16_t mods)
{
    int any = 0;

    add(l, " mods=");
    for (unsigned i = 0; i < sizeof mod_names / sizeof mod_names[0]; i++)
        if (mods & (1u << i))
            add(l, "%s%s", any++ ? "+" : "", mod_names[i]);
    if (!any)
        add(l, "none");
}

/* One event as the input layer's keylog shows it: "key KEY_A down mods=shift text="A"",
 * "btn BTN_LEFT down", "rel x=5". */
static void show_event(struct monitor *m, const struct input_event *ev)
{
    const char *name = input_key_name(ev->code);
    struct keys_line l = { .n = 0 };

    if (ev->type == INPUT_EV_REL)
        add(&l, "rel %s=%d", ev->code == REL_X ? "x" : ev->code == REL_Y ? "y" :
            ev->code == REL_WHEEL ? "wheel" : "hwheel", (int)ev->value);
    else if (ev->type != INPUT_EV_KEY || ev->value < 0 || ev->value > 2 || !name)
        return;
    else if (ev->code >= BTN_LEFT)
        add(&l, "btn %s %s", name, values[ev->value]);
    else {
        add(&l, "key %s %s", name, values[ev->value]);
        add_mods(&l, ev->mods);
        add_text(&l, ev);
    }
    add(&l, "\n");
    monitor_write(m, l.text, l.n);
}

/* q (no Ctrl) or Ctrl+C pressed on the keyboard. */
static int stops(const struct input_event *ev)
{
    return ev->type == INPUT_EV_KEY && ev->value == 1 &&
           ((ev->code == KEY_Q && !(ev->mods & INPUT_MOD_CTRL)) ||
            (ev->code == KEY_C && (ev->mods & INPUT_MOD_CTRL)));
}

int monitor_cmd_keys(struct monitor *m, int argc, char **argv)
{
    struct input_queue *q = input_open();
    struct input_event ev;
    char c;

    (void)argc;
    (void)argv;
    if (!q)
        return monitor_error(m, "keys", "no input queue (no memory)");
    monitor_printf(m, "key events; q or ^C ends\n");
    for (;;) {
        int got = input_read(q, &ev, 1) == 0;
        int typed = monitor_getc(m, &c, 1);

        if (got && stops(&ev))
            break;
        if (got)
            show_event(m, &ev);
        if (typed == 0 || (typed == 1 && (c == 'q' || c == CTRL_C)))
            break;
        if (!got && typed != 1)
            sched_sleep_ns(KEYS_POLL_NS);
    }
    if (input_dropped(q))
        monitor_printf(m, "%llu events dropped (the queue was full)\n", (unsigned long long)input_dropped(q));
    input_close(q);
    return 0;
}

