/*
 * uart.c - finding and programming a 16550 UART (uart.h).
 *
 * uart_probe's order: the scratch register must keep two patterns (an
 * empty port reads 0xFF); then interrupts off, the divisor latch for
 * 115200 baud, 8N1, FIFOs on and cleared with the receive trigger at 8
 * bytes; then a loopback test (MCR bit 4 wires TX back to RX) to tell a
 * working UART from a dead one; IIR bits 7:6 say whether the FIFOs are on
 * (a 16550A); then normal mode with DTR, RTS and OUT2.
 */
#include "serial/uart.h"

#define UART_CLOCK_DIV  1       /* 115200 / 1 = 115200 baud */
#define LOOPBACK_BYTE   0xAE
#define SPIN_LIMIT      100000  /* polls before declaring the UART dead */

static int scratch_keeps(uint16_t base)
{
    static const uint8_t patterns[] = { 0x55, 0xAA };

    for (unsigned i = 0; i < sizeof patterns; i++) {
        uart_out(base, UART_SCR, patterns[i]);
        if (uart_in(base, UART_SCR) != patterns[i])
            return 0;
    }
    return 1;
}

/* Send one byte in loopback mode and read it back: 1 when it came back. */
static int loopback_answers(uint16_t base)
{
    uart_out(base, UART_MCR, MCR_LOOPBACK);
    uart_out(base, UART_DATA, LOOPBACK_BYTE);
    for (int i = 0; i < SPIN_LIMIT; i++)
        if (uart_in(base, UART_LSR) & LSR_DATA_READY)
            return uart_in(base, UART_DATA) == LOOPBACK_BYTE;
    return 0;
}

static void program(uint16_t base)
{
    uint8_t fcr = FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX | FCR_TRIGGER_8;

    uart_out(base, UART_IER, 0x00);
    uart_out(base, UART_LCR, LCR_DLAB);
    uart_out(base, UART_DATA, UART_CLOCK_DIV & 0xFF);
    uart_out(base, UART_IER, UART_CLOCK_DIV >> 8);
    uart_out(base, UART_LCR, LCR_8N1);
    uart_out(base, UART_FCR, fcr);
}

enum uart_probe_result uart_probe(uint16_t base)
{
    if (!scratch_keeps(base))
        return UART_NO_SCRATCH;
    program(base);
    if (!loopback_answers(base))
        return UART_NO_LOOPBACK;
    uart_out(base, UART_MCR, MCR_DTR_RTS_OUT2);
    while (uart_in(base, UART_LSR) & LSR_DATA_READY)       /* nothing stale to read */
        (void)uart_in(base, UART_DATA);
    if ((uart_in(base, UART_IIR) & IIR_FIFO_ON) != IIR_FIFO_ON)
        return UART_NO_FIFO;
    return UART_OK;
}

const char *uart_probe_text(enum uart_probe_result r)
{
    switch (r) {
    case UART_OK:          return "16550A";
    case UART_NO_SCRATCH:  return "absent (the scratch register keeps nothing)";
    case UART_NO_LOOPBACK: return "not answering (loopback test failed)";
    case UART_NO_FIFO:     return "no working FIFO (an 8250 or 16450)";
    }
    return "?";
}

void uart_put_raw(uint16_t base, char c)
{
    for (int i = 0; i < SPIN_LIMIT; i++) {
        if (uart_in(base, UART_LSR) & LSR_THR_EMPTY)
            break;
        arch_cpu_relax();
    }
    uart_out(base, UART_DATA, (uint8_t)c);
}
