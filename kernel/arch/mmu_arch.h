/*
 * mmu_arch.h - what the memory manager (kernel/mm/) asks of the
 * architecture: the page tables, the page-fault hook, the fault report's
 * explainer and the stacks faults run on. The only arch header mm/
 * includes besides arch.h and cpu_local.h.
 *
 * The split: kernel/mm/vmm.c decides what is mapped where and with which
 * rights (the VMM_* flags of mm/vmm.h), owns the address spaces (their
 * locks, references, CPU masks); kernel/arch/x86_64/mmu.c knows the
 * shape of a page-table tree (4 levels of 512 entries, Intel SDM vol. 3A
 * 4.5), the bits of an entry, the page sizes the CPU has, and how CPUs
 * are made to forget stale translations (tlb.c). Generic code never sees
 * an entry's bits except through mmu_entry_grants.
 *
 * Contracts for every mmu_* call that takes a `root`:
 *   - root is a tree made by mmu_kernel_root_create or mmu_root_create
 *     (a physical address: on x86_64 the PML4's frame, what CR3 holds);
 *   - the caller holds the lock of the space the tree belongs to (the
 *     kernel space's for the kernel half), so no two calls edit one tree
 *     at once; tables are frames from mm_zeroed_frame and go back with
 *     mm_frame_free, so the frames lock comes after the space's lock;
 *   - a call that clears or narrows an entry has flushed it from the TLB
 *     of every CPU in `cpus` before it returns, and before a freed frame
 *     or table can be reused: cpus NULL means every CPU (the kernel half,
 *     which every space shares), else the mask of CPU ids with the tree
 *     loaded (vmm_space.cpus, read when the flush is sent);
 *   - va, pa and size are multiples of MMU_PAGE_SIZE.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mm/vmm.h"

#define MMU_PAGE_SIZE   4096ULL                 /* the smallest page */
#define MMU_LARGE_PAGE  (2ULL << 20)            /* the smallest large page (VMM_HUGE) */

/*
 * Once, first: find what the CPU offers (NX, large pages, PGE, PAT,
 * SMEP, SMAP, UMIP); mmu_map's choices depend on it.
 */
void mmu_probe(void);
/* What mmu_probe found, and mmu_enable turned on. */
struct vmm_features mmu_features(void);

/*
 * Once, on the boot CPU, with the kernel's tree built: turn on what the
 * CPU offers (write-protect for the kernel too, no-execute, global pages,
 * SMEP, SMAP, UMIP, the PAT's write-combining entry) and load the tree.
 */
void mmu_enable(uint64_t kernel_root);

/*
 * The kernel's tree: its kernel half's top-level tables made now, once,
 * so every tree made later shares them (a kernel mapping made after is
 * seen in every space). 0 when memory is out.
 */
uint64_t mmu_kernel_root_create(void);
/* A new tree: the kernel half of kernel_root's, the lower half empty. 0 when memory is out. */
uint64_t mmu_root_create(uint64_t kernel_root);
/* Free every table of root's lower half and root itself (not the pages
 * mapped there). The tree is loaded on no CPU. */
void mmu_root_free(uint64_t root);
/* Load root on this CPU (x86_64: CR3). Interrupts off. */
void mmu_switch(uint64_t root);

/*
 * Map [va, va + size) to [pa, pa + size) with the rights of `flags`
 * (VMM_*); with VMM_HUGE in the largest pages that fit. A table left
 * empty by an unmap where a large page is to go is freed (and flushed
 * from `cpus`). 0, or -1 when a page there is mapped or memory is out
 * (the pages mapped before stay mapped).
 */
int mmu_map(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t pa, uint64_t size,
            unsigned flags);
/*
 * Unmap [va, va + size) (4 KiB pages, or whole large pages; holes are
 * skipped), with one flush of `cpus` for the range; with give_frames, the
 * frames that were mapped go back to the frame allocator after it.
 */
void mmu_unmap(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t size, int give_frames);
/* New rights for the 4 KiB pages of [va, va + size), one flush; -1 at the
 * first page not mapped by a 4 KiB page (those before it changed). */
int mmu_protect(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t size, unsigned flags);

/*
 * Visit the mapped pages of [va, va + size) in address order, skipping
 * absent tables whole (a sparse 8 MiB stack costs a few entries, not 2048
 * walks). fn sees each page as a struct mmu_page (a large page whole, even
 * when it sticks out of the range) and says what becomes of it:
 *   MMU_SCAN_KEEP   nothing;
 *   MMU_SCAN_SET    the entry takes pg->pa and pg->flags as fn left them
 *                   (new rights, or another frame: copy-on-write);
 *   MMU_SCAN_CLEAR  the page is unmapped;
 *   a negative errno: the walk stops there and returns it.
 * Entries narrowed, moved or cleared are flushed from `cpus` before the
 * call returns; only after that flush is release(ctx, va, pa, size) called for
 * each cleared page, so its frame cannot be reached when it is reused
 * (release may be NULL). The generic code's one view of many entries
 * (kernel/mm/uspace.c: fork, unmap, mprotect, copy-on-write).
 */
