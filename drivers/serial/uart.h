/*
 * uart.h - the 16550 UART's registers (uart.c): what the early COM1 log
 * sink (serial.c) and the four serial terminals (serial_ports.c,
 * serial_rx.c) both program.
 *
 * Register map and bits: National Semiconductor PC16550D data sheet, the
 * register offsets from the port's base (0x3F8, 0x2F8, 0x3E8, 0x2E8 on a PC).
 * Rules: uart_probe leaves the chip at 115200 8N1 with the FIFOs on and its
 * interrupts off; output is polled (uart_put_raw waits for the transmit
 * holding register, bounded); nothing here locks: the callers do.
 */
#pragma once

#include <stdint.h>

#include "arch.h"

#define UART_DATA       0       /* RBR (read) / THR (write); DLL when DLAB=1 */
#define UART_IER        1       /* interrupt enable; DLM when DLAB=1 */
#define UART_IIR        2       /* interrupt identification (read) */
#define UART_FCR        2       /* FIFO control (write) */
#define UART_LCR        3       /* line control */
#define UART_MCR        4       /* modem control */
#define UART_LSR        5       /* line status */
#define UART_MSR        6       /* modem status */
#define UART_SCR        7       /* scratch: a byte the chip keeps, nothing else */

#define IER_RX_DATA     0x01    /* received data available (and, with the FIFO, the timeout) */
#define IER_LINE_STATUS 0x04    /* receiver line status: overrun, parity, framing, break */

#define IIR_NO_INT      0x01    /* bit 0 set: nothing pending */
#define IIR_ID_MASK     0x0E
#define IIR_LINE_STATUS 0x06    /* highest priority: read LSR */
#define IIR_RX_DATA     0x04    /* the FIFO reached its trigger level */
#define IIR_RX_TIMEOUT  0x0C    /* bytes in the FIFO, none for 4 character times */
#define IIR_FIFO_ON     0xC0    /* bits 7:6 both set: a 16550A with working FIFOs */

#define FCR_ENABLE      0x01
#define FCR_CLEAR_RX    0x02
#define FCR_CLEAR_TX    0x04
#define FCR_TRIGGER_8   0x80    /* receive interrupt at 8 bytes in the FIFO (of 16) */
#define UART_RX_TRIGGER 8

#define LCR_DLAB        0x80    /* divisor latch access */
#define LCR_8N1         0x03    /* 8 data bits, no parity, 1 stop bit */
#define MCR_DTR_RTS_OUT2 0x0B   /* OUT2 gates the interrupt line on a PC */
#define MCR_LOOPBACK    0x1E    /* loopback + RTS + OUT1 + OUT2 */
#define LSR_DATA_READY  0x01
#define LSR_OVERRUN     0x02    /* a byte came with the FIFO full: lost */
#define LSR_THR_EMPTY   0x20

enum uart_probe_result {
    UART_OK,                    /* scratch and loopback answered: a 16550A, FIFOs on */
    UART_NO_SCRATCH,            /* nothing keeps a byte there: no UART */
    UART_NO_LOOPBACK,           /* a byte sent in loopback did not come back */
    UART_NO_FIFO,               /* answers, but an 8250/16450 without a working FIFO */
};

/* Test for a UART at base and program it (115200 8N1, FIFOs, DTR RTS OUT2, interrupts off). */
enum uart_probe_result uart_probe(uint16_t base);
const char *uart_probe_text(enum uart_probe_result r);
/* One byte out, polled, as it is (no NL translation). */
void uart_put_raw(uint16_t base, char c);

static inline uint8_t uart_in(uint16_t base, unsigned reg)
{
    return arch_inb((uint16_t)(base + reg));
}

static inline void uart_out(uint16_t base, unsigned reg, uint8_t v)
{
    arch_outb((uint16_t)(base + reg), v);
}
