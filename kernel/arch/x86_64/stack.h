/*
 * stack.h - running code on a stack of one's choosing (stack.asm).
 */
#pragma once

#include <stdint.h>

/* Call fn(arg) with RSP at stack_top (16-byte aligned down); return on the old stack. */
void arch_call_on_stack(uint64_t stack_top, void (*fn)(void *), void *arg);
