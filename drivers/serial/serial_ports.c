/*
 * serial_ports.c - COM1..COM4 as the terminals ttyS0..ttyS3: detection at
 * the boot phase "tty", the tty's write, the statistics (serial.h).
 *
 * Each legacy port is probed at its PC address (uart_probe: scratch
 * register, then loopback), except COM1, which serial_init already probed
 * for printk (again would swallow log lines). One line is printed per port,
 * found or not. A port found is registered as ttyS<n> (n = COM number - 1,
 * Linux's numbering: ttyS2 is COM3 even when COM2 is absent), then
 * serial_rx.c claims the interrupts.
 *
 * Writes from the tty (already output-processed by the line discipline) go
 * out polled, under printk's print lock (printk_locked_call), the same lock
 * printk holds while its lines go to COM1: the two never interleave inside
 * a line or a chunk.
 */
#include "printk.h"
#include "serial/serial.h"
#include "serial/serial_port.h"
#include "serial/uart.h"
#include "tty/tty.h"

struct serial_port serial_ports[SERIAL_PORTS] = {
    { "COM1", SERIAL_COM1, 4, 0, 0, 0, 0, 0, 0 },
    { "COM2", 0x2F8, 3, 0, 0, 0, 0, 0, 0 },
    { "COM3", 0x3E8, 4, 0, 0, 0, 0, 0, 0 },
    { "COM4", 0x2E8, 3, 0, 0, 0, 0, 0, 0 },
};

struct port_write {
    const struct serial_port *port;
    const char *buf;
    size_t n;
};

static void write_locked(void *arg)
{
    const struct port_write *w = arg;

    for (size_t i = 0; i < w->n; i++)
        uart_put_raw(w->port->base, w->buf[i]);
}

static void port_write(struct tty *t, const char *buf, size_t n)
{
    struct port_write w = { tty_driver_data(t), buf, n };

    printk_locked_call(write_locked, &w);
}

static const struct tty_ops serial_tty_ops = { port_write };

/* Probe port n and register it: 1 when it became a terminal. */
static int port_init(int n)
{
    struct serial_port *p = &serial_ports[n];
    char name[TTY_NAME_MAX] = "ttyS0";
    enum uart_probe_result r = n == 0 ? (enum uart_probe_result)serial_com1_probe_result()
                                      : uart_probe(p->base);

    if (r != UART_OK && r != UART_NO_FIFO) {
        printk(LOG_INFO, "[serial] %s at 0x%x: %s\n", p->com, p->base, uart_probe_text(r));
        return 0;
    }
    name[4] = (char)('0' + n);
    p->tty = tty_register(name, &serial_tty_ops, p);
    if (!p->tty) {
        printk(LOG_WARN, "[serial] %s at 0x%x: %s, but no terminal (the tty table is full)\n",
               p->com, p->base, uart_probe_text(r));
        return 0;
    }
    p->present = 1;
    printk(LOG_INFO, "[serial] %s at 0x%x, IRQ %u: %s, receive trigger %u bytes: %s\n", p->com,
           p->base, p->isa_irq, uart_probe_text(r), r == UART_OK ? UART_RX_TRIGGER : 1, name);
    return 1;
}

int serial_ports_init(void)
{
    int found = 0;

    for (int n = 0; n < SERIAL_PORTS; n++)
        found += port_init(n);
    serial_rx_start();
    return found;
}

int serial_port_stats(int n, struct serial_stats *out)
{
    const struct serial_port *p;

    if (n < 0 || n >= SERIAL_PORTS)
        return -1;
    p = &serial_ports[n];
    out->present = p->present;
    out->rx_bytes = __atomic_load_n(&p->rx_bytes, __ATOMIC_RELAXED);
    out->rx_irqs = __atomic_load_n(&p->rx_irqs, __ATOMIC_RELAXED);
    out->timeout_irqs = __atomic_load_n(&p->timeout_irqs, __ATOMIC_RELAXED);
    out->overruns = __atomic_load_n(&p->overruns, __ATOMIC_RELAXED);
    return 0;
}
