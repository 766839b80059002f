/*
 * mmu.c - x86_64 4-level page tables (mmu_arch.h): walking and editing a
 * tree, an entry's bits, the CPU's paging features (Intel SDM vol. 3A 4.5
 * "4-Level Paging", 4.6 access rights, 11.12 PAT).
 *
 * Tables are frames from the frame allocator, zeroed, reached through the
 * direct map. walk() finds the entry for an address at a given level and
 * makes the tables above it on the way when asked; intermediate entries
 * are permissive (present, writable, user for user mappings): the rights
 * live in the last entry, where the CPU combines them.
 *
 * Locking: none here; the caller holds the lock of the space whose tree
 * it passes (kernel/mm/vmm.c). A TLB shootdown is sent with that lock
 * held: a CPU waiting for it serves the request from its wait loop (tlb.h).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/x86_64/mmu_impl.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/tlb.h"
#include "mm/mm.h"
#include "mutant.h"

static struct vmm_features cpu;

/* The entry for va at level (3 PML4 .. 0 PT); tables made on the way if create. */
static uint64_t *walk(uint64_t root, uint64_t va, int level, int create, uint64_t user)
{
    uint64_t *t = mmu_table(root);

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
        t = mmu_table(*e);
    }
    return &t[pt_index(va, level)];
}

/* A last-level entry's bits; global (kept across CR3 loads) only in the kernel half. */
uint64_t mmu_leaf_bits(unsigned flags, int large, uint64_t va)
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

/* After entries were cleared or narrowed: every CPU (cpus NULL) or the CPUs of the mask forget the range. */
void mmu_flush(const volatile uint64_t *cpus, uint64_t va, uint64_t size)
{
    if (!cpus)
        tlb_flush_range(va, size);
    else
        tlb_flush_cpus(cpus, va, size);
}

/*
 * The last-level entry for va (a PTE, or a PDE/PDPTE with PS) and its size;
 * `need` PTE_P for a mapping, 0 for an entry mmu_unmap cleared but kept
 * the address of (its PS bit kept too).
 */
static uint64_t *leaf(uint64_t root, uint64_t va, uint64_t *span, uint64_t need)
{
    uint64_t *t = mmu_table(root);

    for (int l = 3; l >= 0; l--) {
        uint64_t *e = &t[pt_index(va, l)];
        if (!*e || (*e & need) != need)
            return NULL;
        if (l == 0 || (l <= 2 && (*e & PTE_PS))) {
            *span = mmu_level_span(l);
            return e;
        }
        if (!(*e & PTE_P))
            return NULL;
        t = mmu_table(*e);
    }
    return NULL;
}

static int table_empty(uint64_t entry)
{
    return mmu_next_used(mmu_table(entry), 0, 512) == 512;
}

/*
 * A large page is to go where unmapping left a table with nothing in it
 * (kva reuses the addresses of a freed region): the table goes, once no
 * CPU's paging-structure cache can still lead to it. 0 when the entry is
 * free now, -1 when something is mapped there.
 */
static int drop_empty_table(const volatile uint64_t *cpus, uint64_t *e, uint64_t va, int level)
{
    uint64_t old = *e, span = mmu_level_span(level);

    if (!(old & PTE_P))
        return 0;
    if (level == 0 || (old & PTE_PS) || !table_empty(old))
        return -1;
    *e = 0;
    mmu_flush(cpus, va & ~(span - 1), span);
    mm_frame_free(old & PTE_ADDR);
    return 0;
}

int mmu_map(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t pa, uint64_t size,
            unsigned flags)
{
    uint64_t user = flags & VMM_USER ? PTE_U : 0;

    for (uint64_t done = 0; done < size;) {
        int level = page_level(va + done, pa + done, size - done, flags);
        uint64_t *e = walk(root, va + done, level, 1, user);
        if (!e || drop_empty_table(cpus, e, va + done, level) != 0)
            return -1;
        *e = (pa + done) | mmu_leaf_bits(flags, level > 0, va + done);
        done += mmu_level_span(level);
    }
    return 0;
}

/*
 * Clear the last-level entries over [va, va + size), keeping the bits in
 * `keep` (the frame address, for free_cleared to find after the flush; P
 * is never kept). 1 if any entry was there.
 */
