/*
 * uspace.h - a process's address space: its lower half (vmm.h) and the
 * list of regions (VMAs) that say what may be mapped there (uspace.c;
 * docs/processes.md draws the layout).
 *
 * A VMA is a page-aligned range [start, end) with rights (USPACE_R/W/X)
 * and a kind (what made it, for logs). Pages inside a VMA are mapped on
 * their first touch (demand-zero: a zeroed frame) by the page-fault path,
 * or ahead of time by uspace_write (the ELF loader's file data, the
 * initial stack). Outside every VMA nothing is ever mapped: a touch there
 * is the process's fault. Data is never executable: a page gets
 * VMM_EXEC only from a VMA with USPACE_X (NX on the rest).
 *
 * The VMAs are a list sorted by address, not a tree: a static program
 * has about eight of them (its segments, brk, the stack, a few mmaps), a
 * list of eight is faster to walk than a tree is to balance, and it is
 * the simplest thing to read. Issue 16 asks for a balanced tree once
 * programs map hundreds of regions (threads' stacks, file mappings);
 * every walk is in this file, so the change stays here.
 *
 * Layout (x86_64, 47-bit lower half):
 *   USPACE_MIN               the lowest address handed out (64 KiB: a NULL
 *                            dereference plus a small offset always faults)
 *   the program's segments  where its ELF says (ET_EXEC), or at
 *                            USPACE_PIE_BASE (ET_DYN)
 *   brk                      from the page after the highest segment, up
 *   mmap                     top down from USPACE_MMAP_TOP
 *   guard gap                USPACE_STACK_GAP bytes no mapping may take
 *   the stack                USPACE_STACK_SIZE below USPACE_STACK_TOP
 *
 * Locking: `lock` (a spinlock, as the page-fault path runs with interrupts
 * off) guards the list and brk; it is taken before the space's own lock
 * (vmm.h). Frames go back to the frame allocator by vmm_unmap_frames,
 * after the VMAs are off the list, so no fault maps them again.
 */
#pragma once

#include <stdint.h>

#include "mm/vmm.h"
#include "sync/spinlock.h"

#define USPACE_R    (1u << 0)
#define USPACE_W    (1u << 1)
#define USPACE_X    (1u << 2)

#define USPACE_MIN          0x10000ULL
#define USPACE_PIE_BASE     0x555555554000ULL       /* Linux's ELF_ET_DYN_BASE on x86_64 */
#define USPACE_STACK_TOP    0x7FFFFFFFF000ULL
#define USPACE_STACK_SIZE   (8ULL << 20)            /* Linux's default RLIMIT_STACK */
#define USPACE_STACK_GAP    (1ULL << 20)            /* Linux's stack_guard_gap: 256 pages */
#define USPACE_MMAP_TOP     (USPACE_STACK_TOP - USPACE_STACK_SIZE - USPACE_STACK_GAP)

enum uspace_kind { USPACE_ELF, USPACE_BRK, USPACE_STACK, USPACE_MMAP };

struct uvma {
    uint64_t start, end;        /* page aligned, start < end */
    unsigned prot;              /* USPACE_R | _W | _X; 0: reserved, no access */
    enum uspace_kind kind;
    struct uvma *next;          /* the next VMA up */
};

struct uspace {
    struct spinlock lock;       /* guards vmas, brk, faults */
    struct vmm_space *vm;       /* its page tables; vm->user points back */
    struct uvma *vmas;          /* sorted by start, never overlapping */
    uint64_t brk_start, brk;    /* the heap is [brk_start, brk); its VMA ends at brk rounded up */
    uint64_t faults;            /* pages mapped by the fault path */
};

/* A new, empty address space; NULL when memory is out. */
struct uspace *uspace_create(void);
/* Unmap every VMA and give back its frames, then the tables (once no CPU has them loaded). */
void uspace_destroy(struct uspace *us);

/* A VMA at [start, start + len) (page aligned); -EEXIST over another, -EINVAL, -ENOMEM (also
 * for anything but the stack above USPACE_MMAP_TOP: the guard gap stays empty). */
int uspace_map(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, enum uspace_kind kind);
/* Remove [start, start + len) from every VMA it touches (splitting them) and free its frames. */
int uspace_unmap(struct uspace *us, uint64_t start, uint64_t len);
/* A free range of len bytes for mmap, highest first below USPACE_MMAP_TOP; 0 when none. */
uint64_t uspace_find_free(struct uspace *us, uint64_t len);
/* Set up brk at `start` (page aligned, after the program's segments). */
int uspace_brk_init(struct uspace *us, uint64_t start);
/* Linux's brk: move the end to `end` and return the new end, or the old one when refused. */
uint64_t uspace_brk(struct uspace *us, uint64_t end);

/*
 * Write n bytes of src (NULL: zeros) at user address va, through the
 * frames (the direct map), mapping the pages not mapped yet with their
 * VMA's rights; for the loader, before the process runs. 0, -EFAULT
 * outside a VMA, -ENOMEM.
 */
int uspace_write(struct uspace *us, uint64_t va, const void *src, uint64_t n);

/* The page-fault path for the lower half (mm.c): 1 when a demand-zero page was mapped. */
int uspace_page_fault(uint64_t addr, unsigned access);
