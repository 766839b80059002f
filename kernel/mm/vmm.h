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
 * No lock of its own: the kernel half is changed under kva's lock (kva.c)
 * or while booting; vmm_unmap of it flushes every CPU's TLB (tlb.c).
 */
#pragma once

#include <stdint.h>

#include "bootinfo.h"

#define VMM_WRITE       (1u << 0)
#define VMM_EXEC        (1u << 1)
#define VMM_USER        (1u << 2)
#define VMM_UNCACHED    (1u << 3)   /* MMIO: UC */
#define VMM_WC          (1u << 4)   /* write-combining (framebuffers) */
#define VMM_HUGE        (1u << 5)   /* 2 MiB / 1 GiB pages where size and alignment allow */

#define VMM_KERNEL_HALF 0xFFFF800000000000ULL

struct vmm_space {
    uint64_t pml4;              /* physical */
};

/* Build the kernel's tables and switch to them; 0 or -1 (then panic). */
int vmm_init(const struct bootinfo *bi);

struct vmm_space *vmm_kernel_space(void);

/* Map [va, va + size) to [pa, pa + size); -1 if a page there is mapped or memory is out. */
int vmm_map(struct vmm_space *s, uint64_t va, uint64_t pa, uint64_t size, unsigned flags);
/* Unmap [va, va + size) (4 KiB pages, or whole large pages), flushing the TLB once for the range. */
void vmm_unmap(struct vmm_space *s, uint64_t va, uint64_t size);
/* The same, then the frames that were mapped there (4 KiB, 2 MiB) go back to
 * the frame allocator, once no CPU can reach them: one shootdown for the range. */
void vmm_unmap_frames(struct vmm_space *s, uint64_t va, uint64_t size);
/* New rights for the mapped 4 KiB pages of [va, va + size). */
int vmm_protect(struct vmm_space *s, uint64_t va, uint64_t size, unsigned flags);
/* The physical address va maps to, 0 if unmapped. */
uint64_t vmm_translate(const struct vmm_space *s, uint64_t va);
/* The last-level entry mapping va as the CPU reads it (rights, caching), 0 if unmapped; *size its page size. */
uint64_t vmm_entry(const struct vmm_space *s, uint64_t va, uint64_t *size);
/* 1 when a last-level entry (vmm_entry) gives exactly the rights of `flags`: present, write, user, exec. */
int vmm_entry_grants(uint64_t entry, unsigned flags);

struct vmm_space *vmm_space_create(void);
/* Free every table of the space's lower half and the PML4 (not the pages mapped). */
void vmm_space_destroy(struct vmm_space *s);

/* What the CPU offered and vmm_init turned on (tests, the boot report). */
struct vmm_features {
    int nx, gib_pages, smep, smap, umip, pat, pge;
};
struct vmm_features vmm_features(void);
