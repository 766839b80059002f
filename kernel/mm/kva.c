/*
 * kva.c - kernel virtual allocations (see kva.h).
 *
 * The regions are kept sorted by address in one table, an array from the
 * heap that doubles when full (no fixed cap). An allocation takes the first
 * gap that holds its guard page, its alignment and its size, and maps its
 * pages at once (frames zeroed) unless it is lazy; a lazy page is mapped by
 * kva_page_fault on its first touch. A region's guard page stays unmapped
 * for as long as the region lives.
 *
 * Locking: kva_lock guards the table and the statistics; the *_locked
 * functions assert it. Lock order: kva_lock, then the kernel space's lock
 * (vmm.c), then the frames lock. The heap's lock is never taken inside
 * kva_lock: the table grows outside it (lock_with_room).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "format.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "sync/spinlock.h"

#define PAGE        4096ULL
#define HUGE_PAGE   (2ULL << 20)
#define FIRST_SLOTS 64              /* the table's first size; it doubles from there */

struct region {
    uint64_t start, size;       /* the mapped part */
    uint64_t handle;            /* what kva_alloc / kva_map_mmio returned: what kva_free takes */
    uint64_t phys;              /* KVA_MMIO: the device's address */
    unsigned flags;
    const char *name;
};

static struct spinlock kva_lock = SPINLOCK_INIT("kva");
static struct region *regions;          /* `count` in use of `slots`, sorted by start */
static unsigned count, slots;
static struct kva_stats st;

/* A bigger table for the regions, made outside the lock; swapped in if nobody did meanwhile. */
static int grow(unsigned want)
{
    struct region *bigger = kmalloc(want * sizeof *bigger), *old = NULL;

    if (!bigger)
        return -1;
    spin_lock(&kva_lock);
    if (slots < want) {
        if (count)
            memcpy(bigger, regions, count * sizeof *bigger);
        old = regions;
        regions = bigger;
        slots = want;
        bigger = NULL;
    }
    spin_unlock(&kva_lock);
    kfree(old);
    kfree(bigger);
    return 0;
}

/* Take kva_lock with a free slot in the table: 0, or -1 (not locked) when memory is out. */
static int lock_with_room(void)
{
    for (;;) {
        unsigned want;

        spin_lock(&kva_lock);
        if (count < slots)
            return 0;
        want = slots ? 2 * slots : FIRST_SLOTS;
        spin_unlock(&kva_lock);
        if (grow(want) != 0)
            return -1;
    }
}

