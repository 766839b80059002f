/*
 * input/input.h - the input event layer (input.c): one stream of events
 * for every input device (the PS/2 keyboard and mouse today).
 *
 * A driver turns what its device sends into struct input_event (Linux's
 * evdev types and codes, input/keycodes.h) and calls input_report, from
 * its interrupt handler. The layer then
 *   - calls every listener (input_add_listener) in the reporter's context:
 *     the VT layer's switch keys and typing, the keylog (keylog.c);
 *   - puts a copy into every open queue (input_open) and wakes a reader
 *     blocked on it (input_read). A full queue drops the new event and
 *     counts it (input_dropped): nothing is lost without a count.
 *
 * Rules: input_report may be called with interrupts off (an interrupt
 * handler) or on, from any CPU; a listener must not block nor report an
 * event itself. input_read may block (a thread, interrupts on, no
 * spinlock held) unless nonblock. Listeners are added at boot and never
 * removed (INPUT_MAX_LISTENERS). Each queue holds INPUT_QUEUE_EVENTS.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "input/keycodes.h"

#define INPUT_EV_KEY 1
#define INPUT_EV_REL 2

/* modifier and lock state at the time of the event (key events) */
#define INPUT_MOD_SHIFT   0x01
#define INPUT_MOD_CTRL    0x02
#define INPUT_MOD_ALT     0x04     /* left Alt */
#define INPUT_MOD_ALTGR   0x08     /* right Alt */
#define INPUT_MOD_META    0x10
#define INPUT_MOD_CAPS    0x20     /* Caps Lock on */
#define INPUT_MOD_NUM     0x40     /* Num Lock on */
#define INPUT_MOD_SCROLL  0x80     /* Scroll Lock on */

struct input_event {
    uint64_t time_ns;            /* clock_ns() when reported */
    uint16_t type, code;         /* INPUT_EV_*, KEY_* or BTN_* or REL_* */
    int32_t  value;              /* key: 1 down, 0 up, 2 repeat; rel: the delta */
    uint16_t mods;               /* INPUT_MOD_* */
    uint16_t device;             /* which input device reported it */
};

#define INPUT_KEY_UP      0
#define INPUT_KEY_DOWN    1
#define INPUT_KEY_REPEAT  2

#define INPUT_QUEUE_EVENTS  256  /* events one queue holds */
#define INPUT_MAX_LISTENERS 8
#define INPUT_EAGAIN        11   /* Linux's EAGAIN (kernel/errno.h, when it lands) */

/* A driver reports an event (interrupt context is fine). Every open queue gets a copy and
 * every listener is called, in the caller's context. */
void input_report(const struct input_event *ev);
/* A listener called for every event, in the reporter's (interrupt) context: it must not block.
 * The VT layer uses one for Alt+Fn, Shift+PgUp/PgDn and to type into the active console.
 * 0, or -1 when INPUT_MAX_LISTENERS are taken. */
int  input_add_listener(void (*fn)(const struct input_event *ev, void *ctx), void *ctx);
/* Queues readers block on; a full queue drops the event and counts it. NULL: no memory. */
struct input_queue *input_open(void);
int  input_read(struct input_queue *q, struct input_event *ev, int nonblock); /* 0, or -EAGAIN */
uint64_t input_dropped(const struct input_queue *q);
void input_close(struct input_queue *q);

/* A number for a new device (struct input_event's device), its name kept for the log. */
uint16_t input_device_add(const char *name);
const char *input_device_name(uint16_t device);

/* The boot phase "input": the keymap from keymap=, the keylog, the 8042 and its devices. */
void input_init(void);
/* 1 when "keylog" is on the command line: one serial line per event (keylog.c). */
int input_keylog_enabled(void);
/* One event as the keylog shows it, without "[input] " and newline: "key KEY_A down mods=shift
 * text=\"A\"", "btn BTN_LEFT down", "rel x=5" (keylog.c; the monitor's keys command too). The
 * length written, 0 for an event the keylog does not show. */
size_t input_event_describe(const struct input_event *ev, char *out, size_t cap);
