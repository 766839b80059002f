/*
 * test_mm_percpu.c - the allocators' per-CPU caches on the machine's own
 * CPUs (kernel/mm/slab.c, pmm.c): objects and frames taken on one CPU and
 * freed on another, a CPU's caches kept to their size and drained, and a
 * stress on every online CPU at once (8 in the 8-CPU cells) with objects
 * handed between CPUs, every object's contents checked and the heap's
 * counts checked against the test's own tally. With one CPU the "other"
 * CPU is the same one: the checks still hold, the cross-CPU part is not
 * exercised.
 *
 * Each CPU's part runs in a thread pinned there (thread_create_on): a
 * cache belongs to the CPU, and kmain may move. The checks that need a
 * quiet machine (heap_check walks every slab) run after the joins.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sync/spinlock.h"
#include "test/ktest.h"

#define CROSS_OBJECTS   200
#define CROSS_FRAMES    64
#define DRAIN_OBJECTS   500
#define DRAIN_FRAMES    400
#define STRESS_OPS      20000
#define STRESS_LIVE     128
#define STRESS_KEEP     16          /* objects each stress thread leaves for kmain to free */
#define EXCHANGE        64          /* slots objects pass through between CPUs */
#define FRAME_STAMP     0xF8A3E57A3B00ULL

static unsigned other_cpu(void)
{
    return sched_cpus() > 1 ? 1 : 0;
}

/* Run fn(arg) in a thread pinned to cpu and wait for it; 0, or -1 if it could not start. */
static int run_on(unsigned cpu, void (*fn)(void *), void *arg)
{
    struct thread *t = thread_create_on("mm percpu test", fn, arg, SCHED_PRIO_DEFAULT, (int)cpu);

    if (!t)
        return -1;
    thread_join(t);
    return 0;
}

static void *cross_obj[CROSS_OBJECTS];
static uint64_t cross_frame[CROSS_FRAMES];

static void cross_take(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < CROSS_OBJECTS; i++)
        if ((cross_obj[i] = kmalloc(64)))
            memset(cross_obj[i], (int)i, 64);
    for (unsigned i = 0; i < CROSS_FRAMES; i++)
        cross_frame[i] = mm_frame_alloc();
}

static void cross_give(void *arg)
{
    int *bad = arg;

    for (unsigned i = 0; i < CROSS_OBJECTS; i++) {
        *bad |= !cross_obj[i] || ((uint8_t *)cross_obj[i])[63] != (uint8_t)i;
        kfree(cross_obj[i]);
    }
    for (unsigned i = 0; i < CROSS_FRAMES; i++)
        mm_frame_free(cross_frame[i]);
}

/* Taken on the other CPU, freed on CPU 0: the counts move by exactly what the test did. */
void ktest_mm_percpu_cross_cpu_free(struct ktest *t)
{
    struct heap_stats before = heap_stats();
    uint64_t frames = mm_frames_free(), errors = mm_frames()->errors;
    int bad = 0;

    if (!KTEST_ASSERT(t, run_on(other_cpu(), cross_take, NULL) == 0))
        return;
    KTEST_ASSERT_EQ(t, heap_stats().small_active, before.small_active + CROSS_OBJECTS);
    KTEST_ASSERT(t, mm_frames_free() <= frames - CROSS_FRAMES);
    KTEST_ASSERT_EQ(t, heap_check(), 0);
    if (!KTEST_ASSERT(t, run_on(0, cross_give, &bad) == 0))
        return;
    KTEST_ASSERT(t, !bad);
    KTEST_ASSERT_EQ(t, heap_stats().small_active, before.small_active);
    KTEST_ASSERT_EQ(t, heap_stats().allocs - before.allocs, heap_stats().frees - before.frees);
    KTEST_ASSERT_EQ(t, heap_check(), 0);
    KTEST_ASSERT_EQ(t, mm_frames_check(), 0);
    KTEST_ASSERT_EQ(t, mm_frames()->errors, errors);
}

