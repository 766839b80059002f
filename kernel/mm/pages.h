/*
 * pages.h - where the heap gets its pages, and how it finds out what a page
 * holds: the page source and its page descriptors (like Linux's struct page,
 * one word per frame).
 *
 * The slab caches and kmalloc ask a page source for runs of whole 4 KiB
 * pages. Every page the heap owns has a descriptor word, so kfree() can
 * tell from any pointer what it points into, and refuse what the heap never
 * handed out:
 *   0                      not a heap page
 *   pointer to a struct slab (8-aligned, low bits 0)
 *                          a page of that slab
 *   (pages << 2) | 1       the first page of a large allocation of `pages`
 *   PAGE_DESC_LARGE_TAIL   a later page of a large allocation
 * In the kernel the source is the frame allocator seen through the direct
 * map, with the descriptor table indexed by frame number; the host tests
 * use the same code over an arena that plays physical memory.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE               4096UL
#define PAGE_SHIFT              12
#define PAGE_DESC_LARGE         1UL
#define PAGE_DESC_LARGE_TAIL    3UL

struct page_source {
    /* `pages` contiguous pages, page aligned, or NULL */
    void *(*alloc)(void *ctx, size_t pages);
    void (*free)(void *ctx, void *addr, size_t pages);
    void *ctx;
    uintptr_t base;             /* address of page 0 of the descriptor table */
    size_t count;               /* pages the table covers */
    uintptr_t *desc;            /* count words */
};

/* The descriptor word of the page holding addr, or NULL when addr is outside the table. */
static inline uintptr_t *page_desc(const struct page_source *src, const void *addr)
{
    uintptr_t a = (uintptr_t)addr;

    if (a < src->base || (a - src->base) >> PAGE_SHIFT >= src->count)
        return NULL;
    return &src->desc[(a - src->base) >> PAGE_SHIFT];
}