#define MMU_SCAN_KEEP   0
#define MMU_SCAN_SET    1
#define MMU_SCAN_CLEAR  2
struct mmu_page {
    uint64_t va, pa, size;      /* size: MMU_PAGE_SIZE, or a large page's */
    unsigned flags;             /* VMM_WRITE, VMM_EXEC, VMM_USER; VMM_HUGE for a large page */
};
typedef int mmu_scan_fn(void *ctx, struct mmu_page *pg);
typedef void mmu_release_fn(void *ctx, uint64_t va, uint64_t pa, uint64_t size);
int mmu_scan(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t size, mmu_scan_fn *fn,
             mmu_release_fn *release, void *ctx);

/*
 * fork's copy (kernel/arch/x86_64/mmu_space.c): every mapped page of
 * [va, va + size) in tree src is mapped in tree dst too, which has
 * nothing mapped there (tables it lacks are made; -EEXIST for a page it
 * has). With `cow` (private memory) each 4 KiB page becomes read-only in
 * both, its frame counted as shared once more (frame_ref_share,
 * kernel/mm/frame_ref.h), without asking fn. fn sees every other page
 * (a large page whole) and says what dst gets:
 *   MMU_COPY_CHILD     pg->pa with pg->flags, as fn left them (the same
 *                      page and rights, or fn's copy of a large page);
 *                      src's entry stays as it was;
 *   MMU_COPY_READONLY  the same page, read-only in both: src's entry
 *                      loses its write right (copy-on-write; fn counts it);
 *   a negative errno: the copy stops there and returns it (what was
 *   copied stays: the caller frees dst).
 * src's narrowed entries are flushed from `cpus` (src's mask) once,
 * before the call returns. The caller holds both spaces' locks.
 */
#define MMU_COPY_CHILD      1
#define MMU_COPY_READONLY   2
int mmu_copy(uint64_t src, uint64_t dst, const volatile uint64_t *cpus, uint64_t va, uint64_t size, int cow,
             mmu_scan_fn *fn, void *ctx);

/*
 * The end of a tree's lower half (the last reference to a process's
 * memory gone; its threads may still run in the kernel on it): every
 * table below the root is unhooked from it, `cpus` forget the lower
 * half, then each page that was mapped is let go in address order: a 4
 * KiB frame that another space still maps (counted by fork) loses that
 * count (frame_ref_drop); every other page is shown to gone(ctx, pg)
 * (gone may be NULL), which gives it back as its region says. The tables
 * are freed; the root stays, with an empty lower half, for mmu_root_free.
 */
typedef void mmu_gone_fn(void *ctx, const struct mmu_page *pg);
void mmu_clear_lower(uint64_t root, const volatile uint64_t *cpus, mmu_gone_fn *gone, void *ctx);

/* The last-level entry mapping va, as the CPU reads it; 0 if unmapped. *size its page size. */
uint64_t mmu_entry(uint64_t root, uint64_t va, uint64_t *size);
/* The physical address va maps to, 0 if unmapped. */
uint64_t mmu_translate(uint64_t root, uint64_t va);
/* 1 when an entry (mmu_entry) gives exactly the rights of `flags`: present, write, user, exec. */
int mmu_entry_grants(uint64_t entry, unsigned flags);

/*
 * The page-fault hook: `fn` is called on every page fault with the
 * faulting address and what the access was (MMU_FAULT_*), interrupts off,
 * on the faulting thread's stack; it returns 1 when it resolved the fault
 * (the access is tried again), 0 to let it be reported as a kernel fault.
 */
#define MMU_FAULT_PRESENT   (1u << 0)   /* the page was mapped: the rights refused the access */
#define MMU_FAULT_WRITE     (1u << 1)
#define MMU_FAULT_USER      (1u << 2)   /* from user mode */
#define MMU_FAULT_EXEC      (1u << 3)   /* an instruction fetch */
typedef int arch_page_fault_fn(uint64_t addr, unsigned access);
void arch_set_page_fault_handler(arch_page_fault_fn *fn);

/* Who can say more about a faulting address in the fault report ("stack
 * overflow on 'NAME'" for a guard page); returns NULL when it has nothing to say. */
typedef const char *arch_fault_explain_fn(uint64_t addr, char *buf, size_t size);
void arch_set_fault_explainer(arch_fault_explain_fn *fn);

/*
 * Run fn(ctx) on CPU `cpu` (a cpu id, not the caller's), with interrupts
 * off there, and return once it has run. It runs from that CPU's
 * interrupt, or from a spin loop it waits in with interrupts off (the
 * TLB shootdown's poll path, tlb.h), perhaps inside the caller's own
 * critical section there: fn takes no lock, does not sleep, and may
 * touch only what the caller's locks guard or the CPU's own data.
 * Callable with interrupts off and spinlocks held; not from an interrupt
 * handler. 0, or -1 when that CPU is not online (nothing run). The frame
 * allocator's way into another CPU's frame cache (pmm.c, cpu_refill).
 */
int arch_call_cpu(unsigned cpu, void (*fn)(void *ctx), void *ctx);

/*
 * The boot CPU's fault stacks, the ones faults that may come on a broken
 * stack run on (x86_64: the IST stacks of #DF, NMI, #MC), moved onto
 * kernel allocations with a guard page below each (kva_alloc, KVA_GUARD),
 * so a fault there is reported too. After kva works; 0, or -1 when memory
 * is out.
 */
int arch_fault_stacks_init(void);
