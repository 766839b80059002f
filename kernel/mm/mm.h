/*
 * mm.h - the kernel's memory, as one subsystem (mm.c): the frame allocator
 * over the boot memory map, the heap over the frame allocator, the kernel's
 * own page tables (vmm.h) and its virtual allocations (kva.h).
 *
 * Bring-up order (kmain): mm_init (frames, then the heap, both through the
 * loader's direct map), vmm_init (the kernel's page tables; the loader's go
 * unused), then mm_release_loader_memory once nothing reads the loader's
 * memory any more (the boot info is copied by then).
 */
#pragma once

#include <stdint.h>

#include "bootinfo.h"
#include "mm/pmm.h"
#include "sync/spinlock.h"

/* Frames and heap over the boot info's memory map; 0, or -1 (then panic). */
int mm_init(const struct bootinfo *bi);

/* The kernel's frame allocator (after mm_init). */
struct pmm *mm_frames(void);

/*
 * One page below 1 MiB, taken by mm_init before anyone else could take it
 * (the frame allocator hands out low frames first): the start-up code of
 * the other CPUs runs there, since a start-up IPI names a page below
 * 1 MiB (kernel/arch/x86_64/smp.c). 0 when no usable page is that low.
 */
#define MM_LOW_LIMIT    0x100000ULL
uint64_t mm_low_page(void);

/*
 * The frame allocator for the rest of the kernel (the heap's and kva's
 * callers may be preempted threads): one 4 KiB frame (zeroed, or not) from
 * this CPU's frame cache (pmm_cpu_alloc), a 2 MiB block under the frames
 * lock, and their frees. PMM_NONE when memory is out.
 */
uint64_t mm_zeroed_frame(void);
uint64_t mm_frame_alloc(void);
uint64_t mm_frame_alloc_2m(void);
void mm_frame_free(uint64_t phys);
void mm_frame_free_2m(uint64_t phys);
/* `count` physically contiguous frames aligned to `align` bytes (a power of
 * two, >= 4 KiB), all below `limit` (exclusive), under the frames lock: DMA
 * buffers (kernel/mm/dma.c). PMM_NONE when there is no such run. */
uint64_t mm_frames_alloc_contig(uint64_t count, uint64_t align, uint64_t limit);
void mm_frames_free_contig(uint64_t phys, uint64_t count);
/* Free frames, the CPUs' frame caches included, and pmm_check, both under the frames lock. */
uint64_t mm_frames_free(void);
int mm_frames_check(void);

/*
 * The kernel's page tables (vmm_init), then what builds on them: the page
 * fault path for lazy regions, the guard-page explanation in fault reports,
 * and IST stacks with guard pages. 0, or -1 (then panic).
 */
int mm_init_paging(const struct bootinfo *bi);

/* Give the loader-reclaimable ranges to the frame allocator; returns the bytes. */
uint64_t mm_release_loader_memory(const struct bootinfo_mmap_entry *map, unsigned n);

/* A bad call found by an allocator, logged with its caller's name:
 * "[mm] WHAT at 0xADDR, from FUNCTION+0xOFF". The caller goes on. */
void mm_report_bad(const char *what, uint64_t addr, const void *caller);

/* Print the memory report: frames, heap classes ("meminfo"). */
void mm_report(void);
