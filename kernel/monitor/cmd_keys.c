/*
 * cmd_keys.c - the monitor's keys: every event of the input layer
 * (drivers/input/input.h, evdev codes) as one line, with the bytes the
 * keymap makes of a key (keymap_translate), until q is pressed on the
 * keyboard, or q or ^C is typed on the monitor's own terminal.
 *
 * The events come from a queue of its own (input_open), read without
 * blocking, turn about with the terminal; when neither has anything the
 * thread sleeps KEYS_POLL_NS.
 */
#include "monitor/commands.h"

#if __has_include("input/input.h")
#include "input/input.h"
#include "input/keymap.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define KEYS_POLL_NS    (10 * NS_PER_MS)
#define KEY_Q           16              /* evdev KEY_Q */
#define KEY_C           46              /* evdev KEY_C */
#define CTRL_C          0x03

static const char *const mod_names[] = { "shift", "ctrl", "alt", "altgr", "meta", "caps", "num", "scroll" };
static const char *const rel_names[] = { "x", "y", "z", "rx", "ry", "rz", "hwheel", "dial", "wheel" };

/* The typed bytes of a key event, printable ones as they are, others as \xNN. */
static void show_bytes(struct monitor *m, const struct input_event *ev)
{
    char out[16];
    size_t n = keymap_translate(ev, out, sizeof out);

    if (!n)
        return;
    monitor_printf(m, " \"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            monitor_write(m, (const char *)&c, 1);
        else
            monitor_printf(m, "\\x%02x", c);
    }
    monitor_printf(m, "\"");
}

static void show_event(struct monitor *m, const struct input_event *ev)
{
    static const char *const values[] = { "up", "down", "repeat" };

    if (ev->type == INPUT_EV_REL) {
        monitor_printf(m, "dev %u rel %s %+d\n", ev->device,
                       ev->code < sizeof rel_names / sizeof rel_names[0] ? rel_names[ev->code] : "?",
                       (int)ev->value);
        return;
    }
    if (ev->type != INPUT_EV_KEY)
        return;
    monitor_printf(m, "dev %u key %3u %-6s", ev->device, ev->code,
                   ev->value >= 0 && ev->value <= 2 ? values[ev->value] : "?");
    for (unsigned i = 0; i < sizeof mod_names / sizeof mod_names[0]; i++)
        if (ev->mods & (1u << i))
            monitor_printf(m, " %s", mod_names[i]);
    show_bytes(m, ev);
    monitor_printf(m, "\n");
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
    int r = 0;

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
    return r;
}

#else

int monitor_cmd_keys(struct monitor *m, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return monitor_error(m, "keys", "this kernel has no input layer (drivers/input)");
}

#endif
