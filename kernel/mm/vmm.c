/*
 * vmm.c - the kernel's page tables and address spaces (see vmm.h).
 *
 * Tables are frames from the frame allocator, zeroed, reached through the
 * direct map. walk() finds the entry for an address at a given level and
 * makes the tables above it on the way when asked; intermediate entries are
 * permissive (present, writable, user for user mappings): the rights live
 * in the last entry, where the CPU combines them.
 *
 * Locking: a space's lock guards its page tables (the kernel space's: the
 * kernel half, which every space shares); each exported call takes it and
 * runs a *_locked function, which asserts it is held. Lock order: kva's
 * lock, a space's lock, then the frames lock and the TLB shootdown lock.
 * A TLB shootdown is sent with the lock held: a CPU waiting for it serves
 * the request from its wait loop (tlb.h).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/x86_64/irqflags.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "panic.h"
#include "printk.h"
#include "sync/spinlock.h"

extern const char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern const char __data_start[], __kernel_start[], __kernel_end[], __boot_stack_guard[];

static struct vmm_space kernel_space = { .lock = SPINLOCK_INIT("kernel space"), .refs = 1 };
static struct vmm_features cpu;

struct vmm_space *vmm_kernel_space(void)
{
    return &kernel_space;
}

struct vmm_features vmm_features(void)
{
    return cpu;
}

static uint64_t *table(uint64_t phys)
{
    return arch_phys_to_virt(phys & PTE_ADDR);
}

/* The entry for va at level (3 PML4 .. 0 PT); tables made on the way if create. */
static uint64_t *walk(const struct vmm_space *s, uint64_t va, int level, int create, uint64_t user)
{
    uint64_t *t = table(s->pml4);

    for (int l = 3; l > level; l--) {
        uint64_t *e = &t[pt_index(va, l)];
        if (!(*e & PTE_P)) {
            uint64_t f;
            if (!create || !(f = mm_zeroed_frame()))
                return NULL;
            *e = f | PTE_P | PTE_W | user;
        } else if (*e & PTE_PS) {
            return NULL;            /* a large page covers va */
        }
        t = table(*e);
    }
    return &t[pt_index(va, level)];
}

/* A last-level entry's bits; global (kept across CR3 loads) only in the kernel half. */
static uint64_t leaf_bits(unsigned flags, int large, uint64_t va)
{
    uint64_t b = PTE_P;

    if (flags & VMM_WRITE)
        b |= PTE_W;
    if (flags & VMM_USER)
        b |= PTE_U;
    else if (cpu.pge && va >= VMM_KERNEL_HALF)
        b |= PTE_G;
    if (!(flags & VMM_EXEC) && cpu.nx && !MUTANT_ENABLED(wx))
        b |= PTE_NX;
    if (flags & VMM_UNCACHED)
        b |= PTE_PCD | PTE_PWT;                         /* PAT 3: UC */
    else if ((flags & VMM_WC) && cpu.pat)
        b |= large ? PTE_PAT_LARGE : PTE_PAT_4K;        /* PAT 4: WC */
    if (large)
        b |= PTE_PS;
    return b;
}

/* The largest page that fits at va/pa with `left` bytes to go. */
static int page_level(uint64_t va, uint64_t pa, uint64_t left, unsigned flags)
{
    if (!(flags & VMM_HUGE))
        return 0;
    if (cpu.gib_pages && !((va | pa) & (PAGE_1G - 1)) && left >= PAGE_1G)
        return 2;
    if (!((va | pa) & (PAGE_2M - 1)) && left >= PAGE_2M)
        return 1;
    return 0;
}

/*
 * After entries were cleared or narrowed: the kernel half is every CPU's,
 * so every CPU forgets the range (tlb.h); another space's lower half only
 * the CPUs that have it loaded (its mask, read under the shootdown lock:
 * a CPU that loads it later reads the tables as they are now).
 */
static void flush(const struct vmm_space *s, uint64_t va, uint64_t size)
{
    if (s == &kernel_space)
        tlb_flush_range(va, size);
    else
        tlb_flush_cpus(&s->cpus, va, size);
}

