/*
 * vt.h - the virtual consoles tty1..tty4 on the screen (vt.c): each a
 * terminal emulator (vtemu.h) with its own screen contents and scrollback,
 * registered with tty_register (ops->write = the emulator); one at a time
 * on the renderer (drivers/fb/fbcon.c or drivers/vga/vga.c), switched with
 * Alt+F1..F4; Shift+PgUp/PgDn browse the shown one's scrollback; a key
 * event goes through keymap_translate into tty_input of the shown console.
 * printk's screen output goes to tty1 (console_write, kernel/console.c).
 *
 * Order: vt_console_start (from console_init: tty1 only, so printk reaches
 * the screen early), then vt_init once tty and input are up (tty2..tty4,
 * the ttys, the input listener). Every function may be called with no
 * screen: it then does nothing (vt_active still says 1).
 *
 * Locking: one spinlock (vt.c's screen_lock) guards every console and the
 * renderer; it is taken with interrupts off (the input listener runs in
 * interrupt context) and nothing is printed under it. Answers the emulator
 * sends back (DSR, DA) go to tty_input after the lock is released.
 */
#pragma once

#include <stddef.h>

#include "term/vtemu.h"

/* Key codes the consoles act on: Linux's (linux/input-event-codes.h), as the input layer's. */
#define VT_KEY_A        30
#define VT_KEY_F1       59
#define VT_KEY_F2       60
#define VT_KEY_F4       62
#define VT_KEY_PAGEUP   104
#define VT_KEY_PAGEDOWN 109

#define VT_COUNT        4
#define VT_SCROLLBACK_1 1000    /* rows of tty1's scrollback (the boot's lines) */
#define VT_SCROLLBACK   200     /* of tty2..tty4 */

/* The issue 14 contract (docs/vt.md). */
void vt_init(void);                        /* after console_init, tty and input are up */
int  vt_active(void);                      /* 1..4 */
void vt_switch(int n);

/* tty1 on the renderer ops, a cols x rows screen; -1 without memory. */
int  vt_console_start(const struct vt_ops *ops, unsigned cols, unsigned rows);
/* Bytes to console n (1..4), as the tty's ops->write does. */
void vt_write(int n, const char *s, size_t len);
/* printk's lines to tty1: each \n as CR LF. */
void vt_printk_write(const char *s, size_t len);
/* Show the active console `back` rows back in its scrollback (0: live);
 * returns the rows shown back. */
unsigned vt_view(unsigned back);
/* Console n's emulator, to read its cells (NULL if it does not exist).
 * Read under no lock: for tests and reports, when nothing writes. */
const struct vtemu *vt_emulator(int n);
/* Take the renderer from the shown console (it keeps its cells, hidden)
 * for a caller that draws its own emulator (the ktests); NULL without a
 * screen. vt_screen_return shows the console again; no switch meanwhile. */
const struct vt_ops *vt_screen_borrow(void);
void vt_screen_return(void);
/* For a bench: the consoles draw through ops' draw, move and cursor instead of the
 * renderer's (ops calls the renderer itself, which this returns; NULL for none);
 * vt_renderer_wrap(NULL) puts the renderer's back. Nothing costs while unused. */
const struct vt_ops *vt_renderer_wrap(const struct vt_ops *ops);
/* The key event handler the input listener calls (vt_input.c). */
struct input_event;
void vt_key_event(const struct input_event *ev);
/* The shown console's tty (NULL if none) and whether it asked for
 * application cursor keys (?1h); for vt_input.c. */
struct tty;
struct tty *vt_active_tty(int *app_cursor);
