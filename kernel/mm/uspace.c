/*
 * uspace.c - a process's address space: the sorted VMA list, demand-zero
 * faults, brk, the mmap search, and the loader's writes (see uspace.h).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "errno.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/uspace.h"
#include "mutant.h"
#include "printk.h"
#include "sched/sched.h"

#define PAGE            MMU_PAGE_SIZE
#define PAGE_DOWN(a)    ((a) & ~(PAGE - 1))
#define PAGE_UP(a)      (((a) + PAGE - 1) & ~(PAGE - 1))

struct uspace *uspace_create(void)
{
    struct uspace *us = kcalloc(1, sizeof *us);

    if (!us)
        return NULL;
    if (!(us->vm = vmm_space_create())) {
        kfree(us);
        return NULL;
    }
    spin_init(&us->lock, "uspace");
    us->vm->user = us;
    return us;
}

void uspace_destroy(struct uspace *us)
{
    struct uvma *v, *next;

    spin_lock(&us->lock);
    v = us->vmas;
    us->vmas = NULL;
    spin_unlock(&us->lock);
    for (; v; v = next) {
        next = v->next;
        if (MUTANT_ENABLED(uspace_free))
            vmm_unmap(us->vm, v->start, v->end - v->start);        /* the frames leak */
        else
            vmm_unmap_frames(us->vm, v->start, v->end - v->start);
        kfree(v);
    }
    us->vm->user = NULL;
    vmm_space_put(us->vm);
    kfree(us);
}

/* The page-table rights of a VMA's pages. */
static unsigned vmm_flags(unsigned prot)
{
    return VMM_USER | (prot & USPACE_W ? VMM_WRITE : 0) | (prot & USPACE_X ? VMM_EXEC : 0);
}

/* The VMA holding addr, or NULL; us->lock held. */
static struct uvma *find(struct uspace *us, uint64_t addr)
{
    for (struct uvma *v = us->vmas; v && v->start <= addr; v = v->next)
        if (addr < v->end)
            return v;
    return NULL;
}

/* Where a VMA starting at `start` goes in the list: the link that will point at it; us->lock held. */
static struct uvma **slot_for(struct uspace *us, uint64_t start)
{
    struct uvma **pp = &us->vmas;

    while (*pp && (*pp)->start < start)
        pp = &(*pp)->next;
    return pp;
}

/* 1 when [start, end) touches no VMA; us->lock held. */
static int range_free(struct uspace *us, uint64_t start, uint64_t end)
{
    if (MUTANT_ENABLED(vma_overlap))
        return 1;
    for (struct uvma *v = us->vmas; v && v->start < end; v = v->next)
        if (v->end > start)
            return 0;
    return 1;
}

static int range_ok(uint64_t start, uint64_t len)
{
    return len && !(start & (PAGE - 1)) && !(len & (PAGE - 1)) && start >= USPACE_MIN &&
           start + len > start && start + len <= USPACE_STACK_TOP;
}

int uspace_map(struct uspace *us, uint64_t start, uint64_t len, unsigned prot, enum uspace_kind kind)
{
    struct uvma *v, **pp;

    if (!range_ok(start, len))
        return -EINVAL;
    if (kind != USPACE_STACK && start + len > USPACE_MMAP_TOP)
        return -ENOMEM;                 /* the stack and its guard gap are the stack's alone */
    if (!(v = kcalloc(1, sizeof *v)))
        return -ENOMEM;
    *v = (struct uvma){ start, start + len, prot, kind, NULL };
    spin_lock(&us->lock);
    if (!range_free(us, v->start, v->end)) {
        spin_unlock(&us->lock);
        kfree(v);
        return -EEXIST;
    }
    pp = slot_for(us, start);
    v->next = *pp;
    *pp = v;
    spin_unlock(&us->lock);
    return 0;
}

/*
 * Cut [start, end) out of the list: VMAs inside go, those across an end
 * shrink, one across both is split (its upper part into *spare, which the
 * caller allocated). us->lock held.
 */
static void cut(struct uspace *us, uint64_t start, uint64_t end, struct uvma **spare)
{
    struct uvma **pp = &us->vmas, *v;

    while ((v = *pp) && v->start < end) {
        if (v->end <= start) {
            pp = &v->next;
        } else if (v->start >= start && v->end <= end) {
            *pp = v->next;
            kfree(v);
        } else if (v->start < start && v->end > end) {
            struct uvma *up = *spare;
            *spare = NULL;
            *up = (struct uvma){ end, v->end, v->prot, v->kind, v->next };
            v->end = start;
            v->next = up;
            return;
        } else if (v->start < start) {
            v->end = start;
            pp = &v->next;
        } else {
            v->start = end;
            return;
        }
    }
}

int uspace_unmap(struct uspace *us, uint64_t start, uint64_t len)
{
    struct uvma *spare;

    len = PAGE_UP(len);
    if (!range_ok(start, len))
        return -EINVAL;
    if (!(spare = kcalloc(1, sizeof *spare)))
        return -ENOMEM;
    spin_lock(&us->lock);
    cut(us, start, start + len, &spare);
    spin_unlock(&us->lock);
    kfree(spare);
    vmm_unmap_frames(us->vm, start, len);
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

/* The frame behind the page at va, mapping a zeroed one with v's rights if none; 0 when out of memory. */
static uint64_t page_frame(struct uspace *us, const struct uvma *v, uint64_t va)
{
    uint64_t pa = vmm_translate(us->vm, va), frame;

    if (pa)
        return pa;
    if ((frame = mm_zeroed_frame()) == PMM_NONE)
        return 0;
    if (vmm_map(us->vm, va, frame, PAGE, vmm_flags(v->prot)) != 0) {
        mm_frame_free(frame);
        return 0;
    }
    return frame;
}

int uspace_write(struct uspace *us, uint64_t va, const void *src, uint64_t n)
{
    while (n) {
        uint64_t page = PAGE_DOWN(va), off = va - page, chunk = PAGE - off, pa;
        struct uvma *v;

        if (chunk > n)
            chunk = n;
        spin_lock(&us->lock);
        v = find(us, va);
        pa = v ? page_frame(us, v, page) : 0;
        spin_unlock(&us->lock);
        if (!v)
            return -EFAULT;
        if (!pa)
            return -ENOMEM;
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
    if (!v->prot)
        return 0;
    if ((access & MMU_FAULT_WRITE) && !(v->prot & USPACE_W))
        return 0;
    return !(access & MMU_FAULT_EXEC) || (v->prot & USPACE_X);
}

int uspace_page_fault(uint64_t addr, unsigned access)
{
    struct thread *t = sched_current();
    struct uspace *us = t && t->space ? t->space->user : NULL;
    struct uvma *v;
    int done = 0;

    /* A present page refused the access: rights, or SMAP. Nothing to map (no copy-on-write yet). */
    if (!us || (access & MMU_FAULT_PRESENT))
        return 0;
    spin_lock(&us->lock);
    v = find(us, addr);
    if (v && allowed(v, access) && page_frame(us, v, PAGE_DOWN(addr))) {
        us->faults++;
        done = 1;
    }
    spin_unlock(&us->lock);
    return done;
}
