/*
 * uspace.c - a process's address space: the sorted VMA list, faults
 * (demand-zero, shared, copy-on-write), fork, brk, mprotect, the mmap
 * search, and the loader's writes (see uspace.h).
 *
 * Every change to many pages is one vmm_scan over the range (mmu_scan in
 * kernel/arch/mmu_arch.h): it skips what is not mapped, lets the function
 * here decide page by page, and flushes the TLBs once before it hands the
 * cleared frames to release_frame. fork and the end of a space touch
 * every page, so they walk a table at a time instead (vmm_copy,
 * vmm_clear_lower), and ask here only about the pages that are not
 * private anonymous memory.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "errno.h"
#include "mm/frame_ref.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/uobj.h"
#include "mm/uspace.h"
#include "mm/vma_tree.h"
#include "mutant.h"
#include "printk.h"
#include "sched/sched.h"

#define PAGE            MMU_PAGE_SIZE
#define HUGE            MMU_LARGE_PAGE
#define PAGE_DOWN(a)    ((a) & ~(PAGE - 1))
#define PAGE_UP(a)      (((a) + PAGE - 1) & ~(PAGE - 1))

struct uspace *uspace_create(void)
{
    struct uspace *us;

    if (frame_ref_init() != 0 || !(us = kcalloc(1, sizeof *us)))
        return NULL;
    if (!(us->vm = vmm_space_create())) {
        kfree(us);
        return NULL;
    }
    spin_init(&us->lock, "uspace");
    us->refs = 1;
    us->vm->user = us;
    return us;
}

/* The page-table rights of a VMA's pages: none at all for PROT_NONE (a supervisor page). */
static unsigned vmm_flags(unsigned prot)
{
    if (!(prot & (USPACE_R | USPACE_W | USPACE_X)))
        return 0;
    return VMM_USER | (prot & USPACE_W ? VMM_WRITE : 0) | (prot & USPACE_X ? VMM_EXEC : 0);
}

/* --- giving pages back --------------------------------------------------------- */

/* The index in v's object of the page at va. */
static uint64_t obj_index(const struct uvma *v, uint64_t va)
{
    return v->pgoff + (va - v->start) / PAGE;
}

/* 1 for a MAP_SHARED file VMA: its pages are mapped read-only until written, so a write is seen. */
static int tracks_dirty(const struct uvma *v)
{
    return v->shared && v->obj->file;
}

/* 1 when the page at va of a private VMA maps its file's page itself (not written yet). */
static int borrowed(const struct uvma *v, uint64_t va, uint64_t pa)
{
    return !v->shared && v->obj && pa == uobj_frame(v->obj, obj_index(v, va));
}

/* What drop_pages' scan works on. */
struct drop {
    struct uspace *us;
    struct uvma *v;
};

/*
 * A page left the space and the TLBs (vmm_scan's release; ctx a struct
 * drop): a shared page, or a private one still the file's, stays with its
 * object; a private one goes back once no other space maps it.
 */
static void release_frame(void *ctx, uint64_t va, uint64_t pa, uint64_t size)
{
    const struct uvma *v = ((struct drop *)ctx)->v;

    if (v->shared || borrowed(v, va, pa))
        return;
    if (size != PAGE)
        mm_frame_free_2m(pa);           /* large pages are never shared (fork copies them) */
    else if (frame_ref_drop(pa))
        mm_frame_free(pa);
}

/* Unmapped (ctx its VMA); a shared file page that was writable goes to the page cache as dirty. */
static int clear_page(void *ctx, struct mmu_page *pg)
{
    struct drop *d = ctx;
    struct uvma *v = d->v;

    d->us->resident -= pg->size / PAGE;
    if (tracks_dirty(v) && (pg->flags & VMM_WRITE))
        uobj_dirty(v->obj, obj_index(v, pg->va));
    return MMU_SCAN_CLEAR;
}

/* Unmap [start, end) of VMA v's pages and give back what is no longer mapped anywhere. */
static void drop_pages(struct uspace *us, struct uvma *v, uint64_t start, uint64_t end)
{
    struct drop d = { us, v };

    vmm_scan(us->vm, start, end - start, clear_page, MUTANT_ENABLED(uspace_free) ? NULL : release_frame, &d);
}

