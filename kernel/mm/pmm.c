/*
 * pmm.c - the two-level bitmap frame allocator (see pmm.h).
 *
 *   frame_free   bit f set: frame f is free. 64 frames a word, 8 words
 *                (512 frames) a 2 MiB group.
 *   group_any    bit g set: group g has a free frame.
 *   group_all    bit g set: all 512 frames of group g are free (so the
 *                group is wholly managed memory).
 *
 * Every change to frame_free is followed by group_sync() for the groups it
 * touched (or, on the 4 KiB fast paths, by the equivalent two-bit update),
 * so the summaries are always exact; pmm_check() proves it by recounting.
 * The 4 KiB search starts at the word of group_any where the last one
 * succeeded (`hint`), so a run of allocations does not rescan the full
 * groups behind it.
 */
#include <stdint.h>
#include <string.h>

#include "mm/pmm.h"
#include "mutant.h"

#define WORD_BITS       64
#define GROUP_WORDS     (PMM_GROUP_FRAMES / WORD_BITS)  /* 8 */
#define GIB_GROUPS      512                             /* 2 MiB groups in 1 GiB */
#define ALL_ONES        (~0ULL)

static inline uint64_t bit(uint64_t i) { return 1ULL << (i % WORD_BITS); }
static inline int test_bit(const uint64_t *b, uint64_t i) { return (b[i / WORD_BITS] & bit(i)) != 0; }
static inline void set_bit(uint64_t *b, uint64_t i) { b[i / WORD_BITS] |= bit(i); }
static inline void clear_bit(uint64_t *b, uint64_t i) { b[i / WORD_BITS] &= ~bit(i); }
static inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }
static inline uint64_t words_for(uint64_t bits) { return (bits + WORD_BITS - 1) / WORD_BITS; }

/* Set bits in x. Not __builtin_popcountll: without -mpopcnt gcc calls libgcc
 * for it, and the kernel links no libgcc (its code assumes a red zone). */
static inline uint64_t popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (x * 0x0101010101010101ULL) >> 56;
}

static int is_managed_type(uint32_t type)
{
    return type == BOOTINFO_MEM_USABLE || type == BOOTINFO_MEM_LOADER_RECLAIM;
}

/* The whole frames of a map entry: start rounded up, end down, frame 0 left out. */
static void entry_frames(const struct bootinfo_mmap_entry *e, uint64_t *first, uint64_t *end)
{
    *first = (e->base + PMM_FRAME_SIZE - 1) >> PMM_FRAME_SHIFT;
    *end = (e->base + e->length) >> PMM_FRAME_SHIFT;
    if (*first == 0)
        *first = 1;
}

static uint64_t frames_covered(const struct bootinfo_mmap_entry *map, unsigned n)
{
    uint64_t top = 0, first, end;

    for (unsigned i = 0; i < n; i++) {
        entry_frames(&map[i], &first, &end);
        if (is_managed_type(map[i].type) && end > first && end > top)
            top = end;
    }
    return align_up(top, PMM_GROUP_FRAMES);
}

uint64_t pmm_metadata_bytes(const struct bootinfo_mmap_entry *map, unsigned n)
{
    uint64_t frames = frames_covered(map, n);

    return n * sizeof(struct pmm_range) + frames / 8 +
           2 * words_for(frames / PMM_GROUP_FRAMES) * sizeof(uint64_t);
}

/* Recompute both summary bits of group g from its 8 words. */
static void group_sync(struct pmm *p, uint64_t g)
{
    const uint64_t *w = &p->frame_free[g * GROUP_WORDS];
    uint64_t any = 0, all = ALL_ONES;

    for (int i = 0; i < GROUP_WORDS; i++)
        any |= w[i], all &= w[i];
    if (any)
        set_bit(p->group_any, g);
    else
        clear_bit(p->group_any, g);
    if (all == ALL_ONES)
        set_bit(p->group_all, g);
    else
        clear_bit(p->group_all, g);
}

static void groups_sync(struct pmm *p, uint64_t first, uint64_t end)
{
    for (uint64_t g = first / PMM_GROUP_FRAMES; g <= (end - 1) / PMM_GROUP_FRAMES; g++)
        group_sync(p, g);
}

/* Set (free) or clear (allocate) frames [first, end); returns how many changed. */
/*
 * The frames [f, end) that share f's bitmap word: sets *mask to their bits
 * in word f / 64 and returns how many they are. Range walks step with it.
 */