static uint64_t guard_of(const struct region *r)
{
    return r->flags & KVA_GUARD && !MUTANT_ENABLED(guard) ? PAGE : 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* The region whose guard page or mapped part holds addr, or NULL. */
static struct region *region_at(uint64_t addr)
{
    unsigned lo = 0, hi = count;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        struct region *r = &regions[mid];
        if (addr < r->start - guard_of(r))
            hi = mid;
        else if (addr >= r->start + r->size)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

/* Reserve address space: first fit; returns the region (not yet mapped) or NULL. */
static struct region *reserve(uint64_t size, uint64_t align, unsigned flags, const char *name)
{
    uint64_t guard = flags & KVA_GUARD && !MUTANT_ENABLED(guard) ? PAGE : 0, cursor = KVA_BASE;
    unsigned i;

    if (count == slots)
        return NULL;
    for (i = 0; i <= count; i++) {
        uint64_t limit = i < count ? regions[i].start - guard_of(&regions[i]) : KVA_BASE + KVA_SIZE;
        uint64_t start = align_up(cursor + guard, align);
        if (start + size <= limit)
            break;
        if (i < count)
            cursor = regions[i].start + regions[i].size;
    }
    if (i > count)
        return NULL;
    memmove(&regions[i + 1], &regions[i], (count - i) * sizeof regions[0]);
    count++;
    regions[i] = (struct region){ .start = align_up(cursor + guard, align), .size = size, .flags = flags,
                                  .name = name };
    regions[i].handle = regions[i].start;
    return &regions[i];
}

static void forget(struct region *r)
{
    unsigned i = (unsigned)(r - regions);

    memmove(&regions[i], &regions[i + 1], (count - i - 1) * sizeof regions[0]);
    count--;
}

/* Unmap a region's pages, giving its frames back (not a device's): one TLB shootdown. */
static void unmap_region(const struct region *r)
{
    if (r->flags & KVA_MMIO)
        vmm_unmap(vmm_kernel_space(), r->start, r->size);
    else
        vmm_unmap_frames(vmm_kernel_space(), r->start, r->size);
}

/* The rights a region's pages get (vmm.h flags). */
static unsigned region_vflags(const struct region *r)
{
    return VMM_WRITE | (r->flags & KVA_EXEC ? VMM_EXEC : 0) | (r->flags & KVA_HUGE ? VMM_HUGE : 0);
}

static int back_region(const struct region *r)
{
    unsigned vflags = region_vflags(r);
    uint64_t step = r->flags & KVA_HUGE ? HUGE_PAGE : PAGE;

    for (uint64_t off = 0; off < r->size; off += step) {
        uint64_t f = r->flags & KVA_HUGE ? mm_frame_alloc_2m() : mm_frame_alloc();
        if (!f)
            return -1;
        memset(arch_phys_to_virt(f), 0, step);
        if (vmm_map(vmm_kernel_space(), r->start + off, f, step, vflags) != 0) {
            r->flags & KVA_HUGE ? mm_frame_free_2m(f) : mm_frame_free(f);
            return -1;
        }
    }
    return 0;
}

static uint64_t alloc_locked(uint64_t size, unsigned flags, const char *name)
{
    uint64_t align = flags & KVA_HUGE ? HUGE_PAGE : PAGE;
    struct region *r;

    spin_assert_held(&kva_lock);
    flags &= ~KVA_MMIO;
    if (size == 0 || !(r = reserve(align_up(size, align), align, flags, name)))
        return 0;
    if (!(flags & KVA_LAZY) && back_region(r) != 0) {
        unmap_region(r);
        forget(r);
        return 0;
    }
    st.regions++;
    st.bytes += r->size;
    return r->start;
}

uint64_t kva_alloc(uint64_t size, unsigned flags, const char *name)
{
    uint64_t va;

    if (lock_with_room() != 0)
        return 0;
    va = alloc_locked(size, flags, name);
    spin_unlock(&kva_lock);
    return va;
}

static uint64_t mmio_locked(uint64_t phys, uint64_t size, unsigned cache, const char *name)
{
    uint64_t off = phys & (PAGE - 1);
    struct region *r;

    spin_assert_held(&kva_lock);
    if (!(r = reserve(align_up(size + off, PAGE), PAGE, KVA_MMIO, name)))
        return 0;
    r->phys = phys - off;
    r->handle = r->start + off;
    if (vmm_map(vmm_kernel_space(), r->start, r->phys, r->size, VMM_WRITE | cache) != 0) {
        vmm_unmap(vmm_kernel_space(), r->start, r->size);
        forget(r);
        return 0;
    }
    st.regions++;
    st.bytes += r->size;
    return r->start + off;
}

uint64_t kva_map_mmio(uint64_t phys, uint64_t size, unsigned cache, const char *name)
{
    uint64_t va;

    if (lock_with_room() != 0)
        return 0;
    va = mmio_locked(phys, size, cache, name);
    spin_unlock(&kva_lock);
    return va;
}

/* 1 and the region gone when va is what kva_alloc returned for it; else 0 and *why says what va is. */
static int free_locked(uint64_t va, char *why, size_t size)
{
    struct region *r = region_at(va);

    spin_assert_held(&kva_lock);
    if (!r || (va != r->handle && !MUTANT_ENABLED(kva_interior))) {
        if (r)
            format_snprintf(why, size, "kva_free: inside '%s' (0x%llx), not its start: refused", r->name,
                            (unsigned long long)r->handle);
        else
            format_snprintf(why, size, "kva_free: not a kernel allocation: refused");
        st.bad_frees++;
        return 0;
    }
    unmap_region(r);
    st.regions--;
    st.bytes -= r->size;
    forget(r);
    return 1;
}

void kva_free(uint64_t va)
{
    char why[128];
    int freed;

    if (!va)
        return;
    spin_lock(&kva_lock);
    freed = free_locked(va, why, sizeof why);
    spin_unlock(&kva_lock);
    if (!freed)
        mm_report_bad(why, va, __builtin_return_address(0));
}

/*
 * Another CPU's first touch of the same lazy page got the lock first and
 * mapped it while this CPU was faulting: the page is there, with the
 * region's rights, and the access only has to be tried again.
 */
static int mapped_by_other_cpu(const struct region *r, uint64_t va)
{
    uint64_t size, e = vmm_entry(vmm_kernel_space(), va, &size);

    return e && vmm_entry_grants(e, region_vflags(r));
}

static int fault_locked(uint64_t addr, unsigned access)
{
    struct region *r;
    uint64_t frame, page = addr & ~(PAGE - 1);

    spin_assert_held(&kva_lock);
    if ((access & (MMU_FAULT_PRESENT | MMU_FAULT_USER)) || !(r = region_at(addr)) || addr < r->start ||
        !(r->flags & KVA_LAZY))
        return 0;
    if (mapped_by_other_cpu(r, page) && !MUTANT_ENABLED(lazy_race)) {
        st.lazy_raced++;
        return 1;
    }
    if (!(frame = mm_zeroed_frame()))
        return 0;                   /* out of memory: the fault report says where */
    if (vmm_map(vmm_kernel_space(), page, frame, PAGE, region_vflags(r)) != 0) {
        mm_frame_free(frame);
        return 0;
    }
    st.lazy_faults++;
    return 1;
}

/* A fault with kva_lock held would be a bug in this file: the lock checker says so. */
int kva_page_fault(uint64_t addr, unsigned access)
{
    int handled;

    spin_lock(&kva_lock);
    handled = fault_locked(addr, access);
    spin_unlock(&kva_lock);
    return handled;
}

/* The fault report's path, perhaps on a CPU that already holds kva_lock
 * (a fault in this file): reads the table without the lock, on purpose. */
const char *kva_explain(uint64_t addr, char *buf, size_t size)
{
    struct region *r = region_at(addr);

    if (!r || addr >= r->start)
        return NULL;
    format_snprintf(buf, size, "stack overflow on '%s' (its guard page 0x%llx was hit)", r->name,
                    (unsigned long long)(r->start - PAGE));
    return buf;
}

struct kva_stats kva_stats(void)
{
    return st;
}