static void vma_free(struct uvma *v)
{
    if (v->obj)
        uobj_put(v->obj);
    kfree(v);
}

/*
 * A page of a space that ended (vmm_clear_lower's gone, ctx a struct drop
 * whose VMA moves up the list with the pages, which come in address
 * order): a shared file page that was writable goes to the page cache as
 * dirty, and the frame goes as release_frame says.
 */
static void page_gone(void *ctx, const struct mmu_page *pg)
{
    struct drop *d = ctx;

    while (d->v && d->v->end <= pg->va)
        d->v = d->v->next;
    if (!d->v || d->v->start > pg->va)
        return;                         /* outside every VMA: nothing uspace.c mapped */
    if (tracks_dirty(d->v) && (pg->flags & VMM_WRITE))
        uobj_dirty(d->v->obj, obj_index(d->v, pg->va));
    if (!MUTANT_ENABLED(uspace_free))
        release_frame(d, pg->va, pg->pa, pg->size);
}

/* The last reference: every page unmapped in one pass (one flush), then the VMAs and the tables. */
static void destroy(struct uspace *us)
{
    struct drop d = { us, us->vmas };
    struct uvma *v, *next;

    vmm_clear_lower(us->vm, page_gone, &d);
    for (v = us->vmas; v; v = next) {
        next = v->next;
        vma_free(v);
    }
    us->vm->user = NULL;
    vmm_space_put(us->vm);
    kfree(us);
}

void uspace_get(struct uspace *us)
{
    __atomic_fetch_add(&us->refs, 1, __ATOMIC_RELAXED);
}

void uspace_put(struct uspace *us)
{
    if (__atomic_sub_fetch(&us->refs, 1, __ATOMIC_ACQ_REL) == 0)
        destroy(us);
}

void uspace_destroy(struct uspace *us)
{
    uspace_put(us);
}

/* --- 2 MiB pages ----------------------------------------------------------------------- */

struct split {
    uint64_t va, pa;
    unsigned flags;
};

/* split_huge's scan: the large page is cleared and noted, its frame kept (release NULL). */
static int take_huge(void *ctx, struct mmu_page *pg)
{
    struct split *sp = ctx;

    if (pg->size != HUGE)
        return MMU_SCAN_KEEP;
    *sp = (struct split){ pg->va, pg->pa, pg->flags & ~VMM_HUGE };
    return MMU_SCAN_CLEAR;
}

/*
 * A 2 MiB page across addr (addr not 2 MiB aligned) becomes 512 4 KiB
 * pages of the same frame and rights, so a change can stop at addr. The
 * frame's 4 KiB parts are frames of their own from then on (each freed
 * alone). us->lock held; -ENOMEM (a page table) leaves the page unmapped,
 * its frame freed.
 */
static int split_huge(struct uspace *us, uint64_t addr)
{
    struct split sp = { 0, 0, 0 };

    if (!(addr & (HUGE - 1)))
        return 0;
    vmm_scan(us->vm, addr & ~(HUGE - 1), PAGE, take_huge, NULL, &sp);
    if (!sp.pa)
        return 0;
    if (vmm_map(us->vm, sp.va, sp.pa, HUGE, sp.flags) != 0) {
        vmm_unmap(us->vm, sp.va, HUGE);
        mm_frame_free_2m(sp.pa);
        us->resident -= HUGE / PAGE;
        return -ENOMEM;
    }
    return 0;
}

static int split_range(struct uspace *us, uint64_t start, uint64_t end)
{
    int err = split_huge(us, start);

    return err ? err : split_huge(us, end);
}

static int count_page(void *ctx, struct mmu_page *pg)
{
    (void)pg;
    ++*(unsigned *)ctx;
    return MMU_SCAN_KEEP;
}

/*
 * A fault at addr in v: a zeroed 2 MiB page for the aligned block around
 * it, when v is private anonymous memory covering the block, no 4 KiB
 * page is mapped there yet and a 2 MiB frame is free. 1 when mapped (the
 * caller maps a 4 KiB page otherwise). us->lock held.
 */
