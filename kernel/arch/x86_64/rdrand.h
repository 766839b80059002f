/*
 * rdrand.h - the CPU's random number instructions (Intel SDM vol. 2B,
 * RDRAND and RDSEED; vol. 1 7.3.17): whether the CPU has them
 * (CPUID.01H:ECX bit 30, CPUID.(07H,0):EBX bit 18) and one 64-bit value
 * from each. RDRAND gives a DRBG's output, reseeded by the hardware;
 * RDSEED the entropy source's conditioned output, meant for seeding
 * another generator (DRNG Software Implementation Guide, 2.4). Include it
 * through kernel/arch.h.
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
#define CPUID_LEAF_RDSEED       0x07    /* structured extended features */
#define CPUID_7_EBX_RDSEED      (1u << 18)
#define RDSEED_RETRIES          100     /* it drains faster: the guide spins longer (5.3.1) */

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

static inline int arch_has_rdseed(void)
{
    return arch_cpuid_max_leaf() >= CPUID_LEAF_RDSEED &&
           (arch_cpuid(CPUID_LEAF_RDSEED, 0).ebx & CPUID_7_EBX_RDSEED) != 0;
}

/* 1 and *out, or 0 when the entropy source gave nothing in RDSEED_RETRIES tries. */
static inline int arch_rdseed64(uint64_t *out)
{
    for (int i = 0; i < RDSEED_RETRIES; i++) {
        uint8_t ok;

        __asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok) :: "cc");
        if (ok)
            return 1;
        __asm__ volatile("pause");
    }
    return 0;
}
