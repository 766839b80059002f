/*
 * cpu.h - x86_64 instructions the kernel needs, as static inline arch_*
 * functions: port I/O, the time-stamp counter, interrupt flag, halting.
 * Include it through kernel/arch.h.
 */
#pragma once

#include <stdint.h>

/* Physical to virtual through the direct map the loader built (HHDM). */
#define ARCH_HHDM_BASE  0xFFFF800000000000ULL
#define ARCH_HHDM_SIZE_MAX (1ULL << 46)     /* up to 0xFFFFC00000000000: 64 TiB */

static inline void *arch_phys_to_virt(uint64_t phys)
{
    return (void *)(uintptr_t)(phys + ARCH_HHDM_BASE);
}

static inline uint64_t arch_virt_to_phys_hhdm(const void *virt)
{
    return (uint64_t)(uintptr_t)virt - ARCH_HHDM_BASE;
}

static inline void arch_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t arch_inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void arch_outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void arch_outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t arch_inw(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t arch_inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* rdtsc: not serialising; good enough for boot timing (µs scale). */
static inline uint64_t arch_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void arch_cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* Interrupts off and halt forever (NMIs wake hlt: loop). */
static inline __attribute__((noreturn)) void arch_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}

/*
 * Reset by triple fault, the last way to reboot (the monitor's reboot): an
 * empty IDT, then an interrupt: no gate for it, nor for the #GP or the
 * double fault that follow, so the CPU shuts down and the board resets it
 * (QEMU with -no-reboot exits instead).
 */
static inline __attribute__((noreturn)) void arch_triple_fault(void)
{
    static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; } empty = { 0, 0 };

    __asm__ volatile("cli; lidt %0; int3" : : "m"(empty) : "memory");
    for (;;)
        __asm__ volatile("hlt");
}

/* The control registers: CR0 (WP, TS, ...), CR2 (the last page-fault
 * address), CR3 (the page tables), CR4 (PAE, SMEP, OSXSAVE, ...). */
#define ARCH_CR_READ(n)                                         \
    static inline uint64_t arch_read_cr##n(void)                \
    {                                                           \
        uint64_t v;                                             \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));       \
        return v;                                               \
    }
#define ARCH_CR_WRITE(n)                                        \
    static inline void arch_write_cr##n(uint64_t v)             \
    {                                                           \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
    }
ARCH_CR_READ(0) ARCH_CR_READ(2) ARCH_CR_READ(3) ARCH_CR_READ(4)
ARCH_CR_WRITE(0) ARCH_CR_WRITE(3) ARCH_CR_WRITE(4)
#undef ARCH_CR_READ
#undef ARCH_CR_WRITE

/*
 * Copy n 8-byte words from src to dst with one REP MOVSQ: upward (the
 * ranges may overlap when dst < src) or, with down set, from the last word
 * back (overlap when dst > src; DF set for the copy and cleared after, as
 * the ABI wants it). For moving framebuffer memory (drivers/fb/fbcon.c).
 */
static inline void arch_copy_words(void *dst, const void *src, uint64_t n, int down)
{
    if (n == 0)
        return;
    if (down) {
        dst = (uint64_t *)dst + n - 1, src = (const uint64_t *)src + n - 1;
        __asm__ volatile("std; rep movsq; cld" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
    } else {
        __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
    }
}
