/*
 * input_boot.c - the boot phase "input" (input_init, kernel/main.c):
 *   1. the keymap named by keymap= on the command line (keymap.c; an
 *      unknown name is reported and US kept);
 *   2. the keylog listener, with "keylog" (keylog.c);
 *   3. the 8042 (i8042.c) and the devices on its ports (ps2kbd.c,
 *      ps2mouse.c), then their interrupts; one line says what was found:
 *      [input] i8042: keyboard on port 1 (set 2, translated, id ab41), mouse on port 2 (...)
 * Runs once, on the boot CPU, after the interrupt controllers and the
 * clock are up (the waits are clock_ns() deadlines) and before anything
 * reads input.
 */
#include <stddef.h>
#include <string.h>

#include "boot/bootinfo_view.h"
#include "format.h"
#include "input/i8042.h"
#include "input/input.h"
#include "input/keylog.h"
#include "input/keymap.h"
#include "input/ps2.h"
#include "printk.h"

#define KEYMAP_WORD     "keymap="
#define KEYMAP_NAME_MAX 16
#define DESC_MAX        64

/* The value of the first keymap=NAME word into name (empty if none). */
static void keymap_word(char name[KEYMAP_NAME_MAX])
{
    size_t len, i = 0, n = 0, klen = strlen(KEYMAP_WORD);
    const char *c = bootinfo_cmdline(&len);

    name[0] = 0;
    while (i < len && c[i]) {
        size_t start = i;
        while (i < len && c[i] && c[i] != ' ' && c[i] != '\t')
            i++;
        if (i - start > klen && memcmp(c + start, KEYMAP_WORD, klen) == 0) {
            for (size_t j = start + klen; j < i && n < KEYMAP_NAME_MAX - 1; j++)
                name[n++] = c[j];
            name[n] = 0;
            return;
        }
        while (i < len && (c[i] == ' ' || c[i] == '\t'))
            i++;
    }
}

static void choose_keymap(void)
{
    char name[KEYMAP_NAME_MAX];

    keymap_word(name);
    if (name[0] && keymap_select(name) != 0)
        printk(LOG_WARN, "[input] keymap=%s unknown (us, de): using %s\n", name, keymap_name());
    else
        printk(LOG_INFO, "[input] keymap %s\n", keymap_name());
}

void input_init(void)
{
    char kbd[DESC_MAX], mouse[DESC_MAX], kbd_part[DESC_MAX + 32], mouse_part[DESC_MAX + 32];
    unsigned ports;

    choose_keymap();
    keylog_init();
    if (!(ports = i8042_init()))
        return;
    if ((ports & (1u << I8042_PORT_KBD)) && ps2kbd_probe(kbd, sizeof kbd) == 0)
        format_snprintf(kbd_part, sizeof kbd_part, "keyboard on port 1 (%s)", kbd);
    else
        format_snprintf(kbd_part, sizeof kbd_part, "no keyboard on port 1");
    if ((ports & (1u << I8042_PORT_AUX)) && ps2mouse_probe(mouse, sizeof mouse) == 0)
        format_snprintf(mouse_part, sizeof mouse_part, "mouse on port 2 (%s)", mouse);
    else
        format_snprintf(mouse_part, sizeof mouse_part, "no mouse on port 2");
    i8042_start();
    printk(LOG_INFO, "[input] i8042: %s, %s\n", kbd_part, mouse_part);
}
