/*
 * test_memmap.c - ktests on the memory map the loader handed over: in the
 * normal form of common/memmap.h (sorted, non-overlapping, ...), the
 * kernel's range typed KERNEL, the boot info in LOADER_RECLAIM memory,
 * usable memory page aligned and never page 0.
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "format.h"
#include "memmap.h"
#include "test/ktest.h"
#include <string.h>

#define PAGE 4096ULL
#define MAX_ENTRIES 512

static struct bootinfo_mmap_entry copy[MAX_ENTRIES];

/* The live map as a packed array (the loader's entry size may be larger). */
static unsigned live_map(void)
{
    unsigned n = bootinfo_get()->mmap_count;

    if (n > MAX_ENTRIES)
        n = MAX_ENTRIES;
    for (unsigned i = 0; i < n; i++)
        copy[i] = *bootinfo_mmap_entry(i);
    return n;
}

/* The entry containing [base, base + len), or NULL. */
static const struct bootinfo_mmap_entry *covering(unsigned n, uint64_t base, uint64_t len)
{
    for (unsigned i = 0; i < n; i++)
        if (copy[i].base <= base && base + len <= copy[i].base + copy[i].length)
            return &copy[i];
    return 0;
}

void ktest_memmap_normal_form(struct ktest *t)
{
    unsigned n = live_map(), bad = 0;
    const char *why = "";

    if (memmap_check(copy, n, &why, &bad) != 0)
        ktest_fail(t, __FILE__, __LINE__, "entry %u: %s", bad, why);
    for (unsigned i = 1; i < n; i++)
        KTEST_ASSERT(t, copy[i - 1].base + copy[i - 1].length <= copy[i].base);
}

void ktest_memmap_kernel_range(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    unsigned n = live_map();
    const struct bootinfo_mmap_entry *e = covering(n, bi->kernel_phys, bi->kernel_size);

    KTEST_ASSERT(t, bi->kernel_size > 0);
    KTEST_ASSERT_EQ(t, bi->kernel_phys % PAGE, 0);
    if (!KTEST_ASSERT(t, e != 0))
        return;
    KTEST_ASSERT_EQ(t, e->type, BOOTINFO_MEM_KERNEL);
    KTEST_ASSERT_EQ(t, bi->kernel_virt, 0xFFFFFFFF80000000ULL);
}

void ktest_memmap_bootinfo_reclaimable(struct ktest *t)
{
    unsigned n = live_map();
    const struct bootinfo_mmap_entry *e = covering(n, bootinfo_phys(), sizeof(struct bootinfo));

    if (!KTEST_ASSERT(t, e != 0))
        return;
    KTEST_ASSERT_EQ(t, e->type, BOOTINFO_MEM_LOADER_RECLAIM);
}

void ktest_memmap_usable_sane(struct ktest *t)
{
    unsigned n = live_map();

    KTEST_ASSERT(t, memmap_total(copy, n, BOOTINFO_MEM_USABLE) >= 16 * 1024 * 1024);
    for (unsigned i = 0; i < n; i++) {
        if (copy[i].type != BOOTINFO_MEM_USABLE)
            continue;
        KTEST_ASSERT(t, copy[i].base >= PAGE);
        KTEST_ASSERT_EQ(t, copy[i].base % PAGE, 0);
        KTEST_ASSERT_EQ(t, copy[i].length % PAGE, 0);
    }
}

/*
 * Every module= file the loader listed: page aligned, inside memory typed
 * MODULE (an empty file may have no memory), and, for the test module /boot/ktestmod.txt (tests/build.mk), byte for
 * byte what the image holds: 32-byte lines "tessera module test, line NNNNN".
 */
#define TEST_MODULE_NAME "/boot/ktestmod.txt"
#define TEST_MODULE_LINE 32

static void check_test_module(struct ktest *t, const char *data, uint64_t size)
{
    char expect[TEST_MODULE_LINE + 1];

    KTEST_ASSERT(t, size >= 64 * 1024);     /* spans many clusters and disk reads */
    if (!KTEST_ASSERT_EQ(t, size % TEST_MODULE_LINE, 0))
        return;
    for (uint64_t line = 0; line < size / TEST_MODULE_LINE; line++) {
        format_snprintf(expect, sizeof expect, "tessera module test, line %05llu\n",
                        (unsigned long long)line);
        if (memcmp(data + line * TEST_MODULE_LINE, expect, TEST_MODULE_LINE) != 0) {
            ktest_fail(t, __FILE__, __LINE__, "module line %llu differs", (unsigned long long)line);
            return;
        }
    }
}

void ktest_modules_loaded(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    unsigned n = live_map();

    if (!bi->module_count) {
        KTEST_SKIP(t, "no module= in boot.cfg");
        return;
    }
    for (unsigned i = 0; i < bi->module_count; i++) {
        const struct bootinfo_module *m = bootinfo_module(i);
        const struct bootinfo_mmap_entry *e = covering(n, m->addr, m->size ? m->size : 1);

        KTEST_ASSERT_EQ(t, m->addr % PAGE, 0);
        KTEST_ASSERT(t, memchr(m->name, '\0', sizeof m->name) != 0);
        if (m->size == 0)
            continue;                   /* an empty file: nothing in memory to check */
        if (!KTEST_ASSERT(t, e != 0))
            continue;
        KTEST_ASSERT_EQ(t, e->type, BOOTINFO_MEM_MODULE);
        if (strcmp(m->name, TEST_MODULE_NAME) == 0)
            check_test_module(t, arch_phys_to_virt(m->addr), m->size);
    }
}