static int map_huge(struct uspace *us, const struct uvma *v, uint64_t addr)
{
    uint64_t block = addr & ~(HUGE - 1), frame;
    unsigned mapped = 0;

    if (v->obj || v->nohuge || v->grow_limit || block < v->start || block + HUGE > v->end ||
        !vmm_flags(v->prot) || MUTANT_ENABLED(huge_pages))
        return 0;
    vmm_scan(us->vm, block, HUGE, count_page, NULL, &mapped);
    if (mapped || (frame = mm_frame_alloc_2m()) == PMM_NONE)
        return 0;
    memset(arch_phys_to_virt(frame), 0, HUGE);
    if (vmm_map(us->vm, block, frame, HUGE, vmm_flags(v->prot) | VMM_HUGE) != 0) {
        mm_frame_free_2m(frame);
        return 0;
    }
    us->resident += HUGE / PAGE;
    return 1;
}

/* --- the VMA list ------------------------------------------------------------------- */

/* The VMA holding addr, or NULL; us->lock held. */
static struct uvma *find(struct uspace *us, uint64_t addr)
{
    struct uvma *v = vma_tree_floor(us->tree, addr);

    return v && addr < v->end ? v : NULL;
}

/*
 * The VMA holding addr, or the stack above it grown down to addr's page
 * when addr is within its limit and the gap to the VMA below stays
 * USPACE_STACK_GAP; else NULL. us->lock held.
 */
static struct uvma *find_grow(struct uspace *us, uint64_t addr)
{
    struct uvma *below = vma_tree_floor(us->tree, addr), *v;

    if (below && addr < below->end)
        return below;
    v = below ? below->next : us->vmas;
    if (!v)
        return NULL;
    if (!v->grow_limit || addr < v->grow_limit)
        return NULL;
    if (below && below->end + USPACE_STACK_GAP > PAGE_DOWN(addr) && !MUTANT_ENABLED(stack_gap))
        return NULL;                    /* into the guard gap */
    v->start = PAGE_DOWN(addr);
    return v;
}

/* Put v (not overlapping any) into the list and the tree; us->lock held. */
static void link_vma(struct uspace *us, struct uvma *v)
{
    struct uvma *below = vma_tree_floor(us->tree, v->start);
    struct uvma **pp = below ? &below->next : &us->vmas;

    v->next = *pp;
    *pp = v;
    vma_tree_insert(&us->tree, v);
}

/* 1 when [start, end) touches no VMA; us->lock held. */
static int range_free(struct uspace *us, uint64_t start, uint64_t end)
{
    struct uvma *below = vma_tree_floor(us->tree, start), *above;

    if (MUTANT_ENABLED(vma_overlap))
        return 1;
    if (below && below->end > start)
        return 0;
    above = below ? below->next : us->vmas;
    return !above || above->start >= end;
}

/* 1 when VMAs cover every page of [start, end) with no hole; us->lock held. */
static int range_covered(struct uspace *us, uint64_t start, uint64_t end)
{
    struct uvma *first = vma_tree_floor(us->tree, start);

    for (struct uvma *v = first ? first : us->vmas; v && start < end; v = v->next)
        if (v->end > start) {
            if (v->start > start)
                return 0;
            start = v->end;
        }
    return start >= end;
}

static int range_ok(uint64_t start, uint64_t len)
{
    return len && !(start & (PAGE - 1)) && !(len & (PAGE - 1)) && start >= USPACE_MIN &&
           start + len > start && start + len <= USPACE_STACK_TOP;
}

static int map_checks(uint64_t start, uint64_t len, enum uspace_kind kind)
{
    if (!range_ok(start, len))
        return -EINVAL;
    if (kind != USPACE_STACK && start + len > USPACE_MMAP_TOP)
        return -ENOMEM;                 /* the stack and its guard gap are the stack's alone */
    return 0;
}

/* A VMA over [start, start + len) from obj (its reference moves in; NULL: anonymous private). */
static int map_vma(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, enum uspace_kind kind,
                   struct uobj *obj)
{
    struct uvma *v;

