/*
 * test_tty.h - serial input end to end, asked for on the command line
 * (test_tty_tools.c; kernel/test/dispatch.c calls them, tests/qemu/tty-*.sh
 * types into them through boot.sh --serial-socket):
 *   ttyecho         a kernel thread reads ttyS0 in canonical mode and prints
 *                   each read as "[tty] read N bytes: TEXT" (\n, \xHH
 *                   escaped), signals as "[tty] signal N on ttyS0", until
 *                   end of file (^D on an empty line);
 *   ttyburst=N      ttyS0 in raw mode without echo: reads until N bytes are
 *                   in or counted lost (or 3 s of silence), then prints
 *                   "[tty] burst: ..." with the count, their CRC-32 and
 *                   the losses (the discipline's drops, the UART's overruns).
 * Each returns 0 when it ran to its end, -1 when it could not start (no ttyS0).
 */
#pragma once

#include <stdint.h>

int tty_echo_run(void);
int tty_burst_run(uint64_t expected);
