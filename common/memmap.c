/*
 * memmap.c - memory-map normal form (see memmap.h).
 *
 * memmap_normalize() sweeps the address line: it walks the boundaries
 * (every start and end) in order, and for each elementary interval between
 * two boundaries picks the most restrictive type among the entries that
 * cover it. That is O(n^2) in the number of entries, which is fine for the
 * few hundred entries a firmware reports, and needs no scratch memory.
 */
#include "memmap.h"

#define PAGE_SIZE 4096ULL

/* Higher wins where entries overlap (memmap.h). */
static const uint8_t priority[BOOTINFO_MEM_TYPE_MAX + 1] = MEMMAP_PRIORITY_INIT;

static uint32_t known_type(uint32_t type)
{
    return type >= 1 && type <= BOOTINFO_MEM_TYPE_MAX ? type : BOOTINFO_MEM_RESERVED;
}

/* End of an entry, saturated at 2^64 - 1 so a bogus length cannot wrap. */
static uint64_t entry_end(const struct bootinfo_mmap_entry *e)
{
    return e->length > UINT64_MAX - e->base ? UINT64_MAX : e->base + e->length;
}

/* The smallest boundary strictly above `at`, or `at` when there is none. */
static uint64_t next_boundary(const struct bootinfo_mmap_entry *in, unsigned n, uint64_t at)
{
    uint64_t best = at;

    for (unsigned i = 0; i < n; i++) {
        uint64_t lo = in[i].base, hi = entry_end(&in[i]);
        if (lo > at && (best == at || lo < best))
            best = lo;
        if (hi > at && (best == at || hi < best))
            best = hi;
    }
    return best;
}

/* The winning type over [lo, hi), or 0 when no entry covers it. */
static uint32_t type_over(const struct bootinfo_mmap_entry *in, unsigned n, uint64_t lo, uint64_t hi)
{
    uint32_t best = 0;

    for (unsigned i = 0; i < n; i++) {
        uint32_t t = known_type(in[i].type);
        if (in[i].base <= lo && entry_end(&in[i]) >= hi && priority[t] > priority[best])
            best = t;
    }
    return best;
}

/* Append [lo, hi) of type t to out, merging with the previous entry. */
static int emit(struct bootinfo_mmap_entry *out, unsigned *count, unsigned cap,
                uint64_t lo, uint64_t hi, uint32_t t)
{
    if (*count > 0) {
        struct bootinfo_mmap_entry *prev = &out[*count - 1];
        if (prev->type == t && prev->base + prev->length == lo) {
            prev->length += hi - lo;
            return 0;
        }
    }
    if (*count == cap)
        return -1;
    out[*count] = (struct bootinfo_mmap_entry){ .base = lo, .length = hi - lo, .type = t };
    (*count)++;
    return 0;
}

/*
 * Shrink usable entries inward to whole pages, above page 0, and drop the
 * ones left empty. Done after merging, so touching usable pieces count whole.
 */
static unsigned trim_usable(struct bootinfo_mmap_entry *e, unsigned n)
{
    unsigned kept = 0;

    for (unsigned i = 0; i < n; i++) {
        uint64_t lo = e[i].base, hi = e[i].base + e[i].length;
        if (e[i].type == BOOTINFO_MEM_USABLE) {
            if (lo > UINT64_MAX - PAGE_SIZE)
                continue;
            lo = lo < PAGE_SIZE ? PAGE_SIZE : (lo + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
            hi &= ~(PAGE_SIZE - 1);
            if (hi <= lo)
                continue;
        }
        e[kept++] = (struct bootinfo_mmap_entry){ .base = lo, .length = hi - lo, .type = e[i].type };
    }
    return kept;
}

int memmap_normalize(const struct bootinfo_mmap_entry *in, unsigned n,
                     struct bootinfo_mmap_entry *out, unsigned cap)
{
    unsigned count = 0;
    uint64_t at = UINT64_MAX;

    for (unsigned i = 0; i < n; i++)
        if (in[i].length && in[i].base < at)
            at = in[i].base;
    for (;;) {
        uint64_t next = next_boundary(in, n, at);
        uint32_t t;

        if (next == at)
            break;
        t = type_over(in, n, at, next);
        if (t && emit(out, &count, cap, at, next, t))
            return -1;
        at = next;
    }
    return (int)trim_usable(out, count);
}

int memmap_check(const struct bootinfo_mmap_entry *e, unsigned n,
                 const char **why, unsigned *bad)
{
    for (unsigned i = 0; i < n; i++) {
        *bad = i;
        if (e[i].type < 1 || e[i].type > BOOTINFO_MEM_TYPE_MAX)
            return *why = "unknown type", -1;
        if (e[i].length == 0 || e[i].length > UINT64_MAX - e[i].base)
            return *why = "bad length", -1;
        if (i > 0 && e[i].base < e[i - 1].base + e[i - 1].length)
            return *why = "unsorted or overlapping", -1;
        if (e[i].type == BOOTINFO_MEM_USABLE &&
            ((e[i].base | e[i].length) % PAGE_SIZE != 0 || e[i].base == 0))
            return *why = "usable range not page aligned or at page 0", -1;
    }
    return 0;
}

uint64_t memmap_total(const struct bootinfo_mmap_entry *e, unsigned n, uint32_t type)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < n; i++)
        if (e[i].type == type)
            sum += e[i].length;
    return sum;
}

const char *memmap_type_name(uint32_t type)
{
    static const char *const names[BOOTINFO_MEM_TYPE_MAX + 1] = {
        [BOOTINFO_MEM_USABLE] = "usable",
        [BOOTINFO_MEM_RESERVED] = "reserved",
        [BOOTINFO_MEM_ACPI_RECLAIM] = "ACPI reclaim",
        [BOOTINFO_MEM_ACPI_NVS] = "ACPI NVS",
        [BOOTINFO_MEM_BAD] = "bad",
        [BOOTINFO_MEM_LOADER_RECLAIM] = "loader",
        [BOOTINFO_MEM_KERNEL] = "kernel",
        [BOOTINFO_MEM_MODULE] = "module",
        [BOOTINFO_MEM_FRAMEBUFFER] = "framebuffer",
    };
    return type >= 1 && type <= BOOTINFO_MEM_TYPE_MAX ? names[type] : "unknown";
}
