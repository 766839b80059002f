/*
 * input/i8042.h - the 8042 PS/2 controller (i8042.c): two serial ports to
 * a keyboard (port 1, ISA IRQ 1) and a mouse (port 2, the "auxiliary"
 * port, ISA IRQ 12), through I/O ports 0x60 (data) and 0x64 (status and
 * commands).
 *
 * Use: i8042_init finds and tests the controller with the device
 * interrupts off; the device drivers (ps2kbd.c, ps2mouse.c) then talk to
 * their devices polled (i8042_command, i8042_read), give a function for
 * the bytes that will arrive (i8042_set_receiver), and i8042_start turns
 * the interrupts on. From then on bytes come only through the receivers,
 * called from the interrupt handler (interrupts off, on the boot CPU, one
 * byte at a time, so receivers need no lock of their own); a receiver may
 * send a byte to its device with i8042_send (no waiting for the answer:
 * it comes to the receiver).
 */
#pragma once

#include <stdint.h>

#define I8042_PORT_KBD  0       /* "port 1" */
#define I8042_PORT_AUX  1       /* "port 2" */
#define I8042_PORTS     2

#define I8042_ACK       0xFA    /* a device's answer to a command byte */
#define I8042_RESEND    0xFE

/* Find and test the controller: a mask of the ports that passed (bit per port), 0 for none. */
unsigned i8042_init(void);
/* 1 when the controller turns the keyboard's set 2 into set 1 (configuration bit 6). */
int i8042_translating(void);
/* Send one byte to a device (port 2 behind the D4 prefix): 0, or -1 when the controller
 * does not take it. */
int i8042_send(int port, uint8_t byte);
/* Polled, before i8042_start: the next byte from a device within timeout_ns: 0, or -1. */
int i8042_read(int port, uint8_t *byte, uint64_t timeout_ns);
/* Polled: send a command byte and wait for its ACK (resending on FE): 0, or -1. */
int i8042_command(int port, uint8_t byte);
/* The function each byte of that port goes to once interrupts are on. */
void i8042_set_receiver(int port, void (*fn)(uint8_t byte, void *ctx), void *ctx);
/* The TSC when the running interrupt's handler began, 0 outside it (bench=input: the
 * driver's cost; bench=term: a key's echo). */
uint64_t i8042_irq_entry_tsc(void);
/* Benches: the controller puts byte in its output buffer as if the port's device sent it
 * (command D2 or D3) and raises the port's interrupt: 0, or -1 when it takes no command. */
int i8042_inject(int port, uint8_t byte);
/* Claim IRQ 1 / 12 for the ports with a receiver and let the controller raise them. */
void i8042_start(void);
