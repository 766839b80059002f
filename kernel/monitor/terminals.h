/*
 * terminals.h - the monitor's terminals (terminals.c) and, until the tty
 * layer is in the tree, the polled COM1 it falls back to (serial_poll.c).
 */
#pragma once

#include "monitor/monitor.h"

/* COM1 as a monitor terminal, read by polling the UART: 0, or -1 with no UART. */
int serial_poll_io(struct monitor_io *io);