static uint64_t word_span(uint64_t f, uint64_t end, uint64_t *mask)
{
    uint64_t lo = f % WORD_BITS, n = end - f < WORD_BITS - lo ? end - f : WORD_BITS - lo;

    *mask = (n == WORD_BITS ? ALL_ONES : ((1ULL << n) - 1)) << lo;
    return n;
}

static uint64_t mark_range(struct pmm *p, uint64_t first, uint64_t end, int free)
{
    uint64_t changed = 0, mask, k;

    if (first >= end)
        return 0;
    for (uint64_t f = first; f < end; f += k) {
        uint64_t *w = &p->frame_free[f / WORD_BITS], old = *w;
        k = word_span(f, end, &mask);
        *w = free ? old | mask : old & ~mask;
        changed += popcount64((old ^ *w) & mask);
    }
    groups_sync(p, first, end);
    return changed;
}

/* Index of the managed range holding frame f, or -1. */
static int range_of(const struct pmm *p, uint64_t f)
{
    unsigned lo = 0, hi = p->range_count;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (f < p->ranges[mid].first)
            hi = mid;
        else if (f >= p->ranges[mid].end)
            lo = mid + 1;
        else
            return (int)mid;
    }
    return -1;
}

/* Whether [first, end) is managed throughout (ranges may touch end to start). */
static int managed_run(const struct pmm *p, uint64_t first, uint64_t end)
{
    while (first < end) {
        int r = range_of(p, first);
        if (r < 0)
            return 0;
        first = p->ranges[r].end;
    }
    return 1;
}

/* The first frame in [first, end) that is free (want_free) or allocated (!want_free), or end. */
static uint64_t first_free_in(const struct pmm *p, uint64_t first, uint64_t end, int want_free)
{
    for (uint64_t f = first; f < end;) {
        uint64_t w = f / WORD_BITS, lo = f % WORD_BITS;
        uint64_t v = (want_free ? p->frame_free[w] : ~p->frame_free[w]) >> lo;
        if (v) {
            f += (uint64_t)__builtin_ctzll(v);
            return f < end ? f : end;
        }
        f += WORD_BITS - lo;
    }
    return end;
}

/* Free frames in [first, end). */
static uint64_t count_free(const struct pmm *p, uint64_t first, uint64_t end)
{
    uint64_t n = 0, mask, k;

    for (uint64_t f = first; f < end; f += k) {
        k = word_span(f, end, &mask);
        n += popcount64(p->frame_free[f / WORD_BITS] & mask);
    }
    return n;
}

static void report(struct pmm *p, const char *what, uint64_t phys, const void *caller)
{
    p->errors++;
    if (p->report)
        p->report(p->report_ctx, what, phys, caller);
}

int pmm_init(struct pmm *p, const struct bootinfo_mmap_entry *map, unsigned n,
             void *meta, uint64_t meta_phys, pmm_report_fn *report_fn, void *report_ctx)
{
    uint8_t *m = meta;
    uint64_t first, end;

    memset(p, 0, sizeof *p);
    p->report = report_fn;
    p->report_ctx = report_ctx;
    p->frames = frames_covered(map, n);
    p->groups = p->frames / PMM_GROUP_FRAMES;
    p->ranges = (struct pmm_range *)(void *)m;
    p->frame_free = (uint64_t *)(void *)(m + n * sizeof(struct pmm_range));
    p->group_any = p->frame_free + p->frames / WORD_BITS;
    p->group_all = p->group_any + words_for(p->groups);
    memset(p->frame_free, 0, (p->frames / WORD_BITS + 2 * words_for(p->groups)) * sizeof(uint64_t));
    for (unsigned i = 0; i < n; i++) {
        entry_frames(&map[i], &first, &end);
        if (!is_managed_type(map[i].type) || end <= first)
            continue;
        p->ranges[p->range_count++] = (struct pmm_range){ first, end };
        p->managed_frames += end - first;
        if (map[i].type == BOOTINFO_MEM_USABLE)
            p->free_frames += mark_range(p, first, end, 1);
    }
    if (meta_phys) {        /* the metadata's own frames, where they are managed */
        uint64_t mf = meta_phys >> PMM_FRAME_SHIFT;
        uint64_t me = (meta_phys + pmm_metadata_bytes(map, n) + PMM_FRAME_SIZE - 1) >> PMM_FRAME_SHIFT;
        p->free_frames -= mark_range(p, mf, me < p->frames ? me : p->frames, 0);
    }
    return p->free_frames ? 0 : -1;
}