/* The kernel half belongs to the kernel space: another space may not change it. */
static int range_ok(const struct vmm_space *s, uint64_t va, uint64_t size)
{
    return s == &kernel_space || (va < VMM_KERNEL_HALF && size <= VMM_KERNEL_HALF - va);
}

/*
 * The last-level entry for va (a PTE, or a PDE/PDPTE with PS) and its size;
 * `need` PTE_P for a mapping, 0 for an entry vmm_unmap_frames cleared but
 * kept the address of (its PS bit kept too).
 */
static uint64_t *leaf(const struct vmm_space *s, uint64_t va, uint64_t *span, uint64_t need)
{
    uint64_t *t = table(s->pml4);

    for (int l = 3; l >= 0; l--) {
        uint64_t *e = &t[pt_index(va, l)];
        if (!*e || (*e & need) != need)
            return NULL;
        if (l == 0 || (l <= 2 && (*e & PTE_PS))) {
            *span = 1ULL << (12 + 9 * l);
            return e;
        }
        if (!(*e & PTE_P))
            return NULL;
        t = table(*e);
    }
    return NULL;
}

static int table_empty(uint64_t entry)
{
    const uint64_t *t = table(entry);

    for (unsigned i = 0; i < 512; i++)
        if (t[i])
            return 0;
    return 1;
}

/*
 * A large page is to go where unmapping left a table with nothing in it
 * (kva reuses the addresses of a freed region): the table goes, once no
 * CPU's paging-structure cache can still lead to it. 0 when the entry is
 * free now, -1 when something is mapped there.
 */
static int drop_empty_table(const struct vmm_space *s, uint64_t *e, uint64_t va, int level)
{
    uint64_t old = *e, span = 1ULL << (12 + 9 * level);

    if (!(old & PTE_P))
        return 0;
    if (level == 0 || (old & PTE_PS) || !table_empty(old))
        return -1;
    *e = 0;
    flush(s, va & ~(span - 1), span);
    mm_frame_free(old & PTE_ADDR);
    return 0;
}

static int map_locked(struct vmm_space *s, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
    uint64_t user = flags & VMM_USER ? PTE_U : 0;

    spin_assert_held(&s->lock);
    for (uint64_t done = 0; done < size;) {
        int level = page_level(va + done, pa + done, size - done, flags);
        uint64_t *e = walk(s, va + done, level, 1, user);
        if (!e || drop_empty_table(s, e, va + done, level) != 0)
            return -1;
        *e = (pa + done) | leaf_bits(flags, level > 0, va + done);
        done += 1ULL << (12 + 9 * level);
    }
    return 0;
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


/*
 * Clear the last-level entries over [va, va + size), keeping the bits in
 * `keep` (the frame address, for vmm_unmap_frames to find after the
 * flush; P is never kept). 1 if any entry was there.
 */
static int clear_leaves(const struct vmm_space *s, uint64_t va, uint64_t size, uint64_t keep)
{
    int changed = 0;

    for (uint64_t done = 0; done < size;) {
        uint64_t span = PAGE_4K, *e = leaf(s, va + done, &span, PTE_P);
        if (e) {
            *e &= keep & ~PTE_P;
            changed = 1;
        }
        done += span;
    }
    return changed;
}

/* After the flush: each entry clear_leaves kept an address in gives its frame back and goes. */
static void free_cleared(const struct vmm_space *s, uint64_t va, uint64_t size)
{
    for (uint64_t done = 0; done < size;) {
        uint64_t span = PAGE_4K, *e = leaf(s, va + done, &span, 0);
        if (e && *e) {
            if (span == PAGE_2M)
                mm_frame_free_2m(*e & PTE_ADDR & ~(PAGE_2M - 1));
            else
                mm_frame_free(*e & PTE_ADDR);
            *e = 0;
        }
        done += span;
    }
}

/* Clear, flush once, and with give_frames free the frames that were mapped (vmm_unmap_frames). */
static void unmap_locked(struct vmm_space *s, uint64_t va, uint64_t size, int give_frames)
{
    spin_assert_held(&s->lock);
    if (!clear_leaves(s, va, size, give_frames ? PTE_ADDR | PTE_PS : 0))
        return;
    flush(s, va, size);
    if (give_frames)
        free_cleared(s, va, size);
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
    int r = 0;
    uint64_t done;

    spin_assert_held(&s->lock);
    for (done = 0; done < size; done += PAGE_4K) {
        uint64_t span, *e = leaf(s, va + done, &span, PTE_P);
        if (!e || span != PAGE_4K) {
            r = -1;
            break;
        }
        *e = (*e & PTE_ADDR) | leaf_bits(flags, 0, va + done);
    }
    if (done)
        flush(s, va, done);
    return r;
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

uint64_t vmm_entry(struct vmm_space *s, uint64_t va, uint64_t *size)
{
    uint64_t *e, entry;

    spin_lock(&s->lock);
    e = leaf(s, va, size, PTE_P);
    entry = e ? *e : 0;
    spin_unlock(&s->lock);
    return entry;
}

uint64_t vmm_translate(struct vmm_space *s, uint64_t va)
{
    uint64_t span = 0, e = vmm_entry(s, va, &span);

    return e ? (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1)) : 0;
}

int vmm_entry_grants(uint64_t entry, unsigned flags)
{
    const uint64_t rights = PTE_P | PTE_W | PTE_U | PTE_NX;

    return (entry & rights) == (leaf_bits(flags, 0, 0) & rights);
}

/* --- address spaces ----------------------------------------------------------- */

struct vmm_space *vmm_space_create(void)
{
    struct vmm_space *s = kcalloc(1, sizeof *s);

    if (!s)
        return NULL;
    if (!(s->pml4 = mm_zeroed_frame())) {
        kfree(s);
        return NULL;
    }
    spin_init(&s->lock, "address space");
    s->refs = 1;
    memcpy(table(s->pml4) + 256, table(kernel_space.pml4) + 256, 256 * sizeof(uint64_t));
    return s;
}

void vmm_space_get(struct vmm_space *s)
{
    __atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);
}

