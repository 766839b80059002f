/*
 * mmu_space.c - walks over a whole lower half, table by table
 * (mmu_arch.h): fork's copy of a range of one tree into another
 * (mmu_copy), and the end of a process's lower half (mmu_clear_lower).
 *
 * Both visit the tables themselves instead of going from the root for
 * each page: fork fills the child's page table with the entries of the
 * parent's one, in one pass over it (a table made once, no walk per
 * page), and the end of a space unhooks every table from the root at
 * once, flushes once, then frees the pages and the tables in one pass.
 * Empty stretches of a table are skipped eight entries at a time
 * (mmu_next_used).
 *
 * Copy-on-write's count (kernel/mm/frame_ref.h) is kept here for the
 * common page, without a call into kernel/mm/uspace.c for each: fork's
 * copy of private memory counts each 4 KiB frame once more
 * (frame_ref_share), and the end of a space takes one count off a frame
 * another space still maps (frame_ref_drop) and is done with it. Every
 * other page is shown to the caller's function, which knows the regions.
 *
 * Locking: the caller holds the lock of every space whose tree it passes
 * (kernel/mm/vmm.c: the parent's, then the child's).
 */
#include <stdint.h>

#include "arch/mmu_arch.h"
#include "arch/x86_64/mmu_impl.h"
#include "arch/x86_64/paging.h"
#include "errno.h"
#include "mm/frame_ref.h"
#include "mm/mm.h"

/* The number of entries of a table at `level` mapping from `base` that start below end. */
static unsigned stop_index(uint64_t base, uint64_t end, int level)
{
    uint64_t span = mmu_level_span(level), n = (end - base + span - 1) / span;

    return n < 512 ? (unsigned)n : 512;
}

/* --- fork: mmu_copy ----------------------------------------------------------------- */

struct copy {
    int cow;                            /* 4 KiB pages copy-on-write without asking fn */
    mmu_scan_fn *fn;
    void *ctx;
    uint64_t lo, hi;                    /* the source's entries made read-only: flushed once at the end */
};

static void note_narrowed(struct copy *c, uint64_t va, uint64_t end)
{
    c->lo = va < c->lo ? va : c->lo;
    c->hi = end > c->hi ? end : c->hi;
}

/* The child's table under entry *de, made (with the rights of the source's entry se) if absent. */
static uint64_t *child_table(uint64_t *de, uint64_t se)
{
    uint64_t f;

    if (!(*de & PTE_P)) {
        if (!(f = mm_zeroed_frame()))
            return NULL;
        *de = f | (se & (PTE_P | PTE_W | PTE_U));
    }
    return mmu_table(*de);
}

/*
 * A page table of private memory, entries [i, stop) (c->cow): each 4 KiB
 * page read-only in both, its frame counted once more. The loop fork
 * spends its time in, so it asks nobody.
 */
static int copy_cow_table(struct copy *c, uint64_t *st, uint64_t *dt, uint64_t base, unsigned i, unsigned stop)
{
    unsigned first = stop, last = 0;
    int r = 0;

    for (; (i = mmu_next_used(st, i, stop)) < stop; i++) {
        uint64_t e = st[i];
        if (!(e & PTE_P))
            continue;
        if (dt[i]) {
            r = -EEXIST;                /* the child had a page there already */
            break;
        }
        if (e & PTE_W) {
            st[i] = e &= ~PTE_W;
            first = i < first ? i : first;
            last = i;
        }
        dt[i] = e;
        frame_ref_share(e & PTE_ADDR);
    }
    if (first <= last)
        note_narrowed(c, base + first * PAGE_4K, base + (last + 1) * PAGE_4K);
    return r;
}

/* One mapped page of the source (entry *se at `level`, address at): fn says what the child gets. */
static int copy_page(struct copy *c, uint64_t *se, uint64_t *de, int level, uint64_t at)
{
    uint64_t old = *se, span = mmu_level_span(level);
    struct mmu_page pg = { at, old & PTE_ADDR & ~(span - 1), span, mmu_entry_flags(old, level > 0) };
    int r;

    if (*de)
        return -EEXIST;
    if ((r = c->fn(c->ctx, &pg)) < 0)
        return r;
    if (r == MMU_COPY_READONLY) {
        *de = old & ~PTE_W;
        if (old & PTE_W) {
            *se = old & ~PTE_W;
            note_narrowed(c, at, at + span);
        }
    } else {
        *de = pg.pa | mmu_leaf_bits(pg.flags & ~VMM_HUGE, level > 0, at);
    }
    return 0;
}