uint64_t pmm_alloc(struct pmm *p)
{
    uint64_t words = words_for(p->groups);

    for (uint64_t k = 0; k < words; k++) {
        uint64_t w = p->hint + k < words ? p->hint + k : p->hint + k - words;
        uint64_t v = p->group_any[w];
        if (!v)
            continue;
        uint64_t g = w * WORD_BITS + (uint64_t)__builtin_ctzll(v);
        uint64_t *gw = &p->frame_free[g * GROUP_WORDS];
        for (int i = 0; i < GROUP_WORDS; i++) {
            if (!gw[i])
                continue;
            uint64_t f = g * PMM_GROUP_FRAMES + (uint64_t)i * WORD_BITS + (uint64_t)__builtin_ctzll(gw[i]);
            gw[i] &= gw[i] - 1;
            clear_bit(p->group_all, g);
            if (!(gw[0] | gw[1] | gw[2] | gw[3] | gw[4] | gw[5] | gw[6] | gw[7]))
                clear_bit(p->group_any, g);
            p->hint = w;
            p->free_frames--;
            return f << PMM_FRAME_SHIFT;
        }
    }
    return PMM_NONE;
}

void pmm_free(struct pmm *p, uint64_t phys)
{
    uint64_t f = phys >> PMM_FRAME_SHIFT, g = f / PMM_GROUP_FRAMES;
    const uint64_t *gw;

    if (phys % PMM_FRAME_SIZE || f >= p->frames || range_of(p, f) < 0) {
        report(p, "free of a frame the allocator does not manage", phys, __builtin_return_address(0));
        return;
    }
    if (test_bit(p->frame_free, f)) {
        report(p, "double free", phys, __builtin_return_address(0));
        return;
    }
    set_bit(p->frame_free, f);
    set_bit(p->group_any, g);
    gw = &p->frame_free[g * GROUP_WORDS];
    if ((gw[0] & gw[1] & gw[2] & gw[3] & gw[4] & gw[5] & gw[6] & gw[7]) == ALL_ONES)
        set_bit(p->group_all, g);
    p->free_frames++;
}

/* Allocate [first, first + count) if it is all free: the block paths. */
static uint64_t take(struct pmm *p, uint64_t first, uint64_t count)
{
    p->free_frames -= mark_range(p, first, first + count, 0);
    return first << PMM_FRAME_SHIFT;
}

uint64_t pmm_alloc_2m(struct pmm *p)
{
    for (uint64_t w = 0; w < words_for(p->groups); w++)
        if (p->group_all[w])
            return take(p, (w * WORD_BITS + (uint64_t)__builtin_ctzll(p->group_all[w])) * PMM_GROUP_FRAMES,
                        PMM_GROUP_FRAMES);
    return PMM_NONE;
}

uint64_t pmm_alloc_1g(struct pmm *p)
{
    const uint64_t words_per_gib = GIB_GROUPS / WORD_BITS;     /* 8 */

    for (uint64_t k = 0; (k + 1) * GIB_GROUPS <= p->groups; k++) {
        uint64_t all = ALL_ONES;
        for (uint64_t i = 0; i < words_per_gib; i++)
            all &= p->group_all[k * words_per_gib + i];
        if (all == ALL_ONES)
            return take(p, k * GIB_GROUPS * PMM_GROUP_FRAMES, GIB_GROUPS * PMM_GROUP_FRAMES);
    }
    return PMM_NONE;
}

uint64_t pmm_alloc_contig(struct pmm *p, uint64_t count, uint64_t align, uint64_t limit)
{
    uint64_t step = align > PMM_FRAME_SIZE ? align >> PMM_FRAME_SHIFT : 1;
    uint64_t end = limit >> PMM_FRAME_SHIFT < p->frames ? limit >> PMM_FRAME_SHIFT : p->frames;
    uint64_t f = align_up(1, step);

    if (count == 0 || (step & (step - 1)))
        return PMM_NONE;
    while (f + count <= end) {
        uint64_t busy = first_free_in(p, f, f + count, 0);
        if (busy == f + count)
            return take(p, f, count);
        f = align_up(first_free_in(p, busy, end, 1), step);     /* skip to the next free frame */
    }
    return PMM_NONE;
}

