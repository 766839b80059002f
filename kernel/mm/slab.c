/*
 * slab.c - object caches (see slab.h for the design).
 *
 * A slab of `pages` pages:
 *
 *   base                                               base + pages * 4096
 *   | obj 0 | obj 1 | ... | obj n-1 | (unused) | struct slab |
 *
 * Every page of it has the slab's address as its page descriptor. The
 * struct slab holds the free list (through the objects' first words), the
 * count in use, a bitmap of free objects and a magic word mixed with its
 * own address, so a pointer into a page that merely looks like a slab is
 * not trusted.
 *
 * Who touches what: a CPU's struct slab_cpu only its own CPU, between
 * cpu_enter and cpu_leave (interrupts off); the slabs, the lists and
 * `out` only under the guard's lock (refill, drain, shrink, and the
 * lookups the heap makes under it). The fast paths read a slab's magic,
 * base and free bitmap without the lock: the first two are fixed while
 * the slab lives, and an object's own bit changes only when that object
 * enters or leaves the slab, which its owner's free is not racing with.
 */
#include <stdint.h>
#include <string.h>

#include "mm/slab.h"

#define SLAB_MAGIC  0x51AB5EEDu
#define MIN_OBJECTS 8           /* grow the slab (up to 8 pages) until this many fit */

struct slab {
    struct slab *next, *prev;
    struct kmem_cache *cache;
    uint8_t *base;              /* object 0, the slab's first page */
    void *freelist;
    uint32_t inuse;
    uint32_t magic;             /* SLAB_MAGIC ^ the low half of this struct's address */
    uint64_t free_map[SLAB_MAX_OBJECTS / 64];   /* bit i: object i is free */
};

static const struct page_source *pages;
static slab_report_fn *report_fn;
static void *report_ctx;
static int debug_default;
static const struct mm_guard *guard;

static uint8_t *stack_page;         /* where the CPUs' stacks are carved from (under the lock) */
static size_t stack_used, stack_pages;

void slab_init(const struct page_source *src, slab_report_fn *report, void *ctx)
{
    pages = src;
    report_fn = report;
    report_ctx = ctx;
    stack_page = NULL;
    stack_pages = 0;
}

size_t slab_stack_pages(void)
{
    return stack_pages;
}

void slab_set_debug(int on)
{
    debug_default = on;
}

void slab_set_guard(const struct mm_guard *g)
{
    guard = g;
}

static void lock(void)
{
    if (guard)
        guard->lock();
}

static void unlock(void)
{
    if (guard)
        guard->unlock();
}

/* This CPU's cache of c, interrupts off until cpu_leave. */
static inline struct slab_cpu *cpu_enter(struct kmem_cache *c, uint64_t *flags)
{
    return &c->cpu[mm_cpu_enter(guard, flags)];
}

static inline void cpu_leave(uint64_t flags)
{
    mm_cpu_leave(guard, flags);
}

static inline uintptr_t cached_tag(const void *obj)
{
    return (uintptr_t)obj ^ (uintptr_t)SLAB_CACHED_TAG;
}

void slab_report(const char *what, const void *ptr, const void *caller)
{
    if (report_fn)
        report_fn(report_ctx, what, ptr, caller);
}

static uint32_t magic_of(const struct slab *s)
{
    return SLAB_MAGIC ^ (uint32_t)(uintptr_t)s;
}

/* --- the three lists ------------------------------------------------------- */

static void list_add(struct slab_list *l, struct slab *s)
{
    s->prev = NULL;
    s->next = l->head;
    if (l->head)
        l->head->prev = s;
    l->head = s;
    l->count++;
}

static void list_del(struct slab_list *l, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        l->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    l->count--;
}

static void list_move(struct slab_list *from, struct slab_list *to, struct slab *s)
{
    list_del(from, s);
    list_add(to, s);
}

/* --- layout ------------------------------------------------------------------ */

static size_t natural_alignment(size_t size)
{
    size_t a = size & -size;        /* the lowest set bit */

    return a > PAGE_SIZE ? PAGE_SIZE : a;
}

