/*
 * rdrand.h - the CPU's random number instruction (Intel SDM vol. 2B,
 * RDRAND; vol. 1 7.3.17): whether the CPU has it (CPUID.01H:ECX bit 30)
 * and one 64-bit value from it. Include it through kernel/arch.h.
 *
 * RDRAND may fail when its generator is drained (CF = 0): Intel's
 * guidance (DRNG Software Implementation Guide, 5.2.1) is to retry ten
 * times and then give up, as arch_rdrand64 does.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/cpuid.h"

#define CPUID_1_ECX_RDRAND      (1u << 30)
#define RDRAND_RETRIES          10

static inline int arch_has_rdrand(void)
{
    return (arch_cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_RDRAND) != 0;
}

/* 1 and *out, or 0 when the generator gave nothing in RDRAND_RETRIES tries. */
static inline int arch_rdrand64(uint64_t *out)
{
    for (int i = 0; i < RDRAND_RETRIES; i++) {
        uint8_t ok;

        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) :: "cc");
        if (ok)
            return 1;
    }
    return 0;
}
