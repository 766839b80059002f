/*
 * vmm.h - virtual memory: the kernel's own page tables and address spaces
 * (vmm.c).
 *
 * vmm_init builds the kernel's tables and leaves the loader's:
 *   kernel image   0xFFFFFFFF80000000 up, 4 KiB pages with the ELF rights:
 *                  text R-X, rodata R--, data and bss RW- and no-execute;
 *   direct map     0xFFFF800000000000 up: all RAM (and the first 4 GiB with
 *                  the MMIO there), RW- no-execute, in 1 GiB pages where the
 *                  CPU has them, else 2 MiB; MMIO uncached, the framebuffer
 *                  write-combining (PAT);
 *   kernel allocations  0xFFFFC00000000000 up (kva.h);
 *   nothing below: the loader's identity map is gone.
 * and turns on what the CPU offers: NX, CR0.WP (the kernel too respects
 * read-only pages), SMEP and SMAP (no executing or touching user pages from
 * the kernel by accident), UMIP.
 *
 * An address space (struct vmm_space) shares the kernel half: its PML4
 * points at the same 256 upper-level tables, made once at boot, so a kernel
 * mapping made later is seen by every space. The lower half is its own.
 * Spaces are allocated objects: vmm_space_create gives one with one
 * reference; vmm_space_get takes another, vmm_space_put drops one, and the
 * last frees its tables (never while a CPU has it loaded).
 *
 * Locking: each space's lock guards its page tables (the kernel space's
 * lock the kernel half's); every call below takes it itself. `cpus` has a
 * bit per CPU that has the space loaded (vmm_space_switch keeps it): a TLB
 * shootdown for the space's lower half goes to those CPUs only; the kernel
 * half's to every CPU.
 */
#pragma once

#include <stdint.h>

#include "bootinfo.h"
#include "sync/spinlock.h"

struct uspace;

#define VMM_WRITE       (1u << 0)
#define VMM_EXEC        (1u << 1)
#define VMM_USER        (1u << 2)
#define VMM_UNCACHED    (1u << 3)   /* MMIO: UC */
#define VMM_WC          (1u << 4)   /* write-combining (framebuffers) */
#define VMM_HUGE        (1u << 5)   /* 2 MiB / 1 GiB pages where size and alignment allow */

#define VMM_KERNEL_HALF 0xFFFF800000000000ULL

struct vmm_space {
    struct spinlock lock;       /* guards the page tables below pml4 (the kernel's: the kernel half) */
    uint64_t pml4;              /* its page-table tree's root (mmu_arch.h), physical; fixed for its life */
    volatile uint64_t cpus;     /* bit per cpu id: CPUs with it in CR3 (atomic ops) */
    unsigned refs;              /* atomic; the last vmm_space_put frees the space */
    struct uspace *user;        /* a process's: its VMAs (uspace.h), for the page-fault path; else NULL */
};

/* Build the kernel's tables and switch to them; 0 or -1 (then panic). */
int vmm_init(const struct bootinfo *bi);

struct vmm_space *vmm_kernel_space(void);

/* Map [va, va + size) to [pa, pa + size); -1 if a page there is mapped or memory is out.
 * A space other than the kernel's takes only lower-half ranges (the calls below too). */
int vmm_map(struct vmm_space *s, uint64_t va, uint64_t pa, uint64_t size, unsigned flags);
/* Unmap [va, va + size) (4 KiB pages, or whole large pages), flushing the TLB once for the range. */
void vmm_unmap(struct vmm_space *s, uint64_t va, uint64_t size);
/* The same, then the frames that were mapped there (4 KiB, 2 MiB) go back to
 * the frame allocator, once no CPU can reach them: one shootdown for the range. */
void vmm_unmap_frames(struct vmm_space *s, uint64_t va, uint64_t size);
/* New rights for the mapped 4 KiB pages of [va, va + size). */
int vmm_protect(struct vmm_space *s, uint64_t va, uint64_t size, unsigned flags);
/* Each mapped page of [va, va + size) shown to fn, which keeps, changes or clears it
 * (mmu_scan in kernel/arch/mmu_arch.h: struct mmu_page, MMU_SCAN_*), under the space's lock;
 * release(ctx, va, pa, size) for each cleared page after the flush. 0, fn's negative errno, -EINVAL. */
struct mmu_page;
int vmm_scan(struct vmm_space *s, uint64_t va, uint64_t size, int (*fn)(void *ctx, struct mmu_page *pg),
             void (*release)(void *ctx, uint64_t va, uint64_t pa, uint64_t size), void *ctx);
/* fork: the mapped pages of [va, va + size) of src mapped in dst too (mmu_copy in
 * kernel/arch/mmu_arch.h): with cow each 4 KiB page copy-on-write, counted (frame_ref.h); every
 * other page as fn says (MMU_COPY_*). Under both spaces' locks (src's first); src's narrowed
 * entries flushed once. 0, fn's negative errno, -ENOMEM (a table), -EEXIST, -EINVAL. */
int vmm_copy(struct vmm_space *src, struct vmm_space *dst, uint64_t va, uint64_t size, int cow,
             int (*fn)(void *ctx, struct mmu_page *pg), void *ctx);
/* The end of a process's memory: the whole lower half unmapped at once and flushed, then each
 * page let go in address order (mmu_clear_lower): a frame another space still maps loses a
 * count, every other page goes to gone(ctx, pg); under the space's lock. Its tables are freed;
 * the space stays usable (empty below). */
void vmm_clear_lower(struct vmm_space *s, void (*gone)(void *ctx, const struct mmu_page *pg), void *ctx);
/* The physical address va maps to, 0 if unmapped. */
uint64_t vmm_translate(struct vmm_space *s, uint64_t va);
/* The last-level entry mapping va as the CPU reads it (rights, caching), 0 if unmapped; *size its page size. */
uint64_t vmm_entry(struct vmm_space *s, uint64_t va, uint64_t *size);
/* 1 when a last-level entry (vmm_entry) gives exactly the rights of `flags`: present, write, user, exec. */
int vmm_entry_grants(uint64_t entry, unsigned flags);

/* A new space: the kernel half shared, the lower half empty; one reference. NULL when memory is out. */
struct vmm_space *vmm_space_create(void);
void vmm_space_get(struct vmm_space *s);
/* Drop a reference; the last frees every table of the lower half and the
 * PML4 (not the pages mapped there: their owner frees them). */
void vmm_space_put(struct vmm_space *s);
/* Load `to` on this CPU in place of `from` (CR3 and both masks); interrupts off. */
void vmm_space_switch(struct vmm_space *from, struct vmm_space *to);

/* What the CPU offered and vmm_init turned on (tests, the boot report). */
struct vmm_features {
    int nx, gib_pages, smep, smap, umip, pat, pge;
};
struct vmm_features vmm_features(void);
