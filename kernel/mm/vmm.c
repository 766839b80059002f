/*
 * vmm.c - the kernel's address spaces and its own page tables (see vmm.h).
 *
 * What is mapped where is decided here; how a page-table tree is walked
 * and edited, and how CPUs forget stale translations, is the
 * architecture's (kernel/arch/mmu_arch.h: mmu_map, mmu_unmap,
 * mmu_protect, mmu_switch ...; x86_64's in kernel/arch/x86_64/mmu.c).
 *
 * Locking: a space's lock guards its page tables (the kernel space's: the
 * kernel half, which every space shares); each exported call takes it and
 * runs a *_locked function, which asserts it is held. Lock order: kva's
 * lock, a space's lock, then the frames lock and the TLB shootdown lock.
 * A flush of a space's lower half goes to the CPUs of its mask, the
 * kernel half's to every CPU (flush_cpus).
 */
#include <stdint.h>

#include "arch.h"
#include "arch/cpu_local.h"
#include "arch/mmu_arch.h"
#include "errno.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "panic.h"
#include "printk.h"
#include "sync/spinlock.h"

extern const char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern const char __data_start[], __kernel_start[], __kernel_end[], __boot_stack_guard[];

static struct vmm_space kernel_space = { .lock = SPINLOCK_INIT("kernel space"), .refs = 1 };

struct vmm_space *vmm_kernel_space(void)
{
    return &kernel_space;
}

struct vmm_features vmm_features(void)
{
    return mmu_features();
}

/*
 * Who must forget a change: the kernel half is every CPU's (NULL); another
 * space's lower half only the CPUs that have it loaded (its mask, read
 * under the shootdown lock: a CPU that loads it later reads the tables as
 * they are now).
 */
static const volatile uint64_t *flush_cpus(const struct vmm_space *s)
{
    return s == &kernel_space ? NULL : &s->cpus;
}

/* The kernel half belongs to the kernel space: another space may not change it. */
static int range_ok(const struct vmm_space *s, uint64_t va, uint64_t size)
{
    return s == &kernel_space || (va < VMM_KERNEL_HALF && size <= VMM_KERNEL_HALF - va);
}

static int map_locked(struct vmm_space *s, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    spin_assert_held(&s->lock);
    return mmu_map(s->pml4, flush_cpus(s), va, pa, size, flags);
}

int vmm_map(struct vmm_space *s, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    int r = -1;

    if (!range_ok(s, va, size))
        return -1;
    spin_lock(&s->lock);
    r = map_locked(s, va, pa, size, flags);
    spin_unlock(&s->lock);
    return r;
}


/* Clear, flush once, and with give_frames free the frames that were mapped (vmm_unmap_frames). */
static void unmap_locked(struct vmm_space *s, uint64_t va, uint64_t size, int give_frames)
{
    spin_assert_held(&s->lock);
    mmu_unmap(s->pml4, flush_cpus(s), va, size, give_frames);
}

static void unmap(struct vmm_space *s, uint64_t va, uint64_t size, int give_frames)
{
    if (!range_ok(s, va, size))
        return;
    spin_lock(&s->lock);
    unmap_locked(s, va, size, give_frames);
    spin_unlock(&s->lock);
}

void vmm_unmap(struct vmm_space *s, uint64_t va, uint64_t size)
{
    unmap(s, va, size, 0);
}

void vmm_unmap_frames(struct vmm_space *s, uint64_t va, uint64_t size)
{
    unmap(s, va, size, 1);
}

static int protect_locked(struct vmm_space *s, uint64_t va, uint64_t size, unsigned flags)
{
    spin_assert_held(&s->lock);
    return mmu_protect(s->pml4, flush_cpus(s), va, size, flags);
}

int vmm_protect(struct vmm_space *s, uint64_t va, uint64_t size, unsigned flags)
{
    int r;

    if (!range_ok(s, va, size))
        return -1;
    spin_lock(&s->lock);
    r = protect_locked(s, va, size, flags);
    spin_unlock(&s->lock);
    return r;
}

