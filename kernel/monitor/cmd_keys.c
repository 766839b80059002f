/*
 * cmd_keys.c - the monitor's keys: every event of the input layer
 * (drivers/input/input.h, evdev codes) as one line, in the form of the
 * input layer's keylog lines, made by the same function
 * (input_event_describe, drivers/input/keylog.c; without "[input] ");
 * until q is pressed on the keyboard, or q or ^C is typed on the
 * monitor's own terminal.
 *
 * The events come from a queue of its own (input_open), read without
 * blocking, turn about with the terminal; when neither has anything the
 * thread sleeps KEYS_POLL_NS.
 */
#include "monitor/commands.h"


#include "input/input.h"
#include "input/keycodes.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define KEYS_POLL_NS    (10 * NS_PER_MS)
#define KEYS_LINE_MAX   160
#define CTRL_C          0x03

/* One event as the input layer's keylog shows it (input_event_describe). */
static void show_event(struct monitor *m, const struct input_event *ev)
{
    char line[KEYS_LINE_MAX];
    size_t n = input_event_describe(ev, line, sizeof line - 1);

    if (!n)
        return;
    line[n++] = '\n';
    monitor_write(m, line, n);
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

