/*
 * vt_stubs.c - weak stand-ins for the input and tty functions the virtual
 * consoles call (see vt_deps.h): without the real ones no tty is
 * registered and no key arrives. A real definition overrides each at link
 * time. MERGE: delete once drivers/input/ and kernel/tty/ are on main.
 */
#include "term/vt_stubs.h"

#define WEAK __attribute__((weak))

WEAK int input_add_listener(void (*fn)(const struct input_event *ev, void *ctx), void *ctx)
{
    (void)fn, (void)ctx;
    return -1;
}

WEAK size_t keymap_translate(const struct input_event *ev, char *out, size_t cap)
{
    (void)ev, (void)out, (void)cap;
    return 0;
}

WEAK struct tty *tty_register(const char *name, const struct tty_ops *ops, void *driver_data)
{
    (void)name, (void)ops, (void)driver_data;
    return 0;
}

WEAK void *tty_driver_data(struct tty *t)
{
    (void)t;
    return 0;
}

WEAK void tty_input(struct tty *t, const char *buf, size_t n)
{
    (void)t, (void)buf, (void)n;
}

WEAK void tty_set_winsize(struct tty *t, unsigned short rows, unsigned short cols)
{
    (void)t, (void)rows, (void)cols;
}
