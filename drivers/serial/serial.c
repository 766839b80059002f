/*
 * serial.c - polled 16550 UART driver for COM1 (I/O port 0x3F8).
 *
 * Register map and bits: National Semiconductor PC16550D data sheet.
 * Init order: interrupts off, divisor latch for 115200 baud, 8N1, FIFOs
 * on and cleared, then a loopback test (MCR bit 4 wires TX back to RX) to
 * tell a real UART from an empty port, then normal mode with DTR/RTS/OUT2.
 */
#include <stdint.h>

#include "arch.h"
#include "serial/serial.h"

#define COM1            0x3F8
#define UART_DATA       0       /* RBR/THR; DLL when DLAB=1 */
#define UART_IER        1       /* interrupt enable; DLM when DLAB=1 */
#define UART_FCR        2       /* FIFO control (write) */
#define UART_LCR        3       /* line control */
#define UART_MCR        4       /* modem control */
#define UART_LSR        5       /* line status */

#define LCR_DLAB        0x80    /* divisor latch access */
#define LCR_8N1         0x03    /* 8 data bits, no parity, 1 stop bit */
#define FCR_ENABLE_CLEAR_14 0xC7 /* FIFO on, clear RX/TX, trigger at 14 bytes */
#define MCR_DTR_RTS_OUT2 0x0B
#define MCR_LOOPBACK    0x1E    /* loopback + RTS + OUT1 + OUT2 */
#define LSR_DATA_READY  0x01
#define LSR_THR_EMPTY   0x20

#define UART_CLOCK_DIV  1       /* 115200 / 1 = 115200 baud */
#define LOOPBACK_BYTE   0xAE
#define SPIN_LIMIT      100000  /* polls before declaring the UART dead */

static int serial_ok;

static void uart_out(unsigned reg, uint8_t v)
{
    arch_outb((uint16_t)(COM1 + reg), v);
}

static uint8_t uart_in(unsigned reg)
{
    return arch_inb((uint16_t)(COM1 + reg));
}

/* Send one byte in loopback mode and read it back: 0 when it came back. */
static int loopback_check(void)
{
    uart_out(UART_MCR, MCR_LOOPBACK);
    uart_out(UART_DATA, LOOPBACK_BYTE);
    for (int i = 0; i < SPIN_LIMIT; i++)
        if (uart_in(UART_LSR) & LSR_DATA_READY)
            return uart_in(UART_DATA) == LOOPBACK_BYTE ? 0 : -1;
    return -1;
}

int serial_init(void)
{
    uart_out(UART_IER, 0x00);
    uart_out(UART_LCR, LCR_DLAB);
    uart_out(UART_DATA, UART_CLOCK_DIV & 0xFF);
    uart_out(UART_IER, UART_CLOCK_DIV >> 8);
    uart_out(UART_LCR, LCR_8N1);
    uart_out(UART_FCR, FCR_ENABLE_CLEAR_14);
    if (loopback_check() != 0) {
        serial_ok = 0;
        return -1;
    }
    uart_out(UART_MCR, MCR_DTR_RTS_OUT2);
    serial_ok = 1;
    return 0;
}

static void put_raw(char c)
{
    for (int i = 0; i < SPIN_LIMIT; i++) {
        if (uart_in(UART_LSR) & LSR_THR_EMPTY)
            break;
        arch_cpu_relax();
    }
    uart_out(UART_DATA, (uint8_t)c);
}

void serial_putc(char c)
{
    if (!serial_ok)
        return;
    if (c == '\n')
        put_raw('\r');
    put_raw(c);
}

void serial_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        serial_putc(s[i]);
}