/* The entries of source table st (at `level`, mapping from `base`) that meet [va, end), into dt. */
static int copy_table(struct copy *c, uint64_t *st, uint64_t *dt, int level, uint64_t base, uint64_t va,
                      uint64_t end)
{
    uint64_t span = mmu_level_span(level);
    unsigned stop = stop_index(base, end, level);

    if (level == 0 && c->cow)
        return copy_cow_table(c, st, dt, base, pt_index(va, 0), stop);
    for (unsigned i = pt_index(va, level); (i = mmu_next_used(st, i, stop)) < stop; i++) {
        uint64_t at = base + i * span, e = st[i], *child;
        int r;

        if (!(e & PTE_P))
            continue;
        if (level > 0 && !(e & PTE_PS)) {
            if (!(child = child_table(&dt[i], e)))
                return -ENOMEM;
            r = copy_table(c, mmu_table(e), child, level - 1, at, va > at ? va : at, end < at + span ? end : at + span);
        } else {
            r = copy_page(c, &st[i], &dt[i], level, at);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

int mmu_copy(uint64_t src, uint64_t dst, const volatile uint64_t *cpus, uint64_t va, uint64_t size, int cow,
             mmu_scan_fn *fn, void *ctx)
{
    struct copy c = { cow, fn, ctx, ~0ULL, 0 };
    int r = size ? copy_table(&c, mmu_table(src), mmu_table(dst), 3, 0, va, va + size) : 0;

    if (c.hi > c.lo)
        mmu_flush(cpus, c.lo, c.hi - c.lo);
    return r;
}

/* --- the end of a lower half: mmu_clear_lower -------------------------------------------- */

#define UNHOOK_MAX 16                   /* top-level entries unhooked per flush */

struct clear {
    mmu_gone_fn *gone;
    void *ctx;
};

/* A page table's pages: a frame another space still maps (fork's count) loses a count, the rest go to gone. */
static void clear_page_table(struct clear *c, const uint64_t *e, uint64_t base)
{
    for (unsigned i = 0; (i = mmu_next_used(e, i, 512)) < 512; i++) {
        if (!(e[i] & PTE_P) || !frame_ref_drop(e[i] & PTE_ADDR))
            continue;                   /* not a page, or one another space keeps */
        if (c->gone) {
            struct mmu_page pg = { base + i * PAGE_4K, e[i] & PTE_ADDR, PAGE_4K, mmu_entry_flags(e[i], 0) };
            c->gone(c->ctx, &pg);
        }
    }
}

/* Each page under the unhooked table t (at `level` > 0, mapping from `base`), and the tables below t, freed. */
static void free_tree(struct clear *c, uint64_t t, int level, uint64_t base)
{
    uint64_t *e = mmu_table(t), span = mmu_level_span(level);

    for (unsigned i = 0; (i = mmu_next_used(e, i, 512)) < 512; i++) {
        uint64_t va = base + i * span;
        if (!(e[i] & PTE_P))
            continue;
        if (!(e[i] & PTE_PS)) {
            if (level > 1)
                free_tree(c, e[i], level - 1, va);
            else
                clear_page_table(c, mmu_table(e[i]), va);
            mm_frame_free(e[i] & PTE_ADDR);
        } else if (c->gone) {           /* a large page */
            struct mmu_page pg = { va, e[i] & PTE_ADDR & ~(span - 1), span, mmu_entry_flags(e[i], 1) };
            c->gone(c->ctx, &pg);
        }
    }
}

void mmu_clear_lower(uint64_t root, const volatile uint64_t *cpus, mmu_gone_fn *gone, void *ctx)
{
    struct clear c = { gone, ctx };
    uint64_t *pml4 = mmu_table(root), top[UNHOOK_MAX];
    unsigned idx[UNHOOK_MAX], n, i = 0;

    do {                                /* a flush per UNHOOK_MAX tables below the root */
        for (n = 0; n < UNHOOK_MAX && (i = mmu_next_used(pml4, i, 256)) < 256; i++) {
            if (!(pml4[i] & PTE_P))
                continue;
            idx[n] = i;
            top[n++] = pml4[i];
            pml4[i] = 0;
        }
        if (n == 0)
            return;
        mmu_flush(cpus, idx[0] * mmu_level_span(3), (idx[n - 1] - idx[0] + 1) * mmu_level_span(3));
        for (unsigned k = 0; k < n; k++) {
            free_tree(&c, top[k], 2, idx[k] * mmu_level_span(3));
            mm_frame_free(top[k] & PTE_ADDR);
        }
    } while (i < 256);
}
