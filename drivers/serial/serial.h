/*
 * serial.h - the PC's serial ports: COM1 as the kernel's first and
 * always-on log sink (serial.c), and COM1..COM4 as the terminals
 * ttyS0..ttyS3 (serial_ports.c, serial_rx.c; docs/tty.md).
 *
 * serial_init() programs COM1 at 115200 8N1 with the FIFOs on, after a
 * loopback self-check; it returns 0, or -1 when no working UART answers
 * (then every serial_write is a no-op, so callers need not check). Output
 * is polled (waits for the transmit holding register to empty); "\n" goes
 * out as "\r\n". No lock of its own: printk's print lock serialises the
 * writers, the terminals' writes included (printk_locked_call).
 *
 * serial_ports_init() (the boot phase "tty", after the interrupt
 * controllers) probes COM1..COM4 (scratch register, loopback), prints one
 * line each, registers each port found as ttyS0..ttyS3 and takes its input
 * by interrupt (IRQ 4: COM1, COM3; IRQ 3: COM2, COM4) through the FIFO.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SERIAL_COM1     0x3F8
#define SERIAL_PORTS    4

int  serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, size_t len);
/* COM1's uart_probe result at serial_init (an enum uart_probe_result). */
int  serial_com1_probe_result(void);

/* Returns how many ports became terminals. */
int  serial_ports_init(void);

/* What a port's receive path has seen, since serial_ports_init. */
struct serial_stats {
    int present;                /* a terminal ttyS<n> */
    uint64_t rx_bytes;          /* bytes read from the FIFO and given to the tty */
    uint64_t rx_irqs;           /* receive interrupts: trigger level and timeout */
    uint64_t timeout_irqs;      /* of which character timeouts (fewer bytes than the trigger) */
    uint64_t overruns;          /* LSR overrun errors: a byte lost each */
};
/* Port n (0: COM1 .. 3: COM4); 0, or -1 for no such port. */
int  serial_port_stats(int n, struct serial_stats *out);
