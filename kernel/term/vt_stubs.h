/*
 * vt_stubs.h - the names of the issue 14 contract (sections 1 and 2) that
 * the virtual consoles use, declared for as long as drivers/input/ and
 * kernel/tty/ are not in the tree (see vt_deps.h). MERGE: delete.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define INPUT_EV_KEY 1
#define INPUT_EV_REL 2
#define INPUT_MOD_SHIFT   0x01
#define INPUT_MOD_CTRL    0x02
#define INPUT_MOD_ALT     0x04
#define INPUT_MOD_ALTGR   0x08

struct input_event {
    uint64_t time_ns;
    uint16_t type, code;
    int32_t  value;
    uint16_t mods;
    uint16_t device;
};

int    input_add_listener(void (*fn)(const struct input_event *ev, void *ctx), void *ctx);
size_t keymap_translate(const struct input_event *ev, char *out, size_t cap);

struct tty;
struct tty_ops {
    void (*write)(struct tty *t, const char *buf, size_t n);
};
struct tty *tty_register(const char *name, const struct tty_ops *ops, void *driver_data);
void *tty_driver_data(struct tty *t);
void  tty_input(struct tty *t, const char *buf, size_t n);
void  tty_set_winsize(struct tty *t, unsigned short rows, unsigned short cols);
