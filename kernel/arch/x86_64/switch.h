/*
 * switch.h - the context switch (switch.asm) and the first stack frame of
 * a new thread: what the scheduler (kernel/sched/switch.c) asks of the CPU
 * to run another thread.
 *
 * Rules: call arch_switch with interrupts off; the FPU/SIMD state is the
 * caller's business (fpu.h). A new thread's stack is prepared with
 * arch_thread_stack: its first arch_switch "returns" into
 * arch_thread_entry, which calls start(fn, arg).
 */
#pragma once

#include <stdint.h>

void arch_switch(uint64_t *save_sp, uint64_t next_sp);

typedef void arch_thread_start_fn(void (*fn)(void *), void *arg);

/* Build the initial frame below stack_top; returns the RSP to switch to. */
uint64_t arch_thread_stack(uint64_t stack_top, arch_thread_start_fn *start,
                           void (*fn)(void *), void *arg);