static void *drain_obj[DRAIN_OBJECTS];
static uint64_t drain_frame[DRAIN_FRAMES];
static int drain_over;

static void drain_take(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < DRAIN_OBJECTS; i++)
        drain_obj[i] = kmalloc(32);
    for (unsigned i = 0; i < DRAIN_FRAMES; i++)
        drain_frame[i] = mm_frame_alloc();
}

/* On the other CPU: free more than its caches hold, each never past its size, some kept in
 * this CPU's own caches; then drain them empty. drain_over: bit 0 a cache past its size,
 * bit 1 nothing kept here, bit 2 something left after the drain. */
static void drain_give(void *arg)
{
    const struct kmem_cache *c = heap_class(2);         /* kmalloc-32 */
    unsigned cpu = *(unsigned *)arg;

    for (unsigned i = 0; i < DRAIN_OBJECTS; i++) {
        kfree(drain_obj[i]);
        drain_over |= c->cpu[cpu].avail > c->cpu_limit;
    }
    for (unsigned i = 0; i < DRAIN_FRAMES; i++) {
        mm_frame_free(drain_frame[i]);
        drain_over |= mm_frames()->cpu[cpu].count > PMM_CPU_FRAMES;
    }
    drain_over |= (c->cpu[cpu].avail == 0 || mm_frames()->cpu[cpu].count == 0) << 1;   /* kept here */
    heap_drain_cpu();
    pmm_cpu_drain(mm_frames());
    drain_over |= (c->cpu[cpu].avail != 0 || mm_frames()->cpu[cpu].count != 0) << 2;
}

void ktest_mm_percpu_drain(struct ktest *t)
{
    unsigned cpu = other_cpu();
    struct heap_stats before = heap_stats();

    drain_over = 0;
    if (!KTEST_ASSERT(t, run_on(0, drain_take, NULL) == 0 && run_on(cpu, drain_give, &cpu) == 0))
        return;
    KTEST_ASSERT_EQ(t, drain_over, 0);
    KTEST_ASSERT_EQ(t, heap_stats().small_active, before.small_active);
    KTEST_ASSERT_EQ(t, heap_check(), 0);
    KTEST_ASSERT_EQ(t, mm_frames_check(), 0);
}

/* --- the stress ------------------------------------------------------------------ */

struct live {
    uint8_t *p;
    uint32_t n;                 /* bytes; 0: p is a frame's direct-map address */
    uint8_t tag;
};

static struct spinlock exchange_lock = SPINLOCK_INIT("mm stress exchange");
static struct live exchange[EXCHANGE];
static volatile uint32_t stress_bad;

struct stress {
    unsigned cpu;
    uint64_t seed;
    struct live live[STRESS_LIVE];
};

static struct stress stress[MM_MAX_CPUS];

static void fill(struct live *l, uint8_t tag)
{
    l->tag = tag;
    if (l->n)
        l->p[0] = l->p[l->n - 1] = tag;
    else
        *(uint64_t *)(void *)l->p = FRAME_STAMP | tag;
}

static int intact(const struct live *l)
{
    if (l->n)
        return l->p[0] == l->tag && l->p[l->n - 1] == l->tag;
    return *(const uint64_t *)(const void *)l->p == (FRAME_STAMP | l->tag);
}

/* Check and free what l holds. */
static void release(struct live *l)
{
    if (!l->p)
        return;
    if (!intact(l))
        stress_bad++;
    if (l->n)
        kfree(l->p);
    else
        mm_frame_free(arch_virt_to_phys_hhdm(l->p));
    l->p = NULL;
}

/* A new object (1 in 16 a frame) of a random size up to 4096 bytes. */
static void acquire(struct live *l, uint64_t r)
{
    if (r % 16 == 0) {
        uint64_t f = mm_frame_alloc();
        l->n = 0;
        l->p = f ? arch_phys_to_virt(f) : NULL;
    } else {
        l->n = 1 + (uint32_t)((r >> 8) % 4096);
        l->p = kmalloc(l->n);
    }
    if (l->p)
        fill(l, (uint8_t)(r >> 32));
    else
        stress_bad++;
}