    if (!(v = kcalloc(1, sizeof *v))) {
        if (obj)
            uobj_put(obj);
        return -ENOMEM;
    }
    *v = (struct uvma){ .start = start, .end = start + len, .prot = prot & (USPACE_R | USPACE_W | USPACE_X),
                        .kind = kind, .obj = obj, .shared = (prot & USPACE_SHARED) != 0 };
    if (kind == USPACE_STACK && len > USPACE_STACK_INIT && !MUTANT_ENABLED(stack_grow)) {
        v->grow_limit = start;          /* the range is reserved (range_free below), used from the top */
        v->start = v->end - USPACE_STACK_INIT;
    }
    spin_lock(&us->lock);
    if (!range_free(us, v->grow_limit ? v->grow_limit : v->start, v->end)) {
        spin_unlock(&us->lock);
        vma_free(v);
        return -EEXIST;
    }
    link_vma(us, v);
    spin_unlock(&us->lock);
    return 0;
}

int uspace_map(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, enum uspace_kind kind)
{
    struct uobj *obj = NULL;
    int err = map_checks(start, len, kind);

    if (err)
        return err;
    if ((prot & USPACE_SHARED) && !(obj = uobj_create(len / PAGE)))
        return -ENOMEM;
    return map_vma(us, start, len, prot, kind, obj);
}

int uspace_map_file(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, struct file *f, uint64_t off)
{
    struct uobj *obj;
    int err = map_checks(start, len, USPACE_MMAP);

    if (err || (off & (PAGE - 1)))
        return err ? err : -EINVAL;
    if ((err = uobj_create_file(f, off / PAGE, len / PAGE, (prot & USPACE_SHARED) && (prot & USPACE_W), &obj)))
        return err;
    return map_vma(us, start, len, prot, USPACE_MMAP, obj);
}

/*
 * Split the VMA across addr (if one is) into [start, addr) and [addr, end),
 * the upper part in *spare (the caller's allocation, taken: *spare becomes
 * NULL). us->lock held.
 */
static void split_at(struct uspace *us, uint64_t addr, struct uvma **spare)
{
    struct uvma *v = find(us, addr), *up;

    if (!v || v->start == addr)
        return;
    up = *spare;
    *spare = NULL;
    *up = *v;
    up->start = addr;
    up->pgoff = v->pgoff + (addr - v->start) / PAGE;
    if (up->obj)
        uobj_get(up->obj);
    up->grow_limit = 0;                 /* the lower part is the one that grows */
    v->end = addr;
    v->next = up;
    vma_tree_insert(&us->tree, up);
}

/* Two spare VMAs for the splits at both ends of a range; -ENOMEM. */
static int spares_alloc(struct uvma *spare[2])
{
    spare[0] = kcalloc(1, sizeof *spare[0]);
    spare[1] = kcalloc(1, sizeof *spare[1]);
    if (spare[0] && spare[1])
        return 0;
    kfree(spare[0]);
    kfree(spare[1]);
    return -ENOMEM;
}

int uspace_unmap(struct uspace *us, uint64_t start, uint64_t len)
{
    struct uvma *spare[2], **pp, *v, *below, *gone = NULL;
    uint64_t end;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return -EINVAL;
    if (spares_alloc(spare) != 0)
        return -ENOMEM;
    end = start + len;
    spin_lock(&us->lock);
    split_range(us, start, end);        /* out of memory: a 2 MiB page across an end goes whole */
    split_at(us, start, &spare[0]);
    split_at(us, end, &spare[1]);
    /* After the splits every VMA in the range starts at or above start: unlink them from the one below. */
    below = vma_tree_floor(us->tree, start - 1);
    for (pp = below ? &below->next : &us->vmas; (v = *pp) && v->start < end;) {
        *pp = v->next;
        vma_tree_remove(&us->tree, v);
        drop_pages(us, v, v->start, v->end);
        v->next = gone;
        gone = v;
    }
    spin_unlock(&us->lock);
    for (; gone; gone = v) {
        v = gone->next;
        vma_free(gone);
    }
    kfree(spare[0]);
    kfree(spare[1]);
    return 0;
}