/* Free [f, f + count) that must be allocated and managed throughout. */
static void give_back(struct pmm *p, uint64_t phys, uint64_t count, uint64_t align, const void *caller)
{
    uint64_t f = phys >> PMM_FRAME_SHIFT;

    if (phys % align || count == 0 || f + count > p->frames || !managed_run(p, f, f + count)) {
        report(p, "free of frames the allocator does not manage", phys, caller);
        return;
    }
    uint64_t already = first_free_in(p, f, f + count, 1);
    if (already != f + count) {
        report(p, "double free", already << PMM_FRAME_SHIFT, caller);
        return;
    }
    p->free_frames += mark_range(p, f, f + count, 1);
}

void pmm_free_2m(struct pmm *p, uint64_t phys)
{
    give_back(p, phys, PMM_GROUP_FRAMES, PMM_2M, __builtin_return_address(0));
}

void pmm_free_1g(struct pmm *p, uint64_t phys)
{
    give_back(p, phys, GIB_GROUPS * PMM_GROUP_FRAMES, PMM_1G, __builtin_return_address(0));
}

void pmm_free_contig(struct pmm *p, uint64_t phys, uint64_t count)
{
    give_back(p, phys, count, PMM_FRAME_SIZE, __builtin_return_address(0));
}

uint64_t pmm_release(struct pmm *p, uint64_t base, uint64_t len)
{
    uint64_t first = (base + PMM_FRAME_SIZE - 1) >> PMM_FRAME_SHIFT;
    uint64_t end = (base + len) >> PMM_FRAME_SHIFT, released = 0;

    for (unsigned i = 0; i < p->range_count; i++) {
        uint64_t a = first > p->ranges[i].first ? first : p->ranges[i].first;
        uint64_t b = end < p->ranges[i].end ? end : p->ranges[i].end;
        if (a < b)
            released += mark_range(p, a, b, 1);
    }
    p->free_frames += released;
    return released;
}

int pmm_is_free(const struct pmm *p, uint64_t phys)
{
    uint64_t f = phys >> PMM_FRAME_SHIFT;

    return f < p->frames && test_bit(p->frame_free, f);
}

int pmm_check(const struct pmm *p)
{
    uint64_t counted = 0, in_ranges = 0;

    for (uint64_t w = 0; w < p->frames / WORD_BITS; w++)
        counted += popcount64(p->frame_free[w]);
    for (unsigned i = 0; i < p->range_count; i++)
        in_ranges += count_free(p, p->ranges[i].first, p->ranges[i].end);
    if (counted != p->free_frames || counted != in_ranges)
        return -1;
    for (uint64_t g = 0; g < p->groups; g++) {
        const uint64_t *gw = &p->frame_free[g * GROUP_WORDS];
        uint64_t any = 0, all = ALL_ONES;
        for (int i = 0; i < GROUP_WORDS; i++)
            any |= gw[i], all &= gw[i];
        if (test_bit(p->group_any, g) != (any != 0) || test_bit(p->group_all, g) != (all == ALL_ONES))
            return -1;
    }
    return 0;
}

/* --- the per-CPU layer --------------------------------------------------------- */

void pmm_set_cpu_cache(struct pmm *p, const struct mm_guard *guard, uintptr_t *desc)
{
    p->guard = guard;
    p->desc = desc;
}

static void lock(const struct pmm *p)
{
    if (p->guard)
        p->guard->lock();
}

static void unlock(const struct pmm *p)
{
    if (p->guard)
        p->guard->unlock();
}

/* This CPU's cache, interrupts off until cpu_leave. */
static inline struct pmm_cpu *cpu_enter(struct pmm *p, uint64_t *flags)
{
    return &p->cpu[mm_cpu_enter(p->guard, flags)];
}

static inline void cpu_leave(const struct pmm *p, uint64_t flags)
{
    mm_cpu_leave(p->guard, flags);
}

static inline void mark_cached(struct pmm *p, uint64_t phys, uintptr_t mark)
{
    if (p->desc)
        p->desc[phys >> PMM_FRAME_SHIFT] = mark;
}

/* Up to PMM_CPU_BATCH frames from the bitmaps into the cache; caller holds the lock. */
static void fill(struct pmm *p, struct pmm_cpu *m)
{
    uint64_t f;

    while (m->count < PMM_CPU_BATCH && (f = pmm_alloc(p)) != PMM_NONE) {
        mark_cached(p, f, PAGE_DESC_FRAME_CACHED);
        m->frame[m->count++] = f;
    }
}

/*
 * Run on the CPU owning the cache (through call_cpu), interrupts off there,
 * for a CPU that holds the lock and waits: every frame of this CPU's cache
 * back to the bitmaps, under the lock the waiting CPU holds for us.
 */
