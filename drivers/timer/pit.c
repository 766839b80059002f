/*
 * pit.c - 8254 PIT channel 2 one-shot (see pit.h). Ports and modes: Intel
 * 8254 data sheet; port 0x61 bits: IBM PC/AT system control port B.
 */
#include "arch.h"
#include "timer/pit.h"

#define PIT_CH2_DATA    0x42
#define PIT_COMMAND     0x43
#define PORT_B          0x61
#define PORT_B_GATE2    0x01    /* gate of channel 2 */
#define PORT_B_SPEAKER  0x02    /* channel 2 output to the speaker */
#define PORT_B_OUT2     0x20    /* channel 2 output, read back */
#define PIT_CMD_CH2_LOHI_MODE0 0xB0  /* channel 2, lobyte/hibyte, mode 0, binary */

void pit_ch2_start(uint16_t count)
{
    uint8_t b = arch_inb(PORT_B);

    /* gate low first, so the new count does not start before we load it */
    arch_outb(PORT_B, (uint8_t)(b & ~(PORT_B_SPEAKER | PORT_B_GATE2)));
    arch_outb(PIT_COMMAND, PIT_CMD_CH2_LOHI_MODE0);
    arch_outb(PIT_CH2_DATA, (uint8_t)count);
    arch_outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
    arch_outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
}

int pit_ch2_done(void)
{
    return (arch_inb(PORT_B) & PORT_B_OUT2) != 0;
}