/* Swap l with a random exchange slot: what another CPU left is freed here. */
static void swap_with_exchange(struct live *l, uint64_t r)
{
    struct live mine = *l;

    spin_lock(&exchange_lock);
    *l = exchange[r % EXCHANGE];
    exchange[r % EXCHANGE] = mine;
    spin_unlock(&exchange_lock);
}

static void stress_thread(void *arg)
{
    struct stress *s = arg;

    for (unsigned op = 0; op < STRESS_OPS; op++) {
        s->seed ^= s->seed << 13, s->seed ^= s->seed >> 7, s->seed ^= s->seed << 17;
        struct live *l = &s->live[s->seed % STRESS_LIVE];
        if ((s->seed >> 40) % 8 == 0)
            swap_with_exchange(l, s->seed >> 20);
        else if (l->p)
            release(l);
        else
            acquire(l, s->seed >> 7);
    }
    for (unsigned k = STRESS_KEEP; k < STRESS_LIVE; k++)   /* keep the first STRESS_KEEP slots */
        release(&s->live[k]);
}

/* Objects held by the stress threads and the exchange: the test's own tally. */
static uint64_t tally(unsigned cpus, int frames)
{
    uint64_t n = 0;

    for (unsigned c = 0; c < cpus; c++)
        for (unsigned k = 0; k < STRESS_LIVE; k++)
            n += stress[c].live[k].p && (stress[c].live[k].n == 0) == frames;
    for (unsigned k = 0; k < EXCHANGE; k++)
        n += exchange[k].p && (exchange[k].n == 0) == frames;
    return n;
}

/* Every online CPU allocating, freeing and freeing each other's objects at once. */
void ktest_mm_percpu_stress(struct ktest *t)
{
    unsigned cpus = sched_cpus() < MM_MAX_CPUS ? sched_cpus() : MM_MAX_CPUS;
    struct thread *th[MM_MAX_CPUS];
    struct heap_stats before = heap_stats();
    uint64_t errors = mm_frames()->errors;

    stress_bad = 0;
    memset(stress, 0, sizeof stress);
    memset(exchange, 0, sizeof exchange);
    for (unsigned c = 0; c < cpus; c++) {
        stress[c] = (struct stress){ .cpu = c, .seed = 88172645463325252ULL * (c + 1) };
        th[c] = thread_create_on("mm stress", stress_thread, &stress[c], SCHED_PRIO_DEFAULT, (int)c);
        if (!KTEST_ASSERT(t, th[c] != NULL))
            cpus = c;
    }
    for (unsigned c = 0; c < cpus; c++)
        thread_join(th[c]);
    KTEST_ASSERT_EQ(t, stress_bad, 0);
    KTEST_ASSERT(t, tally(cpus, 0) > 0);
    KTEST_ASSERT_EQ(t, heap_stats().small_active + heap_stats().large_active,
                    before.small_active + before.large_active + tally(cpus, 0));
    KTEST_ASSERT_EQ(t, heap_check(), 0);
    KTEST_ASSERT_EQ(t, mm_frames_check(), 0);
    for (unsigned c = 0; c < cpus; c++)
        for (unsigned k = 0; k < STRESS_LIVE; k++)
            release(&stress[c].live[k]);
    for (unsigned k = 0; k < EXCHANGE; k++)
        release(&exchange[k]);
    KTEST_ASSERT_EQ(t, stress_bad, 0);
    KTEST_ASSERT_EQ(t, heap_stats().small_active, before.small_active);
    KTEST_ASSERT_EQ(t, heap_stats().large_active, before.large_active);
    KTEST_ASSERT_EQ(t, heap_check(), 0);
    KTEST_ASSERT_EQ(t, mm_frames()->errors, errors);
}

