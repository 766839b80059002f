/*
 * test_bootinfo.c - ktests for bootinfo_check: the structure the loader
 * really gave, and forged ones (good, wrong magic, wrong major, too small,
 * bad memory map). Each refusal must name what was expected and found.
 */
#include "boot/bootinfo_view.h"
#include "format.h"
#include "test/ktest.h"

static struct bootinfo forged;
static char why[160];

/* A minimal structure that passes: header, size, a one-entry memory map. */
static struct bootinfo *forge(void)
{
    memset(&forged, 0, sizeof forged);
    forged.magic = BOOTINFO_MAGIC;
    forged.version_major = BOOTINFO_MAJOR;
    forged.version_minor = BOOTINFO_MINOR;
    forged.size = sizeof forged;
    forged.mmap_count = 1;
    forged.mmap_entry_size = sizeof(struct bootinfo_mmap_entry);
    return &forged;
}

static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++)
        if (strncmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

void ktest_bootinfo_live_is_good(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, bootinfo_check(bootinfo_get(), why, sizeof why), BOOTINFO_OK);
}

void ktest_bootinfo_forged_good(struct ktest *t)
{
    struct bootinfo *bi = forge();

    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_OK);
    bi->version_minor = BOOTINFO_MINOR + 7;     /* any minor of our major */
    bi->size = sizeof *bi + 64;                 /* a newer, larger structure */
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_OK);
}

void ktest_bootinfo_bad_magic(struct ktest *t)
{
    struct bootinfo *bi = forge();

    bi->magic = 0x1234;
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_BAD_MAGIC);
    KTEST_ASSERT(t, contains(why, "0x1234"));
    KTEST_ASSERT(t, contains(why, "0x4f464e4953534554"));
}

void ktest_bootinfo_bad_major(struct ktest *t)
{
    struct bootinfo *bi = forge();
    char expected[16];

    bi->version_major = BOOTINFO_MAJOR + 1;
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_BAD_MAJOR);
    format_snprintf(expected, sizeof expected, "%u.", BOOTINFO_MAJOR + 1);
    KTEST_ASSERT(t, contains(why, expected));
    format_snprintf(expected, sizeof expected, "major %u", BOOTINFO_MAJOR);
    KTEST_ASSERT(t, contains(why, expected));
}

void ktest_bootinfo_too_small(struct ktest *t)
{
    struct bootinfo *bi = forge();

    bi->size = 16;
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_TOO_SMALL);
    KTEST_ASSERT(t, contains(why, "size 16 "));
    bi->size = BOOTINFO_MIN_SIZE - 1;
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_TOO_SMALL);
}

void ktest_bootinfo_bad_mmap(struct ktest *t)
{
    struct bootinfo *bi = forge();

    bi->mmap_count = 0;
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_BAD_MMAP);
    bi = forge();
    bi->mmap_entry_size = 8;
    KTEST_ASSERT_EQ(t, bootinfo_check(bi, why, sizeof why), BOOTINFO_BAD_MMAP);
}