static void give_cache_back(void *ctx)
{
    struct pmm *p = ctx;
    uint64_t flags;
    struct pmm_cpu *m = cpu_enter(p, &flags);

    for (unsigned k = 0; k < m->count; k++) {
        mark_cached(p, m->frame[k], 0);
        pmm_free(p, m->frame[k]);
    }
    m->count = 0;
    cpu_leave(p, flags);
}

/* The bitmaps are dry: every other CPU with frames cached gives them back (lock held). */
static void reclaim(struct pmm *p, const struct pmm_cpu *mine)
{
    if (!p->guard || !p->guard->call_cpu || MUTANT_ENABLED(reclaim))
        return;
    for (unsigned c = 0; c < MM_MAX_CPUS; c++)
        if (&p->cpu[c] != mine && __atomic_load_n(&p->cpu[c].count, __ATOMIC_RELAXED))
            p->guard->call_cpu(c, give_cache_back, p);
    p->reclaims++;
}

/*
 * The cache is empty: PMM_CPU_BATCH frames from the bitmaps, under the
 * lock; from the other CPUs' caches when the bitmaps have none. (A CPU that
 * gives its cache back may be this one's caller's owner spinning for the
 * lock in cpu_refill or cpu_drain: both read the count after lock.)
 */
static __attribute__((noinline)) unsigned cpu_refill(struct pmm *p, struct pmm_cpu *m)
{
    lock(p);
    fill(p, m);
    if (!m->count) {
        reclaim(p, m);
        fill(p, m);
    }
    unlock(p);
    return m->count;
}

/* The oldest n frames of the cache (all it has, if fewer: give_back may have run) back to the bitmaps. */
static __attribute__((noinline)) void cpu_drain(struct pmm *p, struct pmm_cpu *m, unsigned n)
{
    lock(p);
    if (n > m->count)
        n = m->count;
    for (unsigned k = 0; k < n; k++) {
        mark_cached(p, m->frame[k], 0);
        pmm_free(p, m->frame[k]);
    }
    m->count -= n;
    memmove(&m->frame[0], &m->frame[n], m->count * sizeof m->frame[0]);
    unlock(p);
}

uint64_t pmm_cpu_alloc(struct pmm *p)
{
    uint64_t flags, phys = PMM_NONE;
    struct pmm_cpu *m = cpu_enter(p, &flags);

    if (__builtin_expect(m->count != 0, 1) || cpu_refill(p, m)) {
        phys = m->frame[--m->count];
        mark_cached(p, phys, 0);
    }
    cpu_leave(p, flags);
    return phys;
}

/*
 * Why phys cannot go into a cache, or NULL: it must be managed and
 * allocated, so neither free in the bitmaps (read without the lock: its bit
 * changes only when the frame itself enters or leaves them) nor marked
 * cached.
 */
static inline const char *free_problem(const struct pmm *p, uint64_t phys)
{
    uint64_t f = phys >> PMM_FRAME_SHIFT;

    if (phys % PMM_FRAME_SIZE || f >= p->frames)
        return "free of a frame the allocator does not manage";
    if (test_bit(p->frame_free, f) || (p->desc && p->desc[f] == PAGE_DESC_FRAME_CACHED))
        return "double free";
    return range_of(p, f) < 0 ? "free of a frame the allocator does not manage" : NULL;
}

void pmm_cpu_free(struct pmm *p, uint64_t phys)
{
    const char *why = free_problem(p, phys);
    uint64_t flags;
    struct pmm_cpu *m;

    if (__builtin_expect(why != NULL, 0)) {
        report(p, why, phys, __builtin_return_address(0));
        return;
    }
    m = cpu_enter(p, &flags);
    if (__builtin_expect(m->count == PMM_CPU_FRAMES, 0))
        cpu_drain(p, m, PMM_CPU_BATCH);
    mark_cached(p, phys, PAGE_DESC_FRAME_CACHED);
    m->frame[m->count++] = phys;
    cpu_leave(p, flags);
}

void pmm_cpu_drain(struct pmm *p)
{
    uint64_t flags;
    struct pmm_cpu *m = cpu_enter(p, &flags);

    if (m->count)
        cpu_drain(p, m, m->count);
    cpu_leave(p, flags);
}

uint64_t pmm_free_total(const struct pmm *p)
{
    uint64_t n = p->free_frames;

    for (unsigned i = 0; i < MM_MAX_CPUS; i++)
        n += p->cpu[i].count;
    return n;
}
