/*
 * mm.c - bringing the kernel's memory up (see mm.h).
 *
 * The frame allocator's metadata (pmm_metadata_bytes: the bitmaps) goes
 * into the first usable range large enough for it; pmm_init then marks
 * those frames allocated. The heap's page descriptors (one word per frame)
 * are frames from the allocator itself. Both are reached through the
 * direct map, which covers all physical memory in the loader's tables and
 * in the kernel's own.
 *
 * Problems the allocators find (double free, a pointer the heap never
 * returned, a red zone overwritten) are logged with the caller's name and
 * counted; only a caller that cannot go on panics.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/cpu_local.h"
#include "arch/mmu_arch.h"
#include "cmdline.h"
#include "format.h"
#include "ksyms.h"
#include "mm/frame_ref.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "mm/uspace.h"
#include "mm/vmm.h"
#include "panic.h"
#include "printk.h"
#include "sync/spinlock.h"

extern const char __boot_stack_guard[];

static struct pmm frames;
static uint64_t low_page;
static struct page_source heap_pages;

/*
 * Lock order (docs/locking.md): heap_lock, kva's lock, then frames_lock.
 * The heap's lock is taken by heap.c and slab.c through heap_guard;
 * frames_lock by pmm.c's per-CPU layer through frames_guard, and around
 * every other call into the frame allocator after boot. A CPU's own caches
 * (slab.c, pmm.c) are guarded by turning interrupts off on it.
 */
static struct spinlock heap_lock = SPINLOCK_INIT("heap");
static struct spinlock frames_lock = SPINLOCK_INIT("frames");

static void heap_lock_take(void) { spin_lock(&heap_lock); }
static void heap_lock_drop(void) { spin_unlock(&heap_lock); }
static int heap_lock_held(void) { return spin_held(&heap_lock); }
static void frames_lock_take(void) { spin_lock(&frames_lock); }
static void frames_lock_drop(void) { spin_unlock(&frames_lock); }
static int frames_lock_held(void) { return spin_held(&frames_lock); }

static unsigned cpu_enter(uint64_t *flags)
{
    *flags = arch_irq_save();
    return percpu_cpu_id();
}

static void cpu_leave(uint64_t flags)
{
    arch_irq_restore(flags);
}

static const struct mm_guard heap_guard = { heap_lock_take, heap_lock_drop, heap_lock_held, cpu_enter, cpu_leave,
                                            NULL };
static const struct mm_guard frames_guard = { frames_lock_take, frames_lock_drop, frames_lock_held, cpu_enter,
                                              cpu_leave, arch_call_cpu };

struct pmm *mm_frames(void)
{
    return &frames;
}

uint64_t mm_low_page(void)
{
    return low_page;
}

void mm_report_bad(const char *what, uint64_t addr, const void *caller)
{
    char who[96];

    ksyms_describe((uint64_t)(uintptr_t)caller, who, sizeof who);
    printk(LOG_ERR, "[mm] %s at 0x%llx, from %s\n", what, (unsigned long long)addr, who);
}

static void report_problem(void *ctx, const char *what, uint64_t addr, const void *caller)
{
    (void)ctx;
    mm_report_bad(what, addr, caller);
}

static void report_heap(void *ctx, const char *what, const void *ptr, const void *caller)
{
    report_problem(ctx, what, (uint64_t)(uintptr_t)ptr, caller);
}

static void *heap_page_alloc(void *ctx, size_t n)
{
    uint64_t phys;

    (void)ctx;
    spin_lock(&frames_lock);
    phys = n == 1 ? pmm_alloc(&frames) : pmm_alloc_contig(&frames, n, PMM_FRAME_SIZE, ~0ULL);
    spin_unlock(&frames_lock);
    return phys ? arch_phys_to_virt(phys) : NULL;
}

static void heap_page_free(void *ctx, void *addr, size_t n)
{
    (void)ctx;
    spin_lock(&frames_lock);
    pmm_free_contig(&frames, arch_virt_to_phys_hhdm(addr), n);
    spin_unlock(&frames_lock);
}

