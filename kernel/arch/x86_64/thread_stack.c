/*
 * thread_stack.c - arch_thread_stack (switch.h): a new thread's stack,
 * laid out as if the thread had called arch_switch itself, so the first
 * switch to it pops these words and returns into arch_thread_entry
 * (switch.asm), with RSP 16-byte aligned as a call expects.
 */
#include <stdint.h>

#include "arch/x86_64/switch.h"

void arch_thread_entry(void);

/* The order arch_switch pops: r15, r14, r13, r12, rbx, rbp, return address. */
struct switch_frame {
    uint64_t r15, r14, r13, r12, rbx, rbp, rip;
};

#define STACK_ALIGN 16

uint64_t arch_thread_stack(uint64_t stack_top, arch_thread_start_fn *start,
                           void (*fn)(void *), void *arg)
{
    /* after the pops and the ret, RSP = frame + sizeof: keep that aligned */
    uint64_t top = (stack_top & ~(uint64_t)(STACK_ALIGN - 1)) - STACK_ALIGN;
    struct switch_frame *f = (struct switch_frame *)(uintptr_t)(top - sizeof *f);

    *f = (struct switch_frame){ .r12 = (uint64_t)(uintptr_t)start,
                                .r13 = (uint64_t)(uintptr_t)fn,
                                .r14 = (uint64_t)(uintptr_t)arg,
                                .rip = (uint64_t)(uintptr_t)arch_thread_entry };
    return (uint64_t)(uintptr_t)f;
}