uint64_t uspace_find_free(struct uspace *us, uint64_t len)
{
    uint64_t lo = USPACE_MIN, found = 0;

    len = PAGE_UP(len);
    if (!len || len > USPACE_MMAP_TOP - USPACE_MIN)
        return 0;
    spin_lock(&us->lock);
    /* The gaps come upwards with the list: the last one that holds len is the highest. */
    for (struct uvma *v = us->vmas;; v = v->next) {
        uint64_t hi = v && v->start < USPACE_MMAP_TOP ? v->start : USPACE_MMAP_TOP;
        if (hi > lo && hi - lo >= len)
            found = hi - len;
        if (!v || v->start >= USPACE_MMAP_TOP)
            break;
        if (v->end > lo)
            lo = v->end;
    }
    spin_unlock(&us->lock);
    return found;
}

int uspace_brk_init(struct uspace *us, uint64_t start)
{
    us->brk_start = us->brk = start;
    return 0;
}

uint64_t uspace_brk(struct uspace *us, uint64_t end)
{
    uint64_t old = us->brk, old_top = PAGE_UP(old), new_top = PAGE_UP(end);

    if (end < us->brk_start || end >= USPACE_MMAP_TOP)
        return old;
    if (new_top > old_top) {
        if (uspace_map(us, old_top, new_top - old_top, USPACE_R | USPACE_W, USPACE_BRK) != 0)
            return old;                 /* something is mapped there */
    } else if (new_top < old_top) {
        uspace_unmap(us, new_top, old_top - new_top);
    }
    us->brk = end;
    return end;
}

/* --- rights: mprotect, copy-on-write ------------------------------------------------ */

/*
 * What a mapped page of v may be given: v's rights, less write for a
 * private page another space still maps (copy-on-write) and for a shared
 * file page not written yet (its write marks it dirty first).
 */
static unsigned page_flags(const struct uvma *v, const struct mmu_page *pg)
{
    unsigned f = vmm_flags(v->prot);

    if (!v->shared && pg->size == PAGE && (f & VMM_WRITE) &&
        (frame_ref_shared(pg->pa) || borrowed(v, pg->va, pg->pa)))
        f &= ~VMM_WRITE;
    if (tracks_dirty(v) && !(pg->flags & VMM_WRITE))
        f &= ~VMM_WRITE;
    return f | (pg->size != PAGE ? VMM_HUGE : 0);
}

static int protect_page(void *ctx, struct mmu_page *pg)
{
    unsigned f = page_flags(ctx, pg);

    if (f == pg->flags)
        return MMU_SCAN_KEEP;
    pg->flags = f;
    return MMU_SCAN_SET;
}

int uspace_protect(struct uspace *us, uint64_t start, uint64_t len, unsigned prot)
{
    struct uvma *spare[2], *v;
    uint64_t end;
    int err = 0;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return start & (PAGE - 1) ? -EINVAL : -ENOMEM;
    if (spares_alloc(spare) != 0)
        return -ENOMEM;
    end = start + len;
    spin_lock(&us->lock);
    if (!range_covered(us, start, end) || split_range(us, start, end) != 0) {
        err = -ENOMEM;
    } else {
        split_at(us, start, &spare[0]);
        split_at(us, end, &spare[1]);
        for (v = find(us, start); v && v->start < end; v = v->next) {
            v->prot = prot & (USPACE_R | USPACE_W | USPACE_X);
            vmm_scan(us->vm, v->start, v->end - v->start, protect_page, NULL, v);
        }
    }
    spin_unlock(&us->lock);
    kfree(spare[0]);
    kfree(spare[1]);
    return err;
}

int uspace_advise_huge(struct uspace *us, uint64_t start, uint64_t len, int huge)
{
    struct uvma *spare[2], *v;
    uint64_t end;
    int err = 0;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return -ENOMEM;
    if (spares_alloc(spare) != 0)
        return -ENOMEM;
    end = start + len;
    spin_lock(&us->lock);
    if (!range_covered(us, start, end)) {
        err = -ENOMEM;
    } else {
        split_at(us, start, &spare[0]);
        split_at(us, end, &spare[1]);
        for (v = find(us, start); v && v->start < end; v = v->next)
            v->nohuge = !huge;
    }
    spin_unlock(&us->lock);
    kfree(spare[0]);
    kfree(spare[1]);
    return err;
}

