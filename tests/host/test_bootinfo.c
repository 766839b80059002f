/*
 * test_bootinfo.c - the boot-info ABI seen from the host: the layout rules of
 * common/bootinfo.h, and the NASM offsets generated from it
 * (build/gen/bootinfo.inc, path in $BOOTINFO_INC) agree with offsetof().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootinfo.h"

static void test_magic_spells_tessinfo(void **state)
{
    uint64_t magic = BOOTINFO_MAGIC;

    (void)state;
    assert_memory_equal(&magic, "TESSINFO", 8);
}

static void test_u64_fields_naturally_aligned(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct bootinfo, cmdline) % 8, 0);
    assert_int_equal(offsetof(struct bootinfo, mmap) % 8, 0);
    assert_int_equal(offsetof(struct bootinfo, fb) % 8, 0);
    assert_int_equal(offsetof(struct bootinfo, modules) % 8, 0);
    assert_int_equal(offsetof(struct bootinfo, loader_log) % 8, 0);
    assert_int_equal(offsetof(struct bootinfo, disk_bytes) % 8, 0);
    assert_int_equal(offsetof(struct bootinfo, steps) % 8, 0);
    assert_int_equal(sizeof(struct bootinfo) % 8, 0);
}

/* Look up `%define NAME VALUE` in the generated include. */
static long inc_value(const char *text, const char *name)
{
    char pattern[64];
    const char *p;

    snprintf(pattern, sizeof pattern, "%%define %s ", name);
    p = strstr(text, pattern);
    if (!p)
        return -1;
    return strtol(p + strlen(pattern), NULL, 0);
}

static void test_generated_nasm_offsets_match(void **state)
{
    const char *path = getenv("BOOTINFO_INC");
    static char text[16384];
    FILE *f;
    size_t n;

    (void)state;
    assert_non_null(path);
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_int_equal(inc_value(text, "BI_SIZE"), sizeof(struct bootinfo));
    assert_int_equal(inc_value(text, "BI_MMAP"), offsetof(struct bootinfo, mmap));
    assert_int_equal(inc_value(text, "BI_FB_BPP"), offsetof(struct bootinfo, fb.bpp));
    assert_int_equal(inc_value(text, "BI_KERNEL_PHYS"), offsetof(struct bootinfo, kernel_phys));
    assert_int_equal(inc_value(text, "BI_BOOT_BIOS_DRIVE"), offsetof(struct bootinfo, bootdev.bios_drive));
    assert_int_equal(inc_value(text, "BI_STEPS"), offsetof(struct bootinfo, steps));
    assert_int_equal(inc_value(text, "STEP_NAME"), offsetof(struct bootinfo_step, name));
    assert_int_equal(inc_value(text, "BI_MMAP_ENTRY_SIZEOF"), sizeof(struct bootinfo_mmap_entry));
    assert_int_equal(inc_value(text, "BOOTINFO_MAX_STEPS"), BOOTINFO_MAX_STEPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_magic_spells_tessinfo),
        cmocka_unit_test(test_u64_fields_naturally_aligned),
        cmocka_unit_test(test_generated_nasm_offsets_match),
    };
    return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