int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size, unsigned flags)
{
    size_t body = size < sizeof(void *) ? sizeof(void *) : (size + 7) & ~(size_t)7;

    memset(c, 0, sizeof *c);
    c->name = name;
    c->size = size;
    c->flags = flags | (debug_default ? SLAB_DEBUG : 0);
    c->src = pages;
    c->stride = body;
    if (c->flags & SLAB_DEBUG) {
        size_t a = natural_alignment(body);
        c->stride = (body + SLAB_REDZONE + a - 1) / a * a;
    }
    for (c->pages = 1; c->pages <= 8; c->pages *= 2) {
        size_t n = (c->pages * PAGE_SIZE - sizeof(struct slab)) / c->stride;
        c->objects = (unsigned)(n > SLAB_MAX_OBJECTS ? SLAB_MAX_OBJECTS : n);
        if (c->objects >= MIN_OBJECTS || c->pages == 8)
            break;
    }
    if (c->objects == 0)
        return -1;
    c->cpu_limit = c->stride > 1024 ? 24 : c->stride > 256 ? 54 : 120;   /* Linux SLAB's enable_cpucache */
    c->free_limit = 2 * c->cpu_limit + c->objects;                      /* and its free_limit, for 1 CPU */
    c->reciprocal = (uint32_t)(((1ULL << 32) + c->stride - 1) / c->stride);
    return 0;
}

static unsigned object_index(const struct kmem_cache *c, const struct slab *s, const void *obj)
{
    return (unsigned)(((uint64_t)((const uint8_t *)obj - s->base) * c->reciprocal) >> 32);
}

/* --- debug: poison and red zones ----------------------------------------------- */

