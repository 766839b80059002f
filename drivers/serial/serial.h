/*
 * serial.h - the 16550 UART on COM1, the kernel's first and always-on log sink.
 *
 * serial_init() programs 115200 8N1 with the FIFOs on, after a loopback
 * self-check; it returns 0, or -1 when no working UART answers (then every
 * serial_write is a no-op, so callers need not check). Output is polled
 * (waits for the transmit holding register to empty); "\n" goes out as
 * "\r\n". No lock of its own: printk's print lock serialises the
 * writers.
 */
#pragma once

#include <stddef.h>

int  serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t len);