/*
 * Frames cached on the other CPUs are not lost when the bitmaps run dry
 * (pmm.c, cpu_refill's reclaim): every other CPU first takes
 * RECLAIM_FRAMES frames and frees them into its own cache; then a thread
 * on CPU 0 takes frames until none is left, chaining them through their
 * own first word. It must have got every frame the allocator counted free
 * at its start (its caches' included, counted under the frames lock), and
 * the other CPUs' caches must be empty at that moment. With one CPU the
 * cross-CPU part is not exercised.
 */
#define RECLAIM_FRAMES  100
#define RECLAIM_SLACK   16          /* frames other threads may take meanwhile */

static uint64_t reclaim_frame[MM_MAX_CPUS][RECLAIM_FRAMES];

static void reclaim_fill_cache(void *arg)
{
    uint64_t *f = reclaim_frame[*(unsigned *)arg];

    for (unsigned i = 0; i < RECLAIM_FRAMES; i++)
        f[i] = mm_frame_alloc();
    for (unsigned i = 0; i < RECLAIM_FRAMES; i++)
        if (f[i])
            mm_frame_free(f[i]);
}

struct reclaim_run {
    unsigned cpus;
    uint64_t free_before, got, cached_after;
    int no_list;                /* the list of 2 MiB blocks could not be allocated */
};

static void reclaim_exhaust(void *arg)
{
    struct reclaim_run *r = arg;
    /* Most of memory first in 2 MiB blocks (512 times fewer steps on a 4 GiB
     * machine), listed in an array allocated first rather than chained
     * through the blocks: writing into each block would make QEMU back all
     * of guest memory on the host (2 MiB zeroed by the host per touched
     * block under transparent huge pages: 21 s of an 8 GiB run). */
    uint64_t room = mm_frames_free() / 512 + 1, nbig = 0, head = 0, f;
    uint64_t *big = kmalloc(room * sizeof *big);

    if (!big) {
        r->no_list = 1;
        return;
    }
    r->free_before = mm_frames_free();
    while (nbig < room && (f = mm_frame_alloc_2m()) != 0) {
        big[nbig++] = f;
        r->got += 512;
    }
    /* The rest, and the other CPUs' cached frames (not in the bitmaps: only
     * this loop reaches them), a frame at a time, chained through themselves. */
    while ((f = mm_frame_alloc()) != 0) {
        *(uint64_t *)arch_phys_to_virt(f) = head;
        head = f;
        r->got++;
    }
    for (unsigned c = 1; c < r->cpus; c++)
        r->cached_after += __atomic_load_n(&mm_frames()->cpu[c].count, __ATOMIC_RELAXED);
    while (head) {
        f = head;
        head = *(uint64_t *)arch_phys_to_virt(f);
        mm_frame_free(f);
    }
    while (nbig)
        mm_frame_free_2m(big[--nbig]);
    kfree(big);
}

void ktest_mm_percpu_reclaim(struct ktest *t)
{
    struct reclaim_run r = { .cpus = sched_cpus() < MM_MAX_CPUS ? sched_cpus() : MM_MAX_CPUS };
    unsigned cpu[MM_MAX_CPUS];
    uint64_t reclaims = mm_frames()->reclaims;

    for (unsigned c = 1; c < r.cpus; c++) {
        cpu[c] = c;
        if (!KTEST_ASSERT(t, run_on(c, reclaim_fill_cache, &cpu[c]) == 0))
            return;
    }
    if (!KTEST_ASSERT(t, run_on(0, reclaim_exhaust, &r) == 0) || !KTEST_ASSERT(t, !r.no_list))
        return;
    KTEST_ASSERT(t, r.got + RECLAIM_SLACK >= r.free_before);
    KTEST_ASSERT_EQ(t, r.cached_after, 0);
    KTEST_ASSERT(t, r.cpus == 1 || mm_frames()->reclaims > reclaims);
    KTEST_ASSERT_EQ(t, mm_frames_check(), 0);
}
