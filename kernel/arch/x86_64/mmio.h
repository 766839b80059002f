/*
 * mmio.h - reads and writes of memory-mapped device registers, of exactly
 * the width asked (volatile: never merged, split or reordered by the
 * compiler). The caller passes a virtual address; for now device pages
 * below 4 GiB are reached through the loader's direct map, whose memory
 * type the firmware's MTRRs make uncached for the APIC, IOAPIC and HPET
 * ranges; the memory issue will map MMIO uncached (PCD) in the kernel's
 * own page tables. Include it through kernel/arch.h.
 */
#pragma once

#include <stdint.h>

static inline uint32_t arch_mmio_read32(const volatile void *addr)
{
    return *(const volatile uint32_t *)addr;
}

static inline void arch_mmio_write32(volatile void *addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint64_t arch_mmio_read64(const volatile void *addr)
{
    return *(const volatile uint64_t *)addr;
}

static inline void arch_mmio_write64(volatile void *addr, uint64_t v)
{
    *(volatile uint64_t *)addr = v;
}