static int clear_leaves(uint64_t root, uint64_t va, uint64_t size, uint64_t keep)
{
    int changed = 0;

    for (uint64_t done = 0; done < size;) {
        uint64_t span = PAGE_4K, *e = leaf(root, va + done, &span, PTE_P);
        if (e) {
            *e &= keep & ~PTE_P;
            changed = 1;
        }
        done += span;
    }
    return changed;
}

/* After the flush: each entry clear_leaves kept an address in gives its frame back and goes. */
static void free_cleared(uint64_t root, uint64_t va, uint64_t size)
{
    for (uint64_t done = 0; done < size;) {
        uint64_t span = PAGE_4K, *e = leaf(root, va + done, &span, 0);
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

void mmu_unmap(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t size, int give_frames)
{
    if (!clear_leaves(root, va, size, give_frames ? PTE_ADDR | PTE_PS : 0))
        return;
    mmu_flush(cpus, va, size);
    if (give_frames)
        free_cleared(root, va, size);
}

int mmu_protect(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t size, unsigned flags)
{
    int r = 0;
    uint64_t done;

    for (done = 0; done < size; done += PAGE_4K) {
        uint64_t span, *e = leaf(root, va + done, &span, PTE_P);
        if (!e || span != PAGE_4K) {
            r = -1;
            break;
        }
        *e = (*e & PTE_ADDR) | mmu_leaf_bits(flags, 0, va + done);
    }
    if (done)
        mmu_flush(cpus, va, done);
    return r;
}

/* --- scans (mmu_scan) ------------------------------------------------------------ */

#define SCAN_BATCH 32   /* cleared frames held for one flush */

struct scan {
    const volatile uint64_t *cpus;
    mmu_scan_fn *fn;
    mmu_release_fn *release;
    void *ctx;
    uint64_t lo, hi;                    /* what was narrowed or cleared since the last flush */
    unsigned n;                         /* cleared frames waiting for that flush */
    uint64_t va[SCAN_BATCH], pa[SCAN_BATCH], size[SCAN_BATCH];
};

static void scan_flush(struct scan *s)
{
    if (s->hi > s->lo)
        mmu_flush(s->cpus, s->lo, s->hi - s->lo);
    for (unsigned i = 0; i < s->n; i++)
        if (s->release)
            s->release(s->ctx, s->va[i], s->pa[i], s->size[i]);
    s->n = 0;
    s->lo = ~0ULL;
    s->hi = 0;
}

static void scan_note(struct scan *s, uint64_t va, uint64_t span)
{
    if (va < s->lo)
        s->lo = va;
    if (va + span > s->hi)
        s->hi = va + span;
}

/* 1 when the CPUs must forget the old entry: a right taken away, or another frame. */
static int narrows(uint64_t old, uint64_t new)
{
    return (old & ~new & (PTE_W | PTE_U)) || (new & ~old & PTE_NX) || ((old ^ new) & PTE_ADDR);
}

/* The entries of table t (at `level`, mapping from `base`) that meet [va, end). */
static int scan_table(struct scan *s, uint64_t *t, int level, uint64_t base, uint64_t va, uint64_t end)
{
    uint64_t span = mmu_level_span(level);

    for (unsigned i = pt_index(va, level); i < 512 && base + i * span < end; i++) {
        uint64_t at = base + i * span, *e = &t[i], old = *e;
        struct mmu_page pg;
        int r;

        if (!(old & PTE_P))
            continue;
        if (level > 0 && !(old & PTE_PS)) {
            r = scan_table(s, mmu_table(old), level - 1, at, va > at ? va : at, end < at + span ? end : at + span);
            if (r < 0)
                return r;
            continue;
        }
        pg = (struct mmu_page){ at, old & PTE_ADDR & ~(span - 1), span, mmu_entry_flags(old, level > 0) };
        if ((r = s->fn(s->ctx, &pg)) < 0)
            return r;
        if (r == MMU_SCAN_SET) {
            *e = pg.pa | mmu_leaf_bits(pg.flags & ~VMM_HUGE, level > 0, at);
            if (narrows(old, *e))
                scan_note(s, at, span);
        } else if (r == MMU_SCAN_CLEAR) {
            *e = 0;
            scan_note(s, at, span);
            s->va[s->n] = at;
            s->pa[s->n] = pg.pa;
            s->size[s->n++] = span;
            if (s->n == SCAN_BATCH)
                scan_flush(s);
        }
    }
    return 0;
}

int mmu_scan(uint64_t root, const volatile uint64_t *cpus, uint64_t va, uint64_t size, mmu_scan_fn *fn,
             mmu_release_fn *release, void *ctx)
{
    struct scan s = { .cpus = cpus, .fn = fn, .release = release, .ctx = ctx, .lo = ~0ULL };
    int r = size ? scan_table(&s, mmu_table(root), 3, 0, va, va + size) : 0;

    scan_flush(&s);
    return r;
}

uint64_t mmu_entry(uint64_t root, uint64_t va, uint64_t *size)
{
    uint64_t *e = leaf(root, va, size, PTE_P);

    return e ? *e : 0;
}

uint64_t mmu_translate(uint64_t root, uint64_t va)
{
    uint64_t span = 0, e = mmu_entry(root, va, &span);

    return e ? (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1)) : 0;
}

int mmu_entry_grants(uint64_t entry, unsigned flags)
{
    const uint64_t rights = PTE_P | PTE_W | PTE_U | PTE_NX;

    return (entry & rights) == (mmu_leaf_bits(flags, 0, 0) & rights);
}

/* --- trees ------------------------------------------------------------------------ */

uint64_t mmu_kernel_root_create(void)
{
    uint64_t root = mm_zeroed_frame();

    for (unsigned i = 256; root && i < 512; i++) {      /* the shared kernel half, made once */
        uint64_t f = mm_zeroed_frame();
        if (!f)
            return 0;
        mmu_table(root)[i] = f | PTE_P | PTE_W;
    }
    return root;
}

uint64_t mmu_root_create(uint64_t kernel_root)
{
    uint64_t root = mm_zeroed_frame();

    if (root)
        memcpy(mmu_table(root) + 256, mmu_table(kernel_root) + 256, 256 * sizeof(uint64_t));
    return root;
}

static void free_tables(uint64_t t, int level)
{
    uint64_t *e = mmu_table(t);

    for (unsigned i = 0; level > 0 && (i = mmu_next_used(e, i, 512)) < 512; i++)
        if ((e[i] & PTE_P) && !(e[i] & PTE_PS))
            free_tables(e[i] & PTE_ADDR, level - 1);
    mm_frame_free(t & PTE_ADDR);
}

void mmu_root_free(uint64_t root)
{
    uint64_t *pml4 = mmu_table(root);

    for (unsigned i = 0; (i = mmu_next_used(pml4, i, 256)) < 256; i++)
        if (pml4[i] & PTE_P)
            free_tables(pml4[i] & PTE_ADDR, 2);
    mm_frame_free(root);
}

void mmu_switch(uint64_t root)
{
    arch_write_cr3(root);
}

/* --- the CPU's features ------------------------------------------------------------ */

/* CPUID: leaf 1 EDX PGE (13), PAT (16); leaf 7 EBX SMEP (7), SMAP (20), ECX UMIP (2);
 * leaf 0x80000001 EDX NX (20), 1 GiB pages (26). */
void mmu_probe(void)
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

struct vmm_features mmu_features(void)
{
    return cpu;
}

void mmu_enable(uint64_t kernel_root)
{
    if (cpu.pat)
        arch_wrmsr(MSR_PAT, PAT_VALUE);
    if (cpu.nx)
        arch_wrmsr(MSR_EFER, arch_rdmsr(MSR_EFER) | EFER_NXE);
    arch_write_cr0(arch_read_cr0() | CR0_WP);
    arch_write_cr3(kernel_root);
    arch_write_cr4(arch_read_cr4() | (cpu.pge ? CR4_PGE : 0) | (cpu.smep ? CR4_SMEP : 0) |
                   (cpu.smap ? CR4_SMAP : 0) | (cpu.umip ? CR4_UMIP : 0));
}
