/*
 * panic_tests.h - the panic path's fixtures (panic_tests.c): code that
 * goes wrong on purpose, each run by a word on the command line
 * (dispatch.c) in a boot of its own, whose report tests/qemu/panic.sh
 * checks line by line.
 */
#pragma once

/* test=fault: a write to 0xFFFFD00000000010, which nothing maps. */
__attribute__((noinline)) void kernel_fault_test_target(void);
/* test=overflow: recursion on a 16 KiB guarded stack until it hits the guard. */
void kernel_overflow_test(void);
/* test=panic-cpu: a panic on the last CPU while kmain prints on CPU 0. Never returns. */
__attribute__((noreturn)) void panic_test_on_last_cpu(void);
