/*
 * serial_port.h - one serial terminal's port, shared by its detection and
 * tty glue (serial_ports.c) and its receive interrupt (serial_rx.c). Not for
 * other callers: they use serial.h and tty.h.
 *
 * Locking: the fields above `rx_bytes` are set once, at boot, before the
 * port's interrupt is claimed. The counters are written only by the
 * receive interrupt (the boot CPU, interrupts off) and read with relaxed
 * atomic loads.
 */
#pragma once

#include <stdint.h>

struct tty;

struct serial_port {
    const char *com;            /* "COM1" */
    uint16_t base;              /* I/O port */
    uint8_t isa_irq;            /* 4 or 3 */
    int present;                /* a ttyS<n>: probed, registered */
    struct tty *tty;

    uint64_t rx_bytes, rx_irqs, timeout_irqs, overruns;     /* serial_stats */
};

extern struct serial_port serial_ports[];

/* Claim the ISA IRQ of every present port and turn its receive interrupts on. */
void serial_rx_start(void);