/*
 * Copy-on-write, one page (vmm_scan's fn, ctx a struct cow): give the page
 * v's rights; when that means writing a private frame another space still
 * maps, first move the page onto a copy of it. The old frame is dropped by
 * the caller, after the scan's flush: until then a CPU may still read it
 * through this space.
 */
struct cow {
    const struct uvma *v;
    int write;                  /* a write is what faulted: copy; else only rights that need no copy */
    uint64_t old;               /* the frame the page left, or 0 */
    int err;
};

static int cow_page(void *ctx, struct mmu_page *pg)
{
    struct cow *c = ctx;
    unsigned want = vmm_flags(c->v->prot) | (pg->size != PAGE ? VMM_HUGE : 0);
    int file_page = borrowed(c->v, pg->va, pg->pa);
    uint64_t copy;

    if (tracks_dirty(c->v) && (want & VMM_WRITE) && !(pg->flags & VMM_WRITE))
        uobj_dirty(c->v->obj, obj_index(c->v, pg->va));
    if (!c->v->shared && pg->size == PAGE && (want & VMM_WRITE) && (file_page || frame_ref_shared(pg->pa))) {
        if (!c->write) {
            want &= ~VMM_WRITE;         /* a read: the page stays shared */
            if (pg->flags == want)
                return MMU_SCAN_KEEP;
            pg->flags = want;
            return MMU_SCAN_SET;
        }
        if (MUTANT_ENABLED(cow_copy)) {
            pg->flags = want;           /* the write lands in the frame the other space sees */
            return MMU_SCAN_SET;
        }
        if ((copy = mm_frame_alloc()) == PMM_NONE) {
            c->err = -ENOMEM;
            return MMU_SCAN_KEEP;
        }
        memcpy(arch_phys_to_virt(copy), arch_phys_to_virt(pg->pa), PAGE);
        if (!file_page)
            c->old = pg->pa;            /* the page cache keeps a file's page */
        pg->pa = copy;
    } else if (pg->flags == want) {
        return MMU_SCAN_KEEP;
    }
    pg->flags = want;
    return MMU_SCAN_SET;
}

/* Give the mapped page at `page` of v its rights, copying it if it is shared; us->lock held. */
static int break_cow(struct uspace *us, const struct uvma *v, uint64_t page, int write)
{
    struct cow c = { v, write, 0, 0 };

    vmm_scan(us->vm, page, PAGE, cow_page, NULL, &c);
    if (c.old && frame_ref_drop(c.old))
        mm_frame_free(c.old);           /* the other sharer dropped it meanwhile */
    return c.err;
}

/* --- MADV_DONTNEED ------------------------------------------------------------------- */

int uspace_discard(struct uspace *us, uint64_t start, uint64_t len)
{
    uint64_t end;
    int err = 0;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return -EINVAL;
    end = start + len;
    spin_lock(&us->lock);
    if (!range_covered(us, start, end) || split_range(us, start, end) != 0)
        err = -ENOMEM;
    for (struct uvma *v = find(us, start); !err && v && v->start < end; v = v->next)
        drop_pages(us, v, v->start > start ? v->start : start, v->end < end ? v->end : end);
    spin_unlock(&us->lock);
    return err;
}

int uspace_mapped(struct uspace *us, uint64_t start, uint64_t len)
{
    int ok;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return -ENOMEM;
    spin_lock(&us->lock);
    ok = range_covered(us, start, start + len);
    spin_unlock(&us->lock);
    return ok ? 0 : -ENOMEM;
}

/* msync's scan (ctx the VMA): a written shared file page goes to the page cache as dirty, and
 * read-only again, so a write after the write-back dirties it anew. */
static int clean_page(void *ctx, struct mmu_page *pg)
{
    const struct uvma *v = ctx;

    if (!(pg->flags & VMM_WRITE))
        return MMU_SCAN_KEEP;
    uobj_dirty(v->obj, obj_index(v, pg->va));
    pg->flags &= ~VMM_WRITE;
    return MMU_SCAN_SET;
}

#define SYNC_MAX 8                      /* files msync writes back in one pass */

