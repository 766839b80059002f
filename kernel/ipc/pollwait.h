/*
 * pollwait.h - where poll, ppoll and select sleep (pollwait.c): one queue
 * for every waiter, and a generation number that each change of a file's
 * readiness advances.
 *
 * A file that can become readable or writable (a pipe, a terminal) calls
 * pollwait_notify after the change, from any context (tty_input runs in
 * interrupts). A poller reads pollwait_generation, looks at its files
 * (file_ops.poll), and when none is ready sleeps in pollwait_sleep until
 * the generation moves past what it read, the deadline passes, or a
 * signal comes (once waitq_wait_intr exists: see pollwait.c). One queue
 * for all is a deliberate simplicity: a change wakes every poller, each
 * looks again at its own files; the count of pollers is small.
 */
#pragma once

#include <stdint.h>

/* Readiness bits (Linux's POLL* values, <asm-generic/poll.h>). */
#define POLLIN      0x001
#define POLLPRI     0x002
#define POLLOUT     0x004
#define POLLERR     0x008
#define POLLHUP     0x010
#define POLLNVAL    0x020
#define POLLRDNORM  0x040
#define POLLWRNORM  0x100

uint64_t pollwait_generation(void);
/* Something's readiness changed: wake every poller. Any context. */
void pollwait_notify(void);
/* Sleep until the generation is no longer gen or clock_ns() reaches deadline_ns
 * (UINT64_MAX: none). 0, or -ETIMEDOUT once the deadline passed. */
int pollwait_sleep(uint64_t gen, uint64_t deadline_ns);