int vmm_scan(struct vmm_space *s, uint64_t va, uint64_t size, mmu_scan_fn *fn, mmu_release_fn *release,
             void *ctx)
{
    int r;

    if (!range_ok(s, va, size))
        return -EINVAL;
    spin_lock(&s->lock);
    r = mmu_scan(s->pml4, flush_cpus(s), va, size, fn, release, ctx);
    spin_unlock(&s->lock);
    return r;
}

int vmm_copy(struct vmm_space *src, struct vmm_space *dst, uint64_t va, uint64_t size, int cow, mmu_scan_fn *fn,
             void *ctx)
{
    int r;

    if (src == &kernel_space || dst == &kernel_space || !range_ok(src, va, size))
        return -EINVAL;
    spin_lock(&src->lock);
    spin_lock(&dst->lock);
    r = mmu_copy(src->pml4, dst->pml4, flush_cpus(src), va, size, cow, fn, ctx);
    spin_unlock(&dst->lock);
    spin_unlock(&src->lock);
    return r;
}

void vmm_clear_lower(struct vmm_space *s, mmu_gone_fn *gone, void *ctx)
{
    if (s == &kernel_space)
        panic("vmm_clear_lower: the kernel space has no lower half of its own");
    spin_lock(&s->lock);
    mmu_clear_lower(s->pml4, flush_cpus(s), gone, ctx);
    spin_unlock(&s->lock);
}

uint64_t vmm_entry(struct vmm_space *s, uint64_t va, uint64_t *size)
{
    uint64_t entry;

    spin_lock(&s->lock);
    entry = mmu_entry(s->pml4, va, size);
    spin_unlock(&s->lock);
    return entry;
}

uint64_t vmm_translate(struct vmm_space *s, uint64_t va)
{
    uint64_t pa;

    spin_lock(&s->lock);
    pa = mmu_translate(s->pml4, va);
    spin_unlock(&s->lock);
    return pa;
}

int vmm_entry_grants(uint64_t entry, unsigned flags)
{
    return mmu_entry_grants(entry, flags);
}

/* --- address spaces ----------------------------------------------------------- */

struct vmm_space *vmm_space_create(void)
{
    struct vmm_space *s = kcalloc(1, sizeof *s);

    if (!s)
        return NULL;
    if (!(s->pml4 = mmu_root_create(kernel_space.pml4))) {
        kfree(s);
        return NULL;
    }
    spin_init(&s->lock, "address space");
    s->refs = 1;
    return s;
}

void vmm_space_get(struct vmm_space *s)
{
    __atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);
}

/* The last reference is gone: nobody else can reach s, and no CPU has it loaded. */
static void destroy(struct vmm_space *s)
{
    if (__atomic_load_n(&s->cpus, __ATOMIC_ACQUIRE))
        panic("vmm_space_put: the last reference to a space still loaded on CPUs 0x%llx",
              (unsigned long long)s->cpus);
    mmu_root_free(s->pml4);
    kfree(s);
}

void vmm_space_put(struct vmm_space *s)
{
    if (s == &kernel_space)
        panic("vmm_space_put: the kernel space is never freed");
    if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
        destroy(s);
}

void vmm_space_switch(struct vmm_space *from, struct vmm_space *to)
{
    uint64_t me = 1ULL << percpu_cpu_id();

    if (arch_irq_enabled())
        panic("vmm_space_switch: interrupts on: the caller could move to another CPU half-way");
    if (from == to)
        return;
    __atomic_fetch_or(&to->cpus, me, __ATOMIC_SEQ_CST);
    mmu_switch(to->pml4);
    __atomic_fetch_and(&from->cpus, ~me, __ATOMIC_SEQ_CST);
}

/* --- building the kernel's tables ------------------------------------------------ */

static int is_ram(uint32_t type)
{
    return type != BOOTINFO_MEM_RESERVED && type != BOOTINFO_MEM_FRAMEBUFFER && type != BOOTINFO_MEM_BAD;
}

