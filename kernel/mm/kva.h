/*
 * kva.h - kernel virtual allocations (kva.c): the region from
 * 0xFFFFC00000000000 for what needs virtual addresses of its own rather
 * than the direct map: stacks, large buffers, MMIO.
 *
 * Each allocation is a region with a name (shown in fault reports):
 *   KVA_GUARD   an unmapped page right below it: running off the bottom of
 *               a stack faults there, and the report says "stack overflow
 *               on 'NAME'" instead of the CPU triple-faulting;
 *   KVA_LAZY    no frames at first: the page-fault handler gives each page
 *               a zeroed frame on its first touch (demand paging);
 *   KVA_HUGE    backed by 2 MiB frames and pages (size a multiple of 2 MiB);
 *   kva_map_mmio  device memory at a physical address, uncached or
 *               write-combining, no frames of ours.
 * Regions are kept sorted in a table that grows as needed (no fixed cap);
 * a free leaves a gap that later allocations reuse (first fit). Every call
 * takes kva's lock itself; callable from threads with interrupts on or off,
 * not from interrupt handlers (kva_free may send a TLB shootdown).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KVA_BASE        0xFFFFC00000000000ULL
#define KVA_SIZE        (1ULL << 40)            /* 1 TiB of address space */

#define KVA_GUARD       (1u << 0)
#define KVA_LAZY        (1u << 1)
#define KVA_HUGE        (1u << 2)
#define KVA_MMIO        (1u << 3)               /* set by kva_map_mmio */
#define KVA_EXEC        (1u << 4)

struct kva_stats {
    uint64_t regions, bytes;    /* live regions, their bytes (guards excluded) */
    uint64_t lazy_faults;       /* pages filled on first touch */
    uint64_t lazy_raced;        /* faults on a lazy page another CPU had just filled */
    uint64_t bad_frees;         /* kva_free calls refused */
};

/* Allocate `size` bytes (rounded to pages), RW, no-execute unless KVA_EXEC; 0 when out. */
uint64_t kva_alloc(uint64_t size, unsigned flags, const char *name);
/* Device memory: `cache` is VMM_UNCACHED or VMM_WC. */
uint64_t kva_map_mmio(uint64_t phys, uint64_t size, unsigned cache, const char *name);
/* Free what kva_alloc or kva_map_mmio returned (0: nothing). Any other
 * address, one inside a region too, is refused and reported with the
 * caller's name ("[mm] kva_free: ... from FUNCTION+0xOFF"). */
void kva_free(uint64_t va);

/* The page-fault hook (arch_set_page_fault_handler, mmu_arch.h): `access` is MMU_FAULT_*;
 * 1 when the fault was the kernel's first touch of a lazy page, now mapped. */
int kva_page_fault(uint64_t addr, unsigned access);
/* "stack overflow on 'NAME' ..." when addr is a guard page, else NULL: for the fault report. */
const char *kva_explain(uint64_t addr, char *buf, size_t size);

struct kva_stats kva_stats(void);
