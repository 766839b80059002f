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
 *   PAGE_DESC_FRAME_CACHED a frame sitting in a CPU's frame cache (pmm.c):
 *                          free, so freeing it again is a double free
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
#define PAGE_DESC_FRAME_CACHED  2UL

/* CPUs the per-CPU caches of the allocators serve (cpu ids 0 .. MM_MAX_CPUS - 1). */
#define MM_MAX_CPUS             64

/*
 * How the allocators meet the machine they run on (the kernel's is
 * kernel/mm/mm.c's; host programs pass none, or a fake one of their own):
 *   lock, unlock   the shared lock around the shared lists (a spinlock);
 *   held           1 when this CPU holds it: the *_locked functions check;
 *   cpu_enter      make this CPU's cache ours: interrupts off (so no
 *                  preemption, no interrupt handler on this CPU), the
 *                  flags to give back in *flags; returns this CPU's id;
 *   cpu_leave      interrupts as cpu_enter found them;
 *   call_cpu       run fn(ctx) on CPU `cpu` (not this one) with its
 *                  interrupts off, and return when it has: 0, or -1 when
 *                  there is no such CPU (the kernel's: arch_call_cpu,
 *                  kernel/arch/mmu_arch.h; NULL: nothing to call).
 * Between cpu_enter and cpu_leave only this CPU touches its cache, so the
 * fast paths need neither the lock nor an atomic instruction. Another CPU
 * reaches it only through call_cpu, which runs on the owner outside its
 * fast paths (an interrupt, or a spin on the lock with interrupts off).
 *
 * The kernel (a freestanding build) does not call the two CPU hooks: the
 * fast paths inline what they do (mm_cpu_enter below: pushf, cli and one
 * %gs read), an indirect call less each way. Host programs call them, so
 * a test can play several CPUs on one thread.
 */
struct mm_guard {
    void (*lock)(void);
    void (*unlock)(void);
    int (*held)(void);
    unsigned (*cpu_enter)(uint64_t *flags);
    void (*cpu_leave)(uint64_t flags);
    int (*call_cpu)(unsigned cpu, void (*fn)(void *ctx), void *ctx);
};

#if __STDC_HOSTED__
static inline unsigned mm_cpu_enter(const struct mm_guard *g, uint64_t *flags)
{
    return g ? g->cpu_enter(flags) : 0;
}

static inline void mm_cpu_leave(const struct mm_guard *g, uint64_t flags)
{
    if (g)
        g->cpu_leave(flags);
}
#else
#include "arch.h"
#include "arch/cpu_local.h"

static inline unsigned mm_cpu_enter(const struct mm_guard *g, uint64_t *flags)
{
    (void)g;
    *flags = arch_irq_save();
    return percpu_cpu_id();
}

static inline void mm_cpu_leave(const struct mm_guard *g, uint64_t flags)
{
    (void)g;
    arch_irq_restore(flags);
}
#endif

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
