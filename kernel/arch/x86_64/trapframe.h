/*
 * trapframe.h - the register frame every interrupt and exception builds on
 * the stack (isr.asm, trap_common), read and changed by C (trap.c).
 *
 * From the top of the stack down, the CPU pushes SS, RSP, RFLAGS, CS, RIP
 * (always, in 64-bit mode, after aligning RSP to 16 bytes) and for some
 * exceptions an error code; the stub pushes a zero error code where the CPU
 * does not, then the vector, then trap_common the 15 general registers. The
 * struct lists the same words from the lowest address up. NASM reads the
 * offsets from build/kernel/trapframe.inc, generated from this header by
 * gen_trapframe_inc.c, so the two can never disagree.
 */
#pragma once

#include <stdint.h>

struct trap_frame {
    /* pushed by trap_common, r15 last */
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    /* pushed by the vector's stub */
    uint64_t vector;
    uint64_t error;         /* the CPU's error code, or 0 */
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame is 22 words");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "trap frame keeps RSP 16-byte aligned");