int uspace_sync(struct uspace *us, uint64_t start, uint64_t len, int wait)
{
    struct uobj *objs[SYNC_MAX];
    uint64_t end, from = start;
    unsigned n;
    int err = 0, r;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return -ENOMEM;
    end = start + len;
    do {                                /* a pass per SYNC_MAX files */
        n = 0;
        spin_lock(&us->lock);
        if (!range_covered(us, start, end))
            err = -ENOMEM;
        for (struct uvma *v = find(us, from); !err && v && v->start < end && n < SYNC_MAX; v = v->next) {
            from = v->end;
            if (!tracks_dirty(v))
                continue;
            vmm_scan(us->vm, v->start > start ? v->start : start, (v->end < end ? v->end : end) -
                     (v->start > start ? v->start : start), clean_page, NULL, v);
            uobj_get(v->obj);
            objs[n++] = v->obj;
        }
        spin_unlock(&us->lock);
        for (unsigned i = 0; i < n; i++) {
            if (wait && (r = uobj_sync(objs[i])) && !err)
                err = r;
            uobj_put(objs[i]);
        }
    } while (!err && n == SYNC_MAX && from < end);
    return err;
}

/* --- fork ------------------------------------------------------------------------------ */

/*
 * One page of the parent that vmm_copy does not copy-on-write itself
 * (its fn, ctx the VMA): a large page is copied (it has no count: large
 * pages are a private heap's); a shared page, or a private one still its
 * file's, keeps its rights in both (the object holds the frame: no
 * count); any other private page becomes read-only in both, counted.
 */
static int fork_page(void *ctx, struct mmu_page *pg)
{
    const struct uvma *v = ctx;
    uint64_t copy;

    if (pg->size != PAGE) {
        if ((copy = mm_frame_alloc_2m()) == PMM_NONE)
            return -ENOMEM;
        memcpy(arch_phys_to_virt(copy), arch_phys_to_virt(pg->pa), pg->size);
        pg->pa = copy;
        return MMU_COPY_CHILD;
    }
    if (v->shared || borrowed(v, pg->va, pg->pa))
        return MMU_COPY_CHILD;
    frame_ref_share(pg->pa);
    return MMU_COPY_READONLY;
}

/*
 * The child's VMAs are copies of the parent's, and its tables map every
 * page the parent's map (vmm_copy, a VMA at a time; private anonymous
 * memory, most of a process, copy-on-write without a call per page), so
 * it has as many pages resident.
 */
struct uspace *uspace_fork(struct uspace *src)
{
    struct uspace *dst = uspace_create();
    struct uvma **tail, *c;
    int err = 0;

    if (!dst)
        return NULL;
    tail = &dst->vmas;
    spin_lock(&src->lock);
    for (struct uvma *v = src->vmas; v && !err; v = v->next) {
        if (!(c = kmalloc(sizeof *c))) {
            err = -ENOMEM;
            break;
        }
        *c = *v;
        c->next = NULL;
        if (c->obj)
            uobj_get(c->obj);
        *tail = c;
        tail = &c->next;
        vma_tree_insert(&dst->tree, c);
        err = vmm_copy(src->vm, dst->vm, v->start, v->end - v->start, !v->shared && !v->obj, fork_page, v);
    }
    dst->brk_start = src->brk_start;
    dst->brk = src->brk;
    dst->resident = src->resident;
    spin_unlock(&src->lock);
    if (err) {
        uspace_put(dst);                /* gives back the counts taken so far */
        return NULL;
    }
    return dst;
}

/* --- faults and the loader's writes ------------------------------------------------------- */

/*
 * The frame behind the page at va, mapping one with v's rights if none:
 * a shared VMA's from its object (a file's read-only until written), a
 * private one's its file's page read-only (copied when written, as after
 * fork), or a zeroed frame. 0 when out of memory, or past the end of a
 * shared file.
 */
