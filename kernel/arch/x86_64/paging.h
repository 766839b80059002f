/*
 * paging.h - x86_64 4-level page-table entries and the instructions that
 * go with them (Intel SDM vol. 3A, 4.5 "4-Level Paging", 4.6 access rights,
 * 11.12 PAT). Used by mmu.c (the page tables behind kernel/arch/mmu_arch.h)
 * and tlb.c; generic code never needs it (kernel/test/ checks the bits). The control registers themselves are read and written through
 * cpu.h (arch_read_cr0 ...); the bits of them paging cares for are named here.
 */
#pragma once

#include <stdint.h>

#define PTE_P           (1ULL << 0)     /* present */
#define PTE_W           (1ULL << 1)     /* writable */
#define PTE_U           (1ULL << 2)     /* user */
#define PTE_PWT         (1ULL << 3)     /* write-through: PAT index bit 0 */
#define PTE_PCD         (1ULL << 4)     /* cache disable: PAT index bit 1 */
#define PTE_A           (1ULL << 5)
#define PTE_D           (1ULL << 6)
#define PTE_PS          (1ULL << 7)     /* PDPTE/PDE: 1 GiB / 2 MiB page */
#define PTE_PAT_4K      (1ULL << 7)     /* PTE: PAT index bit 2 */
#define PTE_G           (1ULL << 8)     /* global */
#define PTE_PAT_LARGE   (1ULL << 12)    /* PDPTE/PDE with PS: PAT index bit 2 */
#define PTE_NX          (1ULL << 63)
#define PTE_ADDR        0x000FFFFFFFFFF000ULL

#define PAGE_1G         (1ULL << 30)
#define PAGE_2M         (1ULL << 21)
#define PAGE_4K         (1ULL << 12)

/*
 * The PAT the kernel programs (IA32_PAT, MSR 0x277). Entries 0..3 keep the
 * power-on meaning (WB, WT, UC-, UC), so PWT/PCD alone behave as always;
 * entry 4 becomes write-combining, reached with the PAT bit alone.
 */
#define MSR_PAT         0x277
#define PAT_VALUE       0x0007040100070406ULL   /* 0 WB, 1 WT, 2 UC-, 3 UC, 4 WC, 5 WT, 6 UC-, 7 UC */

#define MSR_EFER        0xC0000080
#define EFER_NXE        (1ULL << 11)
#define CR0_WP          (1ULL << 16)
#define CR4_PGE         (1ULL << 7)
#define CR4_UMIP        (1ULL << 11)
#define CR4_SMEP        (1ULL << 20)
#define CR4_SMAP        (1ULL << 21)

static inline unsigned pt_index(uint64_t va, int level)   /* level 3 = PML4 .. 0 = PT */
{
    return (unsigned)(va >> (12 + 9 * level)) & 511;
}

static inline void arch_invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}
