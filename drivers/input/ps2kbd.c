/*
 * ps2kbd.c - the PS/2 keyboard on the 8042's port 1 (see input/ps2.h).
 *
 * Probe (polled): reset (FF: ACK, then AA from the keyboard's self test),
 * scan code set 2 asked for (F0 02), its ID read (F2: AB 83, or AB 41
 * through translation), the typematic rate set (F3: 500 ms delay,
 * 10.9 keys/s), the LEDs off (ED 00), scanning on (F4).
 *
 * Then every byte comes to kbd_byte in interrupt context (i8042.h): the
 * decoder (scancode.c: set 1 when the controller translates, set 2 when
 * not) makes keys of it, the keyboard state (kbdstate.c) events, and
 * input_report sends them on. A key that changes a lock updates the LEDs:
 * ED and then the LED byte, each sent when the ACK of the one before
 * arrives (the LED state machine below); an ACK or resend byte the LED
 * machine waits for is its, never the decoder's.
 *
 * With "bench=input" on the command line each key event also prints
 *   bench: kbd_irq_to_input_report tsc_per_op=N
 * the TSC ticks from the start of the keyboard's interrupt handler
 * (i8042_irq) to input_report: under QEMU's -icount shift=0 the guest
 * instructions of the 8042 read, the decoder and the keyboard state.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "format.h"
#include "input/i8042.h"
#include "input/input.h"
#include "input/kbdstate.h"
#include "input/ps2.h"
#include "input/scancode.h"
#include "printk.h"
#include "timer/clock.h"

#define KBD_RESET           0xFF
#define KBD_SELF_TEST_PASS  0xAA
#define KBD_SCANCODE_SET    0xF0
#define KBD_IDENTIFY        0xF2
#define KBD_TYPEMATIC       0xF3
#define KBD_TYPEMATIC_500MS_10CPS 0x2B   /* delay 01 (500 ms), rate 01011 (10.9/s) */
#define KBD_SET_LEDS        0xED
#define KBD_ENABLE          0xF4
#define KBD_RESET_TIMEOUT_NS (1000 * NS_PER_MS)
#define LED_STALE_NS        (200 * NS_PER_MS)   /* an ACK this late is lost: start again */

enum led_step { LED_IDLE, LED_SENT_CMD, LED_SENT_VALUE };

static struct {
    struct scancode_decoder dec;
    struct kbdstate state;
    enum led_step led_step;
    uint8_t led_value;          /* being sent */
    int led_again;              /* locks changed while sending */
    uint64_t led_sent_ns;
    int bench;                  /* "bench=input" */
} kbd;

static void leds_send(void)
{
    uint64_t now = clock_ns();

    if (kbd.led_step != LED_IDLE && now - kbd.led_sent_ns < LED_STALE_NS) {
        kbd.led_again = 1;
        return;
    }
    kbd.led_value = kbdstate_leds(&kbd.state);
    kbd.led_again = 0;
    kbd.led_sent_ns = now;
    kbd.led_step = i8042_send(I8042_PORT_KBD, KBD_SET_LEDS) ? LED_IDLE : LED_SENT_CMD;
}

/* An ACK or resend while the LED machine waits: its next step. */
static void leds_answer(uint8_t byte)
{
    if (byte == I8042_RESEND) {
        kbd.led_step = LED_IDLE;
        leds_send();
        return;
    }
    if (kbd.led_step == LED_SENT_CMD) {
        kbd.led_step = i8042_send(I8042_PORT_KBD, kbd.led_value) ? LED_IDLE : LED_SENT_VALUE;
        return;
    }
    kbd.led_step = LED_IDLE;
    if (input_keylog_enabled())
        printk(LOG_INFO, "[input] leds 0x%x acked (caps=%s num=%s scroll=%s)\n", kbd.led_value,
               (kbd.led_value & 4) ? "on" : "off", (kbd.led_value & 2) ? "on" : "off",
               (kbd.led_value & 1) ? "on" : "off");
    if (kbd.led_again)
        leds_send();
}

static void kbd_byte(uint8_t byte, void *unused)
{
    struct scancode_key keys[2];
    struct input_event ev;
    int n;

    (void)unused;
    if (kbd.led_step != LED_IDLE && (byte == I8042_ACK || byte == I8042_RESEND)) {
        leds_answer(byte);
        return;
    }
    n = scancode_feed(&kbd.dec, byte, keys);
    for (int i = 0; i < n; i++) {
        int lock_changed = kbdstate_key(&kbd.state, keys[i].code, keys[i].down, &ev);
        uint64_t ticks = arch_rdtsc() - i8042_irq_entry_tsc();
        input_report(&ev);
        if (kbd.bench)
            printk(LOG_INFO, "bench: kbd_irq_to_input_report tsc_per_op=%llu\n",
                   (unsigned long long)ticks);
        if (lock_changed)
            leds_send();
    }
}

/* Reset and self test: 0 when the keyboard answered AA. */
static int kbd_reset(void)
{
    uint8_t b;

    if (i8042_command(I8042_PORT_KBD, KBD_RESET))
        return -1;
    if (i8042_read(I8042_PORT_KBD, &b, KBD_RESET_TIMEOUT_NS) || b != KBD_SELF_TEST_PASS) {
        printk(LOG_WARN, "[input] ps2kbd: self test failed\n");
        return -1;
    }
    return 0;
}

/* F2: the two ID bytes (AB 83 for a keyboard), 0 if none came. */
static unsigned kbd_identify(void)
{
    uint8_t id0 = 0, id1 = 0;

    if (i8042_command(I8042_PORT_KBD, KBD_IDENTIFY) ||
        i8042_read(I8042_PORT_KBD, &id0, PS2_ANSWER_TIMEOUT_NS) ||
        i8042_read(I8042_PORT_KBD, &id1, PS2_ANSWER_TIMEOUT_NS))
        return 0;
    return (unsigned)id0 << 8 | id1;
}

int ps2kbd_probe(char *desc, size_t cap)
{
    int translated = i8042_translating();
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    unsigned id;

    if (kbd_reset())
        return -1;
    if (i8042_command(I8042_PORT_KBD, KBD_SCANCODE_SET) || i8042_command(I8042_PORT_KBD, 2))
        printk(LOG_WARN, "[input] ps2kbd: scan code set 2 refused: keeping the keyboard's\n");
    id = kbd_identify();
    if (i8042_command(I8042_PORT_KBD, KBD_TYPEMATIC) ||
        i8042_command(I8042_PORT_KBD, KBD_TYPEMATIC_500MS_10CPS) ||
        i8042_command(I8042_PORT_KBD, KBD_SET_LEDS) || i8042_command(I8042_PORT_KBD, 0) ||
        i8042_command(I8042_PORT_KBD, KBD_ENABLE))
        printk(LOG_WARN, "[input] ps2kbd: a set-up command was refused\n");
    scancode_init(&kbd.dec, translated ? SCANCODE_SET1 : SCANCODE_SET2);
    kbdstate_init(&kbd.state, input_device_add("ps2kbd"));
    kbd.bench = cmdline_has_word(cmdline, len, "bench=input");
    i8042_set_receiver(I8042_PORT_KBD, kbd_byte, 0);
    format_snprintf(desc, cap, "set 2%s, id %04x", translated ? ", translated" : "", id);
    return 0;
}
