/*
 * mmu_impl.h - what the x86_64 page-table files share among themselves
 * (mmu.c: one entry at a time and mmu_scan; mmu_space.c: fork's copy and
 * the end of a lower half). Not for generic code: kernel/mm/ sees only
 * kernel/arch/mmu_arch.h.
 *
 * The same rules as mmu_arch.h's: the caller holds the lock of the space
 * whose tree it passes, tables are zeroed frames reached through the
 * direct map, and a narrowed or cleared entry is flushed (mmu_flush)
 * before its frame can be reused.
 */
#pragma once

#include <stdint.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/x86_64/paging.h"

/* The table an entry (or a root) points at, in the direct map. */
static inline uint64_t *mmu_table(uint64_t entry)
{
    return arch_phys_to_virt(entry & PTE_ADDR);
}

/* The bytes one entry of a table at `level` (3 PML4 .. 0 PT) maps. */
static inline uint64_t mmu_level_span(int level)
{
    return 1ULL << (12 + 9 * level);
}

/* A last-level entry's VMM_* rights (VMM_HUGE for a large page). */
static inline unsigned mmu_entry_flags(uint64_t e, int large)
{
    return (e & PTE_W ? VMM_WRITE : 0) | (e & PTE_U ? VMM_USER : 0) | (e & PTE_NX ? 0 : VMM_EXEC) |
           (large ? VMM_HUGE : 0);
}

/*
 * The first index from i up to end (at most 512) whose entry is not zero,
 * or end. Eight entries a step while they are all zero: most of a process's
 * tables are empty stretches, and this is where whole-table walks spend
 * their time.
 */
static inline unsigned mmu_next_used(const uint64_t *t, unsigned i, unsigned end)
{
    for (; i < end && (i & 7); i++)
        if (t[i])
            return i;
    for (; i + 8 <= end; i += 8) {
        const uint64_t *p = t + i;
        if (p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7])
            break;
    }
    for (; i < end; i++)
        if (t[i])
            return i;
    return end;
}

/* A last-level entry's bits for VMM_* flags (mmu.c; global only in the kernel half). */
uint64_t mmu_leaf_bits(unsigned flags, int large, uint64_t va);
/* Every CPU (cpus NULL) or the CPUs of the mask forget [va, va + size) (mmu.c, through tlb.c). */
void mmu_flush(const volatile uint64_t *cpus, uint64_t va, uint64_t size);