uint64_t mm_frame_alloc(void)
{
    return pmm_cpu_alloc(&frames);
}

uint64_t mm_frame_alloc_2m(void)
{
    uint64_t f;

    spin_lock(&frames_lock);
    f = pmm_alloc_2m(&frames);
    spin_unlock(&frames_lock);
    return f;
}

void mm_frame_free(uint64_t phys)
{
    pmm_cpu_free(&frames, phys);
}

void mm_frame_free_2m(uint64_t phys)
{
    spin_lock(&frames_lock);
    pmm_free_2m(&frames, phys);
    spin_unlock(&frames_lock);
}

uint64_t mm_frames_alloc_contig(uint64_t count, uint64_t align, uint64_t limit)
{
    uint64_t f;

    spin_lock(&frames_lock);
    f = pmm_alloc_contig(&frames, count, align, limit);
    spin_unlock(&frames_lock);
    return f;
}

void mm_frames_free_contig(uint64_t phys, uint64_t count)
{
    spin_lock(&frames_lock);
    pmm_free_contig(&frames, phys, count);
    spin_unlock(&frames_lock);
}

uint64_t mm_frames_free(void)
{
    uint64_t n;

    spin_lock(&frames_lock);
    n = pmm_free_total(&frames);
    spin_unlock(&frames_lock);
    return n;
}

int mm_frames_check(void)
{
    int r;

    spin_lock(&frames_lock);
    r = pmm_check(&frames);
    spin_unlock(&frames_lock);
    return r;
}

uint64_t mm_zeroed_frame(void)
{
    uint64_t f = mm_frame_alloc();

    if (f)
        memset(arch_phys_to_virt(f), 0, PMM_FRAME_SIZE);
    return f;
}

/* The first usable range that holds `bytes` (page aligned), or 0. */
static uint64_t find_room(const struct bootinfo_mmap_entry *map, unsigned n, uint64_t bytes)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t base = (map[i].base + PMM_FRAME_SIZE - 1) & ~(PMM_FRAME_SIZE - 1);
        if (map[i].type == BOOTINFO_MEM_USABLE && base && base + bytes <= map[i].base + map[i].length)
            return base;
    }
    return 0;
}

/* "heapdebug" on the command line: red zones and poison in every heap cache. */
static int debug_heap(const struct bootinfo *bi)
{
    const char *cmdline = bi->cmdline ? arch_phys_to_virt(bi->cmdline) : "";

    return cmdline_has_word(cmdline, bi->cmdline_len, "heapdebug");
}

int mm_init(const struct bootinfo *bi)
{
    const struct bootinfo_mmap_entry *map = arch_phys_to_virt(bi->mmap);
    unsigned n = bi->mmap_count;
    uint64_t meta_bytes = pmm_metadata_bytes(map, n), meta = find_room(map, n, meta_bytes);
    uint64_t desc_bytes, desc;

    if (bi->mmap_entry_size != sizeof *map || !meta) {
        printk(LOG_ERR, "[mm] no room for the frame bitmaps (%llu KiB)\n", (unsigned long long)meta_bytes >> 10);
        return -1;
    }
    if (pmm_init(&frames, map, n, arch_phys_to_virt(meta), meta, report_problem, 0) != 0)
        return -1;
    low_page = pmm_alloc_contig(&frames, 1, PMM_FRAME_SIZE, MM_LOW_LIMIT);
    desc_bytes = frames.frames * sizeof(uintptr_t);
    desc = pmm_alloc_contig(&frames, (desc_bytes + PMM_FRAME_SIZE - 1) / PMM_FRAME_SIZE, PMM_FRAME_SIZE, ~0ULL);
    if (!desc) {
        printk(LOG_ERR, "[mm] no room for the page descriptors (%llu KiB)\n", (unsigned long long)desc_bytes >> 10);
        return -1;
    }
    memset(arch_phys_to_virt(desc), 0, desc_bytes);
    heap_pages = (struct page_source){ heap_page_alloc, heap_page_free, 0, ARCH_HHDM_BASE,
                                       frames.frames, arch_phys_to_virt(desc) };
    slab_init(&heap_pages, report_heap, 0);
    slab_set_debug(debug_heap(bi));
    if (heap_init(&heap_pages) != 0)
        return -1;
    heap_set_guard(&heap_guard);
    pmm_set_cpu_cache(&frames, &frames_guard, heap_pages.desc);
    if (debug_heap(bi))
        printk(LOG_INFO, "[mm] heapdebug: red zones and poison in every heap cache\n");
    printk(LOG_INFO, "[mm] frames: %llu MiB managed, %llu MiB free; bitmaps %llu KiB at 0x%llx, "
           "page descriptors %llu KiB\n", (unsigned long long)(frames.managed_frames >> 8),
           (unsigned long long)(frames.free_frames >> 8), (unsigned long long)(meta_bytes >> 10),
           (unsigned long long)meta, (unsigned long long)(desc_bytes >> 10));
    return 0;
}