static int bytes_are(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/*
 * A debug object: | object (size) | requested size (8) | red zone 0xbb |
 * kmalloc passes the size it was asked for: the bytes from there to the
 * object's end are red zone too, so an overflow of a 200-byte kmalloc in
 * the 256-byte class is caught at its first byte.
 */
static __attribute__((noinline)) void debug_on_free(const struct kmem_cache *c, uint8_t *obj, const void *caller)
{
    size_t asked;

    memcpy(&asked, obj + c->size, sizeof asked);
    if (asked > c->size || !bytes_are(obj + asked, c->size - asked, SLAB_POISON_RED) ||
        !bytes_are(obj + c->size + sizeof asked, c->stride - c->size - sizeof asked, SLAB_POISON_RED))
        slab_report("write past the end of an object (red zone overwritten)", obj, caller);
    memset(obj, SLAB_POISON_FREE, c->size);
    memset(obj + c->size, SLAB_POISON_RED, c->stride - c->size);
}

static __attribute__((noinline)) void debug_on_alloc(const struct kmem_cache *c, uint8_t *obj, size_t asked, const void *caller)
{
    size_t from = sizeof(void *);   /* the free-list link lived in the first word */

    if (c->size > from && !bytes_are(obj + from, c->size - from, SLAB_POISON_FREE))
        slab_report("object written after it was freed (use after free)", obj, caller);
    if (asked > c->size)
        asked = c->size;
    memset(obj + asked, SLAB_POISON_RED, c->size - asked);
    memcpy(obj + c->size, &asked, sizeof asked);
}

/* --- slabs ---------------------------------------------------------------------- */

static struct slab *slab_create(struct kmem_cache *c)
{
    uint8_t *mem = c->src->alloc(c->src->ctx, c->pages);
    struct slab *s;

    if (!mem)
        return NULL;
    s = (struct slab *)(void *)(mem + c->pages * PAGE_SIZE - sizeof *s);
    memset(s, 0, sizeof *s);
    s->cache = c;
    s->base = mem;
    s->magic = magic_of(s);
    for (unsigned i = c->objects; i-- > 0;) {
        uint8_t *obj = mem + (size_t)i * c->stride;
        if (c->flags & SLAB_DEBUG) {
            memset(obj, SLAB_POISON_FREE, c->size);
            memset(obj + c->size, SLAB_POISON_RED, c->stride - c->size);
        }
        *(void **)obj = s->freelist;
        s->freelist = obj;
        s->free_map[i / 64] |= 1ULL << (i % 64);
    }
    for (unsigned p = 0; p < c->pages; p++)
        *page_desc(c->src, mem + p * PAGE_SIZE) = (uintptr_t)s;
    c->slabs_made++;
    return s;
}

static void slab_destroy(struct kmem_cache *c, struct slab *s)
{
    uint8_t *mem = s->base;

    for (unsigned p = 0; p < c->pages; p++)
        *page_desc(c->src, mem + p * PAGE_SIZE) = 0;
    s->magic = 0;
    c->src->free(c->src->ctx, mem, c->pages);
    c->slabs_freed++;
}

/* No partial slab: take the empty one, or make a new one (caller holds the lock). */
static __attribute__((noinline)) struct slab *partial_slab(struct kmem_cache *c)
{
    struct slab *s = c->empty.head;

    if (s)
        list_del(&c->empty, s);
    else if (!(s = slab_create(c)))
        return NULL;
    list_add(&c->partial, s);
    return s;
}

/* One object out of the slabs, or NULL when memory is out (caller holds the lock). */
static void *slab_take(struct kmem_cache *c)
{
    struct slab *s = c->partial.head;
    uint8_t *obj;
    unsigned i;

    if (!s && !(s = partial_slab(c)))
        return NULL;
    obj = s->freelist;
    s->freelist = *(void **)obj;
    i = object_index(c, s, obj);
    s->free_map[i / 64] &= ~(1ULL << (i % 64));
    if (++s->inuse == c->objects)
        list_move(&c->partial, &c->full, s);
    c->out++;
    return obj;
}

/*
 * The first use of cache c on this CPU: its stack of cpu_limit pointers,
 * carved from a page of the page source and kept for good (caller holds
 * the lock). 0, or -1 when no page is left.
 */
static int cpu_stack(struct kmem_cache *c, struct slab_cpu *m)
{
    size_t bytes = c->cpu_limit * sizeof(void *);

    if (!stack_page || stack_used + bytes > PAGE_SIZE) {
        if (!(stack_page = c->src->alloc(c->src->ctx, 1)))
            return -1;
        stack_used = 0;
        stack_pages++;
    }
    m->obj = (void **)(void *)(stack_page + stack_used);
    m->limit = c->cpu_limit;
    stack_used += bytes;
    return 0;
}

/* This CPU's cache is empty: half a cache of objects from the slabs, under the lock. */
static __attribute__((noinline)) unsigned cpu_refill(struct kmem_cache *c, struct slab_cpu *m)
{
    void *obj;

    lock();
    if (!m->obj && cpu_stack(c, m) != 0) {
        unlock();
        return 0;
    }
    while (m->avail < m->limit / 2 && (obj = slab_take(c))) {
        *(uintptr_t *)obj = cached_tag(obj);
        m->obj[m->avail++] = obj;
    }
    unlock();
    return m->avail;
}

/*
 * The fast path: pop this CPU's cache, interrupts off, no lock. Everything
 * rare (a refill, the debug checks) is a call out of line, so this stays
 * short and keeps few registers.
 */
void *slab_alloc_from(struct kmem_cache *c, size_t asked, const void *caller)
{
    uint64_t flags;
    struct slab_cpu *m = cpu_enter(c, &flags);
    void **obj;

    if (__builtin_expect(!m->avail, 0) && !cpu_refill(c, m)) {
        cpu_leave(flags);
        return NULL;
    }
    obj = m->obj[--m->avail];
    m->allocs++;
    cpu_leave(flags);
    *obj = NULL;                        /* no longer tagged as cached */
    if (__builtin_expect(c->flags & SLAB_DEBUG, 0))
        debug_on_alloc(c, (uint8_t *)obj, asked, caller);
    return obj;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
    return slab_alloc_from(c, c->size, __builtin_return_address(0));
}

/*
 * Whether obj really is an object of slab s (the page descriptor's word):
 * the magic word, and an offset that is a whole number of objects inside
 * the slab. Returns the object's index, or -1 after a report.
 */
static int object_of(const struct slab *s, const void *obj, const void *caller)
{
    const struct kmem_cache *c = s->cache;
    size_t off = (size_t)((const uint8_t *)obj - s->base);
    unsigned i;

    if (__builtin_expect(s->magic != magic_of(s) || off >= (size_t)c->objects * c->stride, 0))
        goto bad;
    i = object_index(c, s, obj);
    if (__builtin_expect((size_t)i * c->stride != off, 0))
        goto bad;
    return (int)i;
bad:
    slab_report("free of a pointer that is not the start of an object", obj, caller);
    return -1;
}

/* The slab obj belongs to, every claim checked; NULL after a report. */
static struct slab *slab_lookup(const void *obj, const void *caller)
{
    uintptr_t *d = pages ? page_desc(pages, obj) : NULL;

    if (!d || !*d || (*d & 3)) {
        slab_report("free of a pointer the heap never returned", obj, caller);
        return NULL;
    }
    return object_of((struct slab *)*d, obj, caller) < 0 ? NULL : (struct slab *)*d;
}

/* inuse went from full to one less, or to zero: move the slab. */
static __attribute__((noinline)) void list_change(struct kmem_cache *c, struct slab *s)
{
    if (s->inuse == c->objects - 1)
        list_move(&c->full, &c->partial, s);
    if (s->inuse == 0) {
        list_del(&c->partial, s);
        if ((c->empty.count + 1) * c->objects > c->free_limit)
            slab_destroy(c, s);
        else
            list_add(&c->empty, s);
    }
}

/* Object obj (index i of slab s) back into its slab (caller holds the lock). */
static void slab_put(struct kmem_cache *c, struct slab *s, unsigned i, void *obj)
{
    uint64_t bit = 1ULL << (i % 64);

    if (s->free_map[i / 64] & bit) {    /* checked at kfree: a CPU cache was corrupted */
        slab_report("slab_put: object already free in its slab", obj, NULL);
        return;
    }
    *(void **)obj = s->freelist;
    s->freelist = obj;
    s->free_map[i / 64] |= bit;
    s->inuse--;
    if (s->inuse == c->objects - 1 || s->inuse == 0)
        list_change(c, s);
    c->out--;
}

/* obj back into its slab (caller holds the lock). */
static void slab_put_obj(struct kmem_cache *c, void *obj)
{
    struct slab *s = (struct slab *)*page_desc(c->src, obj);

    slab_put(c, s, object_index(c, s, obj), obj);
}

/* The oldest n objects of this CPU's cache back into their slabs (caller holds the lock). */
static void cpu_drain_locked(struct kmem_cache *c, struct slab_cpu *m, unsigned n)
{
    if (guard && !guard->held())
        slab_report("cpu_drain_locked: the caller does not hold the heap lock", c, __builtin_return_address(0));
    if (n == 0)
        return;
    for (unsigned k = 0; k < n; k++)
        slab_put_obj(c, m->obj[k]);
    m->avail -= n;
    memmove(&m->obj[0], &m->obj[n], m->avail * sizeof m->obj[0]);
}

/*
 * This CPU's cache is full, or has no stack yet: drain its oldest half, or
 * make its stack; when no page is left for a stack, obj goes straight back
 * to its slab. Under the lock. 1 when obj is to be pushed.
 */
static __attribute__((noinline)) int cpu_make_room(struct kmem_cache *c, struct slab_cpu *m, void *obj)
{
    int room = 1;

    lock();
    if (m->obj)
        cpu_drain_locked(c, m, m->limit / 2);
    else if (cpu_stack(c, m) != 0) {
        slab_put_obj(c, obj);
        room = 0;
    }
    unlock();
    return room;
}

/*
 * Free object i of slab s into this CPU's cache: refused if it is free
 * already (its bit in the slab, or the cached tag), checked and poisoned in
 * a debug cache, then pushed with interrupts off; a full cache gives its
 * oldest half back first.
 */
static int cache_free(struct kmem_cache *c, struct slab *s, unsigned i, void *obj, const void *caller)
{
    uint64_t flags;
    struct slab_cpu *m;

    if (__builtin_expect((s->free_map[i / 64] & (1ULL << (i % 64))) || *(uintptr_t *)obj == cached_tag(obj), 0)) {
        slab_report("double free", obj, caller);
        return -1;
    }
    if (__builtin_expect(c->flags & SLAB_DEBUG, 0))
        debug_on_free(c, obj, caller);
    *(uintptr_t *)obj = cached_tag(obj);
    m = cpu_enter(c, &flags);
    if (__builtin_expect(m->avail < m->limit, 1) || cpu_make_room(c, m, obj))
        m->obj[m->avail++] = obj;
    m->frees++;
    cpu_leave(flags);
    return 0;
}

int slab_free_desc(uintptr_t desc, void *obj, const void *caller)
{
    struct slab *s = (struct slab *)desc;
    int i = object_of(s, obj, caller);

    return i < 0 ? -1 : cache_free(s->cache, s, (unsigned)i, obj, caller);
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
    const void *caller = __builtin_return_address(0);
    struct slab *s = slab_lookup(obj, caller);

    if (!s)
        return;
    if (s->cache != c) {
        slab_report("free into a cache the object does not belong to", obj, caller);
        return;
    }
    cache_free(c, s, object_index(c, s, obj), obj, caller);
}

struct kmem_cache *slab_cache_of(const void *obj, const void *caller)
{
    struct slab *s = slab_lookup(obj, caller);

    return s ? s->cache : NULL;
}

int slab_free_checked(void *obj, const void *caller)
{
    struct slab *s = slab_lookup(obj, caller);

    return s ? cache_free(s->cache, s, object_index(s->cache, s, obj), obj, caller) : -1;
}

void slab_resize(void *obj, size_t asked)
{
    struct kmem_cache *c = slab_cache_of(obj, __builtin_return_address(0));
    size_t old;

    if (!c || !(c->flags & SLAB_DEBUG) || asked > c->size)
        return;
    memcpy(&old, (uint8_t *)obj + c->size, sizeof old);
    if (asked < old)
        memset((uint8_t *)obj + asked, SLAB_POISON_RED, old - asked);
    memcpy((uint8_t *)obj + c->size, &asked, sizeof asked);
}

void kmem_cache_shrink(struct kmem_cache *c)
{
    uint64_t flags;
    struct slab_cpu *m = cpu_enter(c, &flags);

    lock();
    cpu_drain_locked(c, m, m->avail);
    unlock();
    cpu_leave(flags);
    lock();
    while (c->empty.head) {
        struct slab *s = c->empty.head;
        list_del(&c->empty, s);
        slab_destroy(c, s);
    }
    unlock();
}

struct slab_stats kmem_cache_stats(const struct kmem_cache *c)
{
    uint64_t slabs = c->partial.count + c->full.count + c->empty.count, allocs = 0, frees = 0, cached = 0;

    for (unsigned i = 0; i < MM_MAX_CPUS; i++) {
        allocs += c->cpu[i].allocs;
        frees += c->cpu[i].frees;
        cached += c->cpu[i].avail;
    }
    return (struct slab_stats){ allocs - frees, slabs * c->objects, cached, slabs, slabs * c->pages };
}

/* Objects in use in the slabs of list l, each slab's count checked against its free list; -1 if one disagrees. */
static int64_t list_inuse(const struct kmem_cache *c, const struct slab_list *l)
{
    int64_t inuse = 0;
    size_t n = 0;

    for (const struct slab *s = l->head; s; s = s->next, n++) {
        unsigned free = 0;
        for (void *o = s->freelist; o && free <= c->objects; o = *(void **)o)
            free++;
        if (free + s->inuse != c->objects)
            return -1;
        inuse += s->inuse;
    }
    return n == l->count ? inuse : -1;
}

int kmem_cache_check(struct kmem_cache *c)
{
    struct slab_stats st;
    int64_t partial, full, empty;
    int ok;

    lock();
    st = kmem_cache_stats(c);
    partial = list_inuse(c, &c->partial), full = list_inuse(c, &c->full), empty = list_inuse(c, &c->empty);
    ok = partial >= 0 && full >= 0 && empty == 0 && (uint64_t)(partial + full) == c->out &&
         c->out == st.active + st.cached;
    unlock();
    return ok ? 0 : -1;
}
