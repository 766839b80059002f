/*
 * mm_arena.h - for host programs that run the kernel's allocators (the
 * host tests and the memory benchmark): a block of host memory that plays
 * physical memory, managed by the kernel's own frame allocator (pmm.c), and
 * the page source the slab caches and kmalloc draw from, as the kernel
 * builds them over its direct map (kernel/mm/mm.c). "Physical" addresses
 * are offsets in the arena; frame 0 stays reserved, as on a PC.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>

#include "mm/pages.h"
#include "mm/pmm.h"

struct mm_arena {
    uint8_t *base;
    uint64_t size;
    void *meta;
    struct pmm pmm;
    struct page_source src;
};

static inline void *mm_arena_alloc(void *ctx, size_t pages)
{
    struct mm_arena *a = ctx;
    uint64_t phys = pages == 1 ? pmm_alloc(&a->pmm) : pmm_alloc_contig(&a->pmm, pages, PMM_FRAME_SIZE, ~0ULL);

    return phys ? a->base + phys : NULL;
}

static inline void mm_arena_free(void *ctx, void *addr, size_t pages)
{
    struct mm_arena *a = ctx;

    pmm_free_contig(&a->pmm, (uint64_t)((uint8_t *)addr - a->base), pages);
}

static inline void mm_arena_fini(struct mm_arena *a)
{
    free(a->base);
    free(a->meta);
    free(a->src.desc);
    a->base = NULL, a->meta = NULL, a->src.desc = NULL;
}

/* Set up `size` bytes (a multiple of 4 KiB); 0, or -1 when the host is out of memory. */
static inline int mm_arena_init(struct mm_arena *a, uint64_t size)
{
    struct bootinfo_mmap_entry map[2] = {
        { 0, PMM_FRAME_SIZE, BOOTINFO_MEM_RESERVED, 0 },
        { PMM_FRAME_SIZE, size - PMM_FRAME_SIZE, BOOTINFO_MEM_USABLE, 0 },
    };

    mm_arena_fini(a);
    a->size = size;
    a->base = aligned_alloc(PAGE_SIZE, size);
    a->meta = malloc(pmm_metadata_bytes(map, 2));
    a->src = (struct page_source){ mm_arena_alloc, mm_arena_free, a, (uintptr_t)a->base, size / PAGE_SIZE,
                                   calloc(size / PAGE_SIZE, sizeof(uintptr_t)) };
    if (!a->base || !a->meta || !a->src.desc)
        return -1;
    return pmm_init(&a->pmm, map, 2, a->meta, 0, NULL, NULL);
}
