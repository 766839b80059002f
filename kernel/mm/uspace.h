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
 * A fault in private anonymous memory maps a whole 2 MiB page when the
 * aligned 2 MiB around it lies inside the VMA and holds no 4 KiB page yet
 * (map_huge; Linux's transparent huge pages), so a large mapping costs one
 * fault per 2 MiB and one TLB entry. A change to part of one (munmap,
 * mprotect, MADV_DONTNEED) first splits it into 512 4 KiB pages of the
 * same frames (split_huge); fork copies it whole.
 *
 * fork (uspace_fork) copies the VMAs and maps every page in both spaces:
 * a private page read-only in both, its frame counted as shared
 * (frame_ref.h), so the first write on either side copies it (the fault
 * path: break_cow) and the last sharer left writes in place; a shared
 * page (USPACE_SHARED: MAP_SHARED) with its rights in both, its frame
 * held by the VMA's object (uobj.h), not by the page tables. A space is
 * reference counted (uspace_get/put: threads of one process share it).
 *
 * The VMAs are a list sorted by address, for walks over a range (one
 * step per VMA), and the same VMAs in an AVL tree (vma_tree.h) for
 * lookups: which VMA holds an address is O(log n) however many regions a
 * process maps (threads' stacks, file mappings).
 *
 * Layout (x86_64, 47-bit lower half):
 *   USPACE_MIN               the lowest address handed out (64 KiB: a NULL
 *                            dereference plus a small offset always faults)
 *   the program's segments  where its ELF says (ET_EXEC), or at
 *                            USPACE_PIE_BASE (ET_DYN)
 *   brk                      from the page after the highest segment, up
 *   mmap                     top down from USPACE_MMAP_TOP
 *   guard gap                USPACE_STACK_GAP bytes no mapping may take
 *   the stack                up to USPACE_STACK_SIZE below USPACE_STACK_TOP:
 *                            its VMA starts USPACE_STACK_INIT long and grows
 *                            down on a fault below it (find_grow), never to
 *                            within USPACE_STACK_GAP of the VMA below (Linux's
 *                            stack_guard_gap, mm/mmap.c)
 *
 * Locking: `lock` (a spinlock, as the page-fault path runs with interrupts
 * off) guards the list, brk and every change to the space's pages (faults,
 * fork, unmap, mprotect); it is taken before the space's own lock (vmm.h),
 * and fork takes the child's space lock under the parent's (the child is
 * reachable by nobody else yet). A frame goes back to the frame allocator
 * after the TLB flush that makes it unreachable (vmm_scan's release,
 * vmm_clear_lower's gone), and only when no other space maps it
 * (frame_ref_drop).
 */
#pragma once

#include <stdint.h>

#include "mm/vmm.h"
#include "sync/spinlock.h"

#define USPACE_R    (1u << 0)
#define USPACE_W    (1u << 1)
#define USPACE_X    (1u << 2)
#define USPACE_SHARED (1u << 3)     /* uspace_map: MAP_SHARED (its pages in a uobj, shared by fork) */

#define USPACE_MIN          0x10000ULL
#define USPACE_PIE_BASE     0x555555554000ULL       /* Linux's ELF_ET_DYN_BASE on x86_64 */
#define USPACE_STACK_TOP    0x7FFFFFFFF000ULL
#define USPACE_STACK_SIZE   (8ULL << 20)            /* Linux's default RLIMIT_STACK */
#define USPACE_STACK_GAP    (1ULL << 20)            /* Linux's stack_guard_gap: 256 pages */
#define USPACE_STACK_INIT   (128ULL << 10)          /* the stack VMA at first (Linux: 128 KiB + the arguments) */
#define USPACE_MMAP_TOP     (USPACE_STACK_TOP - USPACE_STACK_SIZE - USPACE_STACK_GAP)

enum uspace_kind { USPACE_ELF, USPACE_BRK, USPACE_STACK, USPACE_MMAP };

struct uobj;
struct file;

struct uvma {
    uint64_t start, end;        /* page aligned, start < end */
    unsigned prot;              /* USPACE_R | _W | _X; 0: reserved, no access */
    enum uspace_kind kind;
    struct uobj *obj;           /* MAP_SHARED or a file: where its pages come from (a reference); else NULL */
    uint64_t pgoff;             /* the object's page at start */
    int shared;                 /* MAP_SHARED: the object's frames mapped; else private copies */
    uint64_t grow_limit;        /* a stack: the lowest start it may grow down to; 0: fixed */
    int nohuge;                 /* MADV_NOHUGEPAGE: 4 KiB pages only */
    struct uvma *next;          /* the next VMA up */
    struct uvma *left, *right;  /* the AVL tree (vma_tree.h) */
    int height;
};

struct uspace {
    unsigned refs;              /* atomic: uspace_get/put */
    struct spinlock lock;       /* guards vmas, brk, faults */
    struct vmm_space *vm;       /* its page tables; vm->user points back */
    struct uvma *vmas;          /* sorted by start, never overlapping */
    struct uvma *tree;          /* the same VMAs, by start, for lookups (vma_tree.h) */
    uint64_t brk_start, brk;    /* the heap is [brk_start, brk); its VMA ends at brk rounded up */
    uint64_t faults;            /* pages mapped by the fault path */
    uint64_t resident;          /* pages mapped (4 KiB units), under lock: the OOM killer's measure */
};

/* A new, empty address space with one reference; NULL when memory is out. */
struct uspace *uspace_create(void);
/* A copy-on-write copy of src (its VMAs, brk, every mapped page shared as
 * described above), with one reference; NULL when memory is out. */
struct uspace *uspace_fork(struct uspace *src);
void uspace_get(struct uspace *us);
/* Drop a reference; the last unmaps every VMA, gives back the frames no
 * other space maps, then the tables (once no CPU has them loaded). */
void uspace_put(struct uspace *us);
/* The old name of uspace_put, for the callers written before fork. */
void uspace_destroy(struct uspace *us);

/* A VMA at [start, start + len) (page aligned); -EEXIST over another, -EINVAL, -ENOMEM (also
 * for anything but the stack above USPACE_MMAP_TOP: the guard gap stays empty). With
 * USPACE_SHARED in prot its pages live in a new object (uobj.h) that fork shares. A
 * USPACE_STACK VMA reserves the range but covers only its top USPACE_STACK_INIT bytes at
 * first, and grows down as it is touched. */
int uspace_map(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, enum uspace_kind kind);
/* The same for len bytes of file f from byte off (page aligned), its pages read into the page
 * cache now (uobj.h); USPACE_SHARED in prot maps the page cache's pages (writes reach the file),
 * else each page is copied on its first touch. -EEXIST, -EINVAL, -ENOMEM, the file's read error. */
int uspace_map_file(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, struct file *f, uint64_t off);
/* Remove [start, start + len) from every VMA it touches (splitting them) and free its frames. */
int uspace_unmap(struct uspace *us, uint64_t start, uint64_t len);
/* Linux's mprotect: every VMA in [start, start + len) gets prot (split at the ends),
 * its mapped pages too (a private page still shared with another space stays read-only
 * until written); -ENOMEM when part of the range is not mapped, -EINVAL. */
int uspace_protect(struct uspace *us, uint64_t start, uint64_t len, unsigned prot);
/* MADV_DONTNEED: the pages of [start, start + len) go; a private page reads as zeros
 * next time, a shared one as the object holds it. -ENOMEM when part is not mapped. */
int uspace_discard(struct uspace *us, uint64_t start, uint64_t len);
/* MADV_HUGEPAGE / MADV_NOHUGEPAGE: whether faults in [start, start + len) may map 2 MiB pages
 * (splitting the VMAs at the ends). -ENOMEM when part of the range is not mapped. */
int uspace_advise_huge(struct uspace *us, uint64_t start, uint64_t len, int huge);
/* 0 when VMAs cover every page of [start, start + len), else -ENOMEM (madvise's hints). */
int uspace_mapped(struct uspace *us, uint64_t start, uint64_t len);
/* msync: write back the shared file pages of the range (wait: MS_SYNC); anonymous memory has
 * nothing to write. -ENOMEM when part of the range is not mapped. */
int uspace_sync(struct uspace *us, uint64_t start, uint64_t len, int wait);
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

/*
 * A fault at addr in us (access: MMU_FAULT_*): a demand-zero page mapped,
 * a shared one found, a copy-on-write page copied (or made writable when
 * no other space maps it). 1 when the access may be tried again, 0 when
 * it is the process's fault (outside every VMA, or refused by its rights).
 */
int uspace_fault(struct uspace *us, uint64_t addr, unsigned access);
/*
 * kernel/proc/oom.c: out of memory in a fault (from_user: from ring 3),
 * end the largest process (uspace->resident) with a log line. 1 when the
 * access may be tried again (a process was killed and has ended, or the
 * wait for it ran out), 0 when it is the faulting process's fault (nobody
 * to kill, or a kernel access of the victim itself: EFAULT).
 */
int proc_oom_kill(int from_user);

/* The page-fault path for the lower half (mm.c): uspace_fault in the running thread's space. */
int uspace_page_fault(uint64_t addr, unsigned access);