/* Caching for the direct map's chunk [a, b): WB if it holds RAM, WC for the framebuffer, else UC. */
static unsigned chunk_cache(const struct bootinfo *bi, uint64_t a, uint64_t b)
{
    const struct bootinfo_mmap_entry *map = arch_phys_to_virt(bi->mmap);
    uint64_t fb = bi->fb.type == BOOTINFO_FB_RGB ? bi->fb.addr : 0;
    uint64_t fb_end = fb + (uint64_t)bi->fb.pitch * bi->fb.height;

    for (unsigned i = 0; i < bi->mmap_count; i++)
        if (is_ram(map[i].type) && map[i].base < b && map[i].base + map[i].length > a)
            return 0;
    if (fb && fb < b && fb_end > a)
        return VMM_WC;
    return VMM_UNCACHED;
}

/*
 * The direct map: RAM at its top end, the first 4 GiB whatever they hold,
 * there in large-page chunks each cached as it holds (chunk_cache); above
 * in the largest pages the MMU has, write-back.
 */
static int map_direct(const struct bootinfo *bi, uint64_t *top_out)
{
    const struct bootinfo_mmap_entry *map = arch_phys_to_virt(bi->mmap);
    const uint64_t low = 4ULL << 30;
    uint64_t top = low;

    for (unsigned i = 0; i < bi->mmap_count; i++)
        if (is_ram(map[i].type) && map[i].base + map[i].length > top)
            top = map[i].base + map[i].length;
    top = (top + MMU_LARGE_PAGE - 1) & ~(MMU_LARGE_PAGE - 1);
    for (uint64_t a = 0; a < low; a += MMU_LARGE_PAGE) {
        unsigned cache = chunk_cache(bi, a, a + MMU_LARGE_PAGE);
        if (vmm_map(&kernel_space, ARCH_HHDM_BASE + a, a, MMU_LARGE_PAGE, VMM_WRITE | VMM_HUGE | cache) != 0)
            return -1;
    }
    if (top > low && vmm_map(&kernel_space, ARCH_HHDM_BASE + low, low, top - low, VMM_WRITE | VMM_HUGE) != 0)
        return -1;
    *top_out = top;
    return 0;
}

static int map_image_part(const struct bootinfo *bi, const char *start, const char *end, unsigned flags)
{
    uint64_t va = (uint64_t)(uintptr_t)start & ~(MMU_PAGE_SIZE - 1);
    uint64_t va_end = ((uint64_t)(uintptr_t)end + MMU_PAGE_SIZE - 1) & ~(MMU_PAGE_SIZE - 1);

    return vmm_map(&kernel_space, va, bi->kernel_phys + (va - bi->kernel_virt), va_end - va, flags);
}

int vmm_init(const struct bootinfo *bi)
{
    uint64_t top = 0;
    struct vmm_features cpu;

    mmu_probe();
    cpu = mmu_features();
    if (!(kernel_space.pml4 = mmu_kernel_root_create()))
        return -1;
    if (map_image_part(bi, __text_start, __text_end, VMM_EXEC) ||
        map_image_part(bi, __rodata_start, __rodata_end, 0) ||
        map_image_part(bi, __data_start, __boot_stack_guard, VMM_WRITE) ||
        map_image_part(bi, __boot_stack_guard + MMU_PAGE_SIZE, __kernel_end, VMM_WRITE) || map_direct(bi, &top))
        return -1;
    mmu_enable(kernel_space.pml4);
    printk(LOG_INFO, "[vmm] own page tables at 0x%llx: text R-X, rodata R--, data RW- NX; direct map of "
           "%llu GiB in %s pages; identity map gone\n", (unsigned long long)kernel_space.pml4,
           (unsigned long long)(top >> 30), cpu.gib_pages ? "1 GiB" : "2 MiB");
    printk(LOG_INFO, "[vmm] NX %s, WP on, SMEP %s, SMAP %s, UMIP %s, PAT %s\n", cpu.nx ? "on" : "absent",
           cpu.smep ? "on" : "absent", cpu.smap ? "on" : "absent", cpu.umip ? "on" : "absent",
           cpu.pat ? "on (framebuffer write-combining)" : "absent");
    return 0;
}
