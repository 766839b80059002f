/*
 * serial_poll.c - COM1 as a monitor terminal without the tty layer: the
 * bytes typed are read by polling the 16550's line status (data ready) and
 * receive buffer, sleeping SERIAL_POLL_NS between looks; output goes out
 * through serial_write (which turns "\n" into CR LF). Used by terminals.c
 * only while kernel/tty/ is not in the tree: the tty layer takes the UART's
 * receive interrupt, and this must not read the same register then.
 */
#include <stdint.h>

#include "arch.h"
#include "monitor/terminals.h"
#include "sched/sched.h"
#include "serial/serial.h"
#include "timer/clock.h"

#if !__has_include("tty/tty.h")

#define COM1            0x3F8
#define UART_DATA       0               /* receive buffer (read) */
#define UART_LSR        5               /* line status */
#define LSR_DATA_READY  0x01
#define LSR_ABSENT      0xFF            /* what a read of no UART gives */
#define LSR_THR_EMPTY   0x20
#define SERIAL_POLL_NS  (2 * NS_PER_MS)
#define SERIAL_TX_WAIT_NS (10 * NS_PER_MS)

static int poll_read(void *ctx, char *c, int nonblock)
{
    (void)ctx;
    for (;;) {
        uint8_t lsr = arch_inb(COM1 + UART_LSR);

        if (lsr != LSR_ABSENT && (lsr & LSR_DATA_READY)) {
            *c = (char)arch_inb(COM1 + UART_DATA);
            return 1;
        }
        if (nonblock)
            return -1;
        sched_sleep_ns(SERIAL_POLL_NS);
    }
}

/*
 * serial_write gives up on a byte when the transmitter stays busy for its
 * spin limit (QEMU's socket chardev can hold it that long while the reader
 * lags): wait here for it first, up to SERIAL_TX_WAIT_NS a byte.
 */
static void poll_write(void *ctx, const char *buf, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        uint64_t until = clock_ns() + SERIAL_TX_WAIT_NS;

        while (!(arch_inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && clock_ns() < until)
            arch_cpu_relax();
        serial_write(buf + i, 1);
    }
}

int serial_poll_io(struct monitor_io *io)
{
    if (arch_inb(COM1 + UART_LSR) == LSR_ABSENT)
        return -1;
    *io = (struct monitor_io){ poll_read, poll_write, 0, "ttyS0", 0 };
    return 0;
}

#endif