static void free_tables(uint64_t t, int level)
{
    uint64_t *e = table(t);

    for (unsigned i = 0; level > 0 && i < 512; i++)
        if ((e[i] & PTE_P) && !(e[i] & PTE_PS))
            free_tables(e[i] & PTE_ADDR, level - 1);
    mm_frame_free(t & PTE_ADDR);
}

/* The last reference is gone: nobody else can reach s, and no CPU has it loaded. */
static void destroy(struct vmm_space *s)
{
    uint64_t *pml4 = table(s->pml4);

    if (__atomic_load_n(&s->cpus, __ATOMIC_ACQUIRE))
        panic("vmm_space_put: the last reference to a space still loaded on CPUs 0x%llx",
              (unsigned long long)s->cpus);
    for (unsigned i = 0; i < 256; i++)
        if (pml4[i] & PTE_P)
            free_tables(pml4[i] & PTE_ADDR, 2);
    mm_frame_free(s->pml4);
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
    arch_write_cr3(to->pml4);
    __atomic_fetch_and(&from->cpus, ~me, __ATOMIC_SEQ_CST);
}

/* --- building the kernel's tables ------------------------------------------------ */

/* CPUID: leaf 1 EDX PGE (13), PAT (16); leaf 7 EBX SMEP (7), SMAP (20), ECX UMIP (2);
 * leaf 0x80000001 EDX NX (20), 1 GiB pages (26). */
static void probe_cpu(void)
{
    struct arch_cpuid_regs r = arch_cpuid(1, 0);

    cpu.pge = (r.edx >> 13) & 1;
    cpu.pat = (r.edx >> 16) & 1;
    if (arch_cpuid_max_leaf() >= 7) {
        r = arch_cpuid(7, 0);
        cpu.smep = (r.ebx >> 7) & 1;
        cpu.smap = (r.ebx >> 20) & 1;
        cpu.umip = (r.ecx >> 2) & 1;
    }
    if (arch_cpuid(CPUID_LEAF_EXT_MAX, 0).eax >= 0x80000001) {
        r = arch_cpuid(0x80000001, 0);
        cpu.nx = (r.edx >> 20) & 1;
        cpu.gib_pages = (r.edx >> 26) & 1;
    }
}

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

