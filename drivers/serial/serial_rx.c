/*
 * serial_rx.c - the serial terminals' receive path: the UART's interrupt
 * with the FIFO (serial.h, serial_port.h).
 *
 * Each present port gets IER = received data + receiver line status. The
 * FIFO raises "received data" when it holds UART_RX_TRIGGER bytes and
 * "character timeout" when fewer wait and none came for four character
 * times, so a burst costs one interrupt per 8 bytes and a single key
 * press one timeout. The handler drains the FIFO (LSR data ready) in
 * chunks into tty_input, counts each overrun the LSR reports (a byte lost
 * each), and loops on IIR until the port has nothing pending.
 *
 * ISA serial interrupts are edge-triggered and two ports share each line
 * (COM1 and COM3 on IRQ 4, COM2 and COM4 on IRQ 3), which cannot be shared
 * the PCI way: one claim per line, whose handler serves every present port
 * on it.
 *
 * Rules: runs with interrupts off on the boot CPU (IOAPIC and PIC lines go
 * there); tty_input takes the terminal's lock with interrupts saved.
 */
#include "apic/irq.h"
#include "mutant.h"
#include "printk.h"
#include "serial/serial.h"
#include "serial/serial_port.h"
#include "serial/uart.h"
#include "tty/tty.h"

#define RX_CHUNK        64      /* bytes handed to tty_input at once */
#define SERVICE_ROUNDS  64      /* IIR checks per interrupt, against a stuck port */

static void count(uint64_t *c, uint64_t n)
{
    __atomic_store_n(c, *c + n, __ATOMIC_RELAXED);      /* one writer: this handler */
}

static void check_line_status(struct serial_port *p, uint8_t lsr)
{
    if (lsr & LSR_OVERRUN)
        count(&p->overruns, 1);
}

/* Read what the FIFO holds and give it to the terminal. */
static void drain(struct serial_port *p)
{
    char buf[RX_CHUNK];
    size_t n = 0;
    uint8_t lsr;

    while ((lsr = uart_in(p->base, UART_LSR)) & LSR_DATA_READY) {
        check_line_status(p, lsr);
        buf[n++] = (char)uart_in(p->base, UART_DATA);
        if (n == sizeof buf) {
            count(&p->rx_bytes, n);
            tty_input(p->tty, buf, n);
            n = 0;
        }
    }
    check_line_status(p, lsr);
    count(&p->rx_bytes, n);
    if (n)
        tty_input(p->tty, buf, n);
}

static void service(struct serial_port *p)
{
    for (int round = 0; round < SERVICE_ROUNDS; round++) {
        uint8_t iir = uart_in(p->base, UART_IIR);

        if (iir & IIR_NO_INT)
            return;
        switch (iir & IIR_ID_MASK) {
        case IIR_LINE_STATUS:
            check_line_status(p, uart_in(p->base, UART_LSR));
            break;
        case IIR_RX_TIMEOUT:
            count(&p->timeout_irqs, 1);
            /* fall through */
        case IIR_RX_DATA:
            count(&p->rx_irqs, 1);
            drain(p);
            break;
        default:                        /* modem status (not enabled): read MSR to clear it */
            (void)uart_in(p->base, UART_MSR);
            break;
        }
    }
}

/* One ISA line: every present port on it (ctx: the IRQ number). */
static void serial_irq(void *ctx)
{
    uintptr_t irq = (uintptr_t)ctx;

    for (int n = 0; n < SERIAL_PORTS; n++)
        if (serial_ports[n].present && serial_ports[n].isa_irq == irq)
            service(&serial_ports[n]);
}

static void start_line(unsigned irq)
{
    int claimed = 0, h = -1;

    for (int n = 0; n < SERIAL_PORTS; n++) {
        struct serial_port *p = &serial_ports[n];
        if (!p->present || p->isa_irq != irq)
            continue;
        if (!claimed) {
            h = irq_register_isa(irq, serial_irq, (void *)(uintptr_t)irq);
            claimed = 1;
        }
        if (h < 0) {
            printk(LOG_WARN, "[serial] %s: IRQ %u refused (%d): no input\n", p->com, irq, h);
            continue;
        }
        uart_out(p->base, UART_IER,
                 (MUTANT_ENABLED(serial_rx_irq) ? 0 : IER_RX_DATA) | IER_LINE_STATUS);
    }
}

void serial_rx_start(void)
{
    start_line(4);
    start_line(3);
}
