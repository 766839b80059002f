/*
 * ps2mouse.c - the PS/2 mouse on the 8042's port 2 (see input/ps2.h).
 *
 * Probe (polled): reset (FF: ACK, AA, then its ID 00); the IntelliMouse
 * knock, sample rates 200, 100, 80 (F3 C8, F3 64, F3 50), after which a
 * wheel mouse answers F2 (identify) with 3; then the Explorer knock,
 * 200, 200, 80, after which a 5-button mouse answers 4 (Microsoft's
 * IntelliMouse extensions, as Linux's psmouse probes them). The packet is
 * 3 bytes for ID 0, 4 for IDs 3 and 4 (mousepacket.h). Then 100 samples/s
 * and stream mode on (F4): the mouse sends a packet whenever it moves or
 * a button changes.
 *
 * Every byte then comes to mouse_byte in interrupt context (i8042.h); the
 * decoder (mousepacket.c) resynchronises after a lost byte and gives the
 * events (buttons as BTN_*, motion as REL_X / REL_Y / REL_WHEEL), which
 * input_report sends on.
 */
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "input/i8042.h"
#include "input/input.h"
#include "input/mousepacket.h"
#include "input/ps2.h"
#include "printk.h"
#include "timer/clock.h"

#define MOUSE_RESET         0xFF
#define MOUSE_SELF_TEST_PASS 0xAA
#define MOUSE_IDENTIFY      0xF2
#define MOUSE_SAMPLE_RATE   0xF3
#define MOUSE_ENABLE        0xF4
#define MOUSE_RATE          100
#define MOUSE_RESET_TIMEOUT_NS (1000 * NS_PER_MS)

static struct mouse_decoder mouse;

static void mouse_byte(uint8_t byte, void *unused)
{
    struct input_event ev[MOUSE_EVENTS_MAX];
    int n = mouse_feed(&mouse, byte, clock_ns(), ev);

    (void)unused;
    for (int i = 0; i < n; i++)
        input_report(&ev[i]);
}

static int mouse_reset(void)
{
    uint8_t b, id;

    if (i8042_command(I8042_PORT_AUX, MOUSE_RESET))
        return -1;
    if (i8042_read(I8042_PORT_AUX, &b, MOUSE_RESET_TIMEOUT_NS) || b != MOUSE_SELF_TEST_PASS ||
        i8042_read(I8042_PORT_AUX, &id, PS2_ANSWER_TIMEOUT_NS)) {
        printk(LOG_WARN, "[input] ps2mouse: self test failed\n");
        return -1;
    }
    return 0;
}

/* Three sample rates (a knock), then identify: the ID, or -1. */
static int knock(uint8_t r1, uint8_t r2, uint8_t r3)
{
    const uint8_t seq[] = { MOUSE_SAMPLE_RATE, r1, MOUSE_SAMPLE_RATE, r2, MOUSE_SAMPLE_RATE, r3,
                            MOUSE_IDENTIFY };
    uint8_t id;

    for (size_t i = 0; i < sizeof seq; i++)
        if (i8042_command(I8042_PORT_AUX, seq[i]))
            return -1;
    return i8042_read(I8042_PORT_AUX, &id, PS2_ANSWER_TIMEOUT_NS) ? -1 : id;
}

static const char *mouse_kind(uint8_t id)
{
    switch (id) {
    case MOUSE_ID_EXPLORER:     return "IntelliMouse Explorer, 5 buttons";
    case MOUSE_ID_INTELLIMOUSE: return "IntelliMouse, wheel";
    default:                    return "standard, 3 buttons";
    }
}

int ps2mouse_probe(char *desc, size_t cap)
{
    uint8_t id = MOUSE_ID_STANDARD;

    if (mouse_reset())
        return -1;
    if (knock(200, 100, 80) == MOUSE_ID_INTELLIMOUSE) {
        id = MOUSE_ID_INTELLIMOUSE;
        if (knock(200, 200, 80) == MOUSE_ID_EXPLORER)
            id = MOUSE_ID_EXPLORER;
    }
    if (i8042_command(I8042_PORT_AUX, MOUSE_SAMPLE_RATE) ||
        i8042_command(I8042_PORT_AUX, MOUSE_RATE) || i8042_command(I8042_PORT_AUX, MOUSE_ENABLE))
        printk(LOG_WARN, "[input] ps2mouse: stream mode refused\n");
    mouse_decoder_init(&mouse, id, input_device_add("ps2mouse"));
    i8042_set_receiver(I8042_PORT_AUX, mouse_byte, 0);
    format_snprintf(desc, cap, "%s", mouse_kind(id));
    return 0;
}