/* A guard page in a fault report: the boot stack's, or a kernel allocation's. */
static const char *explain_fault(uint64_t addr, char *buf, size_t size)
{
    uint64_t guard = (uint64_t)(uintptr_t)__boot_stack_guard;

    if (addr >= guard && addr < guard + PMM_FRAME_SIZE) {
        format_snprintf(buf, size, "stack overflow on 'boot' (its guard page 0x%llx was hit)",
                        (unsigned long long)guard);
        return buf;
    }
    return kva_explain(addr, buf, size);
}

/* The lower half belongs to the running process's address space (uspace.c). */
static int page_fault(uint64_t addr, unsigned access)
{
    if (addr >= VMM_KERNEL_HALF)
        return kva_page_fault(addr, access);
    return uspace_page_fault(addr, access);
}

int mm_init_paging(const struct bootinfo *bi)
{
    if (vmm_init(bi) != 0)
        return -1;
    arch_set_page_fault_handler(page_fault);
    arch_set_fault_explainer(explain_fault);
    if (frame_ref_init() != 0)          /* copy-on-write's counts, a word per frame (frame_ref.h) */
        return -1;
    return arch_fault_stacks_init();
}

uint64_t mm_release_loader_memory(const struct bootinfo_mmap_entry *map, unsigned n)
{
    uint64_t released = 0;

    for (unsigned i = 0; i < n; i++)
        if (map[i].type == BOOTINFO_MEM_LOADER_RECLAIM) {
            spin_lock(&frames_lock);
            released += pmm_release(&frames, map[i].base, map[i].length);
            spin_unlock(&frames_lock);
        }
    printk(LOG_INFO, "[mm] loader memory given back: %llu KiB\n", (unsigned long long)released * 4);
    return released * PMM_FRAME_SIZE;
}

void mm_report(void)
{
    struct heap_stats h = heap_stats();

    if (mm_frames_check() != 0)
        printk(LOG_ERR, "[mm] frame counters disagree with a recount of the bitmaps\n");
    printk(LOG_INFO, "[mm] meminfo: frames %llu free of %llu managed; heap %llu objects in %llu KiB of "
           "slabs, %llu large allocations in %llu pages\n", (unsigned long long)mm_frames_free(),
           (unsigned long long)frames.managed_frames, (unsigned long long)h.small_active,
           (unsigned long long)(h.small_bytes >> 10), (unsigned long long)h.large_active,
           (unsigned long long)h.large_pages);
    for (unsigned i = 0; i < HEAP_CLASSES; i++) {
        struct slab_stats s = kmem_cache_stats(heap_class(i));
        if (s.slabs)
            printk(LOG_DEBUG, "[mm]   %-13s %6llu of %6llu objects, %4llu slabs\n", heap_class(i)->name,
                   (unsigned long long)s.active, (unsigned long long)s.total, (unsigned long long)s.slabs);
    }
}