/* The direct map: RAM at its top end, the first 4 GiB whatever they hold. */
static int map_direct(const struct bootinfo *bi, uint64_t *top_out)
{
    const struct bootinfo_mmap_entry *map = arch_phys_to_virt(bi->mmap);
    uint64_t top = 4ULL << 30;

    for (unsigned i = 0; i < bi->mmap_count; i++)
        if (is_ram(map[i].type) && map[i].base + map[i].length > top)
            top = map[i].base + map[i].length;
    top = (top + PAGE_2M - 1) & ~(PAGE_2M - 1);
    for (uint64_t a = 0; a < top;) {
        uint64_t step = a >= (4ULL << 30) && cpu.gib_pages && !(a & (PAGE_1G - 1)) && top - a >= PAGE_1G ?
                        PAGE_1G : PAGE_2M;
        unsigned cache = a < (4ULL << 30) ? chunk_cache(bi, a, a + step) : 0;
        if (vmm_map(&kernel_space, ARCH_HHDM_BASE + a, a, step, VMM_WRITE | VMM_HUGE | cache) != 0)
            return -1;
        a += step;
    }
    *top_out = top;
    return 0;
}

static int map_image_part(const struct bootinfo *bi, const char *start, const char *end, unsigned flags)
{
    uint64_t va = (uint64_t)(uintptr_t)start & ~(PAGE_4K - 1);
    uint64_t va_end = ((uint64_t)(uintptr_t)end + PAGE_4K - 1) & ~(PAGE_4K - 1);

    return vmm_map(&kernel_space, va, bi->kernel_phys + (va - bi->kernel_virt), va_end - va, flags);
}

int vmm_init(const struct bootinfo *bi)
{
    uint64_t top = 0;

    probe_cpu();
    if (cpu.pat)
        arch_wrmsr(MSR_PAT, PAT_VALUE);
    if (!(kernel_space.pml4 = mm_zeroed_frame()))
        return -1;
    for (unsigned i = 256; i < 512; i++) {          /* the shared kernel half, made once */
        uint64_t f = mm_zeroed_frame();
        if (!f)
            return -1;
        table(kernel_space.pml4)[i] = f | PTE_P | PTE_W;
    }
    if (map_image_part(bi, __text_start, __text_end, VMM_EXEC) ||
        map_image_part(bi, __rodata_start, __rodata_end, 0) ||
        map_image_part(bi, __data_start, __boot_stack_guard, VMM_WRITE) ||
        map_image_part(bi, __boot_stack_guard + PAGE_4K, __kernel_end, VMM_WRITE) || map_direct(bi, &top))
        return -1;
    if (cpu.nx)
        arch_wrmsr(MSR_EFER, arch_rdmsr(MSR_EFER) | EFER_NXE);
    arch_write_cr0(arch_read_cr0() | CR0_WP);
    arch_write_cr3(kernel_space.pml4);
    arch_write_cr4(arch_read_cr4() | (cpu.pge ? CR4_PGE : 0) | (cpu.smep ? CR4_SMEP : 0) |
                   (cpu.smap ? CR4_SMAP : 0) | (cpu.umip ? CR4_UMIP : 0));
    printk(LOG_INFO, "[vmm] own page tables at 0x%llx: text R-X, rodata R--, data RW- NX; direct map of "
           "%llu GiB in %s pages; identity map gone\n", (unsigned long long)kernel_space.pml4,
           (unsigned long long)(top >> 30), cpu.gib_pages ? "1 GiB" : "2 MiB");
    printk(LOG_INFO, "[vmm] NX %s, WP on, SMEP %s, SMAP %s, UMIP %s, PAT %s\n", cpu.nx ? "on" : "absent",
           cpu.smep ? "on" : "absent", cpu.smap ? "on" : "absent", cpu.umip ? "on" : "absent",
           cpu.pat ? "on (framebuffer write-combining)" : "absent");
    return 0;
}
