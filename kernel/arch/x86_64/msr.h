/*
 * msr.h - model-specific registers: rdmsr/wrmsr and the MSRs the kernel
 * uses (Intel SDM vol. 4, table 2-2). Include it through kernel/arch.h.
 * A MSR the CPU lacks raises #GP: ask CPUID first.
 */
#pragma once

#include <stdint.h>

#define MSR_IA32_APIC_BASE      0x01B   /* SDM vol. 3A 10.4.4 */
#define MSR_IA32_TSC_DEADLINE   0x6E0   /* SDM vol. 3A 10.5.4.1 */
#define MSR_X2APIC_BASE         0x800   /* x2APIC register N at 0x800 + N>>4 (10.12.1.2) */
#define MSR_EFER                0xC0000080  /* extended features: SCE bit 0 enables SYSCALL */
#define MSR_STAR                0xC0000081  /* SYSCALL/SYSRET selector bases (SDM vol. 3A 5.8.8) */
#define MSR_LSTAR               0xC0000082  /* SYSCALL's entry RIP in 64-bit mode */
#define MSR_FMASK               0xC0000084  /* RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE             0xC0000100  /* FS's base: a user thread's TLS pointer */
#define EFER_SCE                (1ull << 0)  /* SDM vol. 4 table 2-2: SYSCALL enable */

/* IA32_APIC_BASE bits */
#define APIC_BASE_BSP           (1ull << 8)     /* this is the bootstrap processor */
#define APIC_BASE_X2APIC        (1ull << 10)    /* EXTD: x2APIC mode */
#define APIC_BASE_ENABLE        (1ull << 11)    /* EN: the APIC is globally enabled */
#define APIC_BASE_ADDR_MASK     0x000FFFFFFFFFF000ull

static inline uint64_t arch_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void arch_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/*
 * wrmsr after every earlier store is globally visible: a WRMSR to the
 * x2APIC or to IA32_TSC_DEADLINE is not serialising, so a store before it
 * (an xAPIC LVT write, a flag) could otherwise be seen after the MSR took
 * effect (SDM vol. 3A, 10.12.3 and 10.5.4.1: MFENCE; LFENCE first).
 */
static inline void arch_wrmsr_ordered(uint32_t msr, uint64_t v)
{
    __asm__ volatile("mfence; lfence" ::: "memory");
    arch_wrmsr(msr, v);
}