static uint64_t page_frame(struct uspace *us, const struct uvma *v, uint64_t va)
{
    uint64_t pa = vmm_translate(us->vm, va), frame;

    if (pa)
        return pa;
    if (v->shared) {
        unsigned f = vmm_flags(v->prot) & ~(tracks_dirty(v) ? VMM_WRITE : 0);
        frame = uobj_frame(v->obj, obj_index(v, va));
        if (!frame || vmm_map(us->vm, va, frame, PAGE, f) != 0)
            return 0;
    } else if (v->obj && (frame = uobj_frame(v->obj, obj_index(v, va)))) {
        /* A private page of a file: the file's page itself, read-only until written (break_cow copies). */
        if (vmm_map(us->vm, va, frame, PAGE, vmm_flags(v->prot) & ~VMM_WRITE) != 0)
            return 0;
    } else {
        if ((frame = mm_zeroed_frame()) == PMM_NONE)
            return 0;
        if (vmm_map(us->vm, va, frame, PAGE, vmm_flags(v->prot)) != 0) {
            mm_frame_free(frame);
            return 0;
        }
    }
    us->resident++;
    return frame;
}

int uspace_write(struct uspace *us, uint64_t va, const void *src, uint64_t n)
{
    while (n) {
        uint64_t page = PAGE_DOWN(va), off = va - page, chunk = PAGE - off, pa = 0;
        struct uvma *v;

        if (chunk > n)
            chunk = n;
        spin_lock(&us->lock);
        v = find_grow(us, va);
        if (v && (pa = page_frame(us, v, page)) && !v->shared &&
            (frame_ref_shared(PAGE_DOWN(pa)) || borrowed(v, page, PAGE_DOWN(pa)))) {
            pa = break_cow(us, v, page, 1) ? 0 : vmm_translate(us->vm, page);  /* never into a sharer's frame */
        }
        spin_unlock(&us->lock);
        if (!v)
            return -EFAULT;
        if (!pa)
            return -ENOMEM;
        pa = PAGE_DOWN(pa);
        if (src)
            memcpy((char *)arch_phys_to_virt(pa) + off, src, chunk);
        else
            memset((char *)arch_phys_to_virt(pa) + off, 0, chunk);
        va += chunk;
        n -= chunk;
        if (src)
            src = (const char *)src + chunk;
    }
    return 0;
}

/* 1 when v's rights allow the access (a read is allowed by any right: x86 cannot refuse it). */
static int allowed(const struct uvma *v, unsigned access)
{
    if (!(v->prot & (USPACE_R | USPACE_W | USPACE_X)))
        return 0;
    if ((access & MMU_FAULT_WRITE) && !(v->prot & USPACE_W))
        return 0;
    return !(access & MMU_FAULT_EXEC) || (v->prot & USPACE_X);
}

/*
 * A present page refused an access its VMA allows: a copy-on-write page
 * written, or rights another CPU widened since this one cached the entry.
 * break_cow gives the page its VMA's rights (copying it when shared), and
 * the access is tried again. (A kernel access that SMAP refused would come
 * here too, and be retried for ever; the kernel touches user memory only
 * through usercopy.asm, which allows it.)
 *
 * Out of memory, proc_oom_kill (kernel/proc/oom.c) ends the largest process
 * (with the space's lock dropped: it takes the process lock and signals);
 * when it did, the access is tried again, once the victim's frames are
 * back; else the fault is this process's.
 */
int uspace_fault(struct uspace *us, uint64_t addr, unsigned access)
{
    struct uvma *v;
    int done = 0, oom = 0;

    spin_lock(&us->lock);
    v = find_grow(us, addr);
    if (v && allowed(v, access)) {
        if (access & MMU_FAULT_PRESENT)
            done = break_cow(us, v, PAGE_DOWN(addr), (access & MMU_FAULT_WRITE) != 0) == 0;
        else
            done = map_huge(us, v, addr) || page_frame(us, v, PAGE_DOWN(addr)) != 0;
        if (done)
            us->faults++;
        else                            /* past the end of a shared file is no lack of memory */
            oom = !(v->shared && v->obj->file);
    }
    spin_unlock(&us->lock);
    if (oom) {
        printk(LOG_WARN, "[mm] out of memory at 0x%llx (%llu pages resident here)\n", (unsigned long long)addr,
               (unsigned long long)us->resident);
        done = proc_oom_kill((access & MMU_FAULT_USER) != 0);
    }
    return done;
}

int uspace_page_fault(uint64_t addr, unsigned access)
{
    struct thread *t = sched_current();
    struct uspace *us = t && t->space ? t->space->user : NULL;

    return us ? uspace_fault(us, addr, access) : 0;
}
