/*
 * irqflags.h - the interrupt flag: enable, disable, save and restore, and
 * waiting for the next interrupt. Include it through kernel/arch.h.
 */
#pragma once

#include <stdint.h>

#define RFLAGS_IF   (1ull << 9)

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline uint64_t arch_irq_save(void)
{
    uint64_t flags;

    __asm__ volatile("pushfq; pop %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

static inline void arch_irq_restore(uint64_t flags)
{
    if (flags & RFLAGS_IF)
        arch_irq_enable();
}

static inline int arch_irq_enabled(void)
{
    uint64_t flags;

    __asm__ volatile("pushfq; pop %0" : "=r"(flags));
    return (flags & RFLAGS_IF) != 0;
}

/*
 * Enable interrupts and halt until one arrives, atomically: sti takes
 * effect after the next instruction, so no interrupt slips in between
 * and is missed by the hlt. Returns with interrupts enabled.
 */
static inline void arch_wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}
