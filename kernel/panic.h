/*
 * panic.h - stop the kernel with a message.
 *
 * panic(fmt, ...) prints "panic: <message>" through printk (ring, serial,
 * console) and a backtrace of its caller (function names from the kernel's
 * own symbol table), then stops: interrupts off, hlt forever. In test mode
 * (panic_set_test_mode(1), set by kmain when the command line asks for
 * tests) it first leaves QEMU with DEBUG_EXIT_FAIL (exit status 35), so a
 * test run never hangs on a panic. By convention the message starts with
 * the name of the function that panics: panic("pmm_free: frame %p ...").
 */
#pragma once

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

void panic_set_test_mode(int on);

/* The two ends every panic path shares: panic_begin halts at once when a
 * panic is already under way; panic_stop leaves QEMU in test mode and
 * halts. Between them the caller prints its report. */
void panic_begin(void);

/* Called once by the first panic_begin: stop every other CPU (smp.c sets it). */
typedef void panic_hook_fn(void);
void panic_set_halt_others(panic_hook_fn *fn);
/* The report's "  on CPU N, thread 'NAME'" line. */
void panic_print_where(void);
/* 1 once a panic has begun on some CPU (printk stops waiting for halted CPUs). */
int panic_in_progress(void);
__attribute__((noreturn)) void panic_stop(void);
