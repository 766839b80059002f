/*
 * serial.c - the kernel's first log sink: COM1 (0x3F8), polled output.
 *
 * serial_init runs first thing in kmain: uart_probe (uart.c) finds and
 * programs the UART; from then on printk's lines go out byte by byte,
 * "\n" as "\r\n". Input and the other ports belong to the serial terminals
 * (serial_ports.c, serial_rx.c), which take COM1 over as ttyS0 without
 * probing it again (a loopback test would swallow log output).
 */
#include <stdint.h>

#include "serial/serial.h"
#include "serial/uart.h"

static enum uart_probe_result com1_state = UART_NO_SCRATCH;
static int serial_ok;

int serial_init(void)
{
    com1_state = uart_probe(SERIAL_COM1);
    serial_ok = com1_state == UART_OK || com1_state == UART_NO_FIFO;
    return serial_ok ? 0 : -1;
}

int serial_com1_probe_result(void)
{
    return (int)com1_state;
}

void serial_putc(char c)
{
    if (!serial_ok)
        return;
    if (c == '\n')
        uart_put_raw(SERIAL_COM1, '\r');
    uart_put_raw(SERIAL_COM1, c);
}

void serial_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        serial_putc(s[i]);
}
