/*
 * cpuid.h - the CPUID instruction and the feature bits the kernel asks
 * about (Intel SDM vol. 2A, CPUID; vol. 3A 10.4.3, 10.12.1, 10.5.4.1).
 * Include it through kernel/arch.h.
 */
#pragma once

#include <stdint.h>

struct arch_cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

/* Leaf 1, ECX */
#define CPUID_1_ECX_X2APIC          (1u << 21)  /* x2APIC mode available */
#define CPUID_1_ECX_TSC_DEADLINE    (1u << 24)  /* LAPIC timer TSC-deadline mode */
/* Leaf 1, EDX */
#define CPUID_1_EDX_TSC             (1u << 4)
#define CPUID_1_EDX_MSR             (1u << 5)
#define CPUID_1_EDX_APIC            (1u << 9)   /* an on-chip local APIC */

#define CPUID_LEAF_FEATURES         0x01
#define CPUID_LEAF_TSC_CRYSTAL      0x15        /* TSC/crystal ratio, crystal Hz */
#define CPUID_LEAF_FREQUENCY        0x16        /* base/max/bus MHz */
#define CPUID_LEAF_EXT_MAX          0x80000000u
#define CPUID_LEAF_EXT_POWER        0x80000007u
#define CPUID_80000007_EDX_INVARIANT_TSC (1u << 8)

static inline struct arch_cpuid_regs arch_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct arch_cpuid_regs r;

    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

/* The highest basic leaf: a leaf above it returns another leaf's data. */
static inline uint32_t arch_cpuid_max_leaf(void)
{
    return arch_cpuid(0, 0).eax;
}

static inline int arch_cpu_has_x2apic(void)
{
    return (arch_cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_X2APIC) != 0;
}

static inline int arch_cpu_has_tsc_deadline(void)
{
    return (arch_cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_TSC_DEADLINE) != 0;
}

static inline int arch_cpu_has_apic(void)
{
    return (arch_cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_APIC) != 0;
}
