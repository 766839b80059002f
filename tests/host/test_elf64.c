/*
 * test_elf64.c - host tests for the kernel ELF check (common/elf64.c): the
 * base kernel of tests/rules/elfcase.h accepted with what the loaders need
 * from it, truncated files, and every row of the corpus tests/rules/elf.txt
 * (verdict, rule name, program header), as both loaders must judge them;
 * tests/rules/boot.sh boots a sample of the same rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf64.h"
#include "../rules/elfcase.h"
#include "../rules/table.h"

#define CORPUS "tests/rules/elf.txt"
#define KBASE ELF_KERNEL_VBASE

static struct elfcase_image img;

static int check(size_t size, int *bad)
{
    struct elf64_kernel_info info;

    return elf64_check_kernel(&img, size, &info, bad);
}

static void test_good_kernel(void **state)
{
    struct elf64_kernel_info info;
    int bad;

    (void)state;
    elfcase_build(&img);
    assert_int_equal(elf64_check_kernel(&img, sizeof img, &info, &bad), BOOTRULE_OK);
    assert_int_equal(bad, -1);
    assert_int_equal(info.entry, KBASE + 0x1010);
    assert_int_equal(info.vaddr_lo, KBASE + 0x1000);
    assert_int_equal(info.vaddr_hi, KBASE + 0x8000);
    assert_int_equal(info.load_count, 3);
}

static void test_truncated_files(void **state)
{
    int bad;

    (void)state;
    elfcase_build(&img);
    assert_int_equal(check(0, &bad), BOOTRULE_ELF_SIZE);
    assert_int_equal(check(63, &bad), BOOTRULE_ELF_SIZE);
    assert_int_equal(check(sizeof img.eh + 10, &bad), BOOTRULE_ELF_PHDRS);
    assert_int_equal(check(0x3000, &bad), BOOTRULE_ELF_LOAD_FILE);    /* data cut off */
    assert_int_equal(bad, 2);
    assert_int_equal(check(0x3100, &bad), BOOTRULE_OK);               /* exactly enough */
}

/* The entry point: in the file bytes of an executable PT_LOAD, nowhere else. */
static void test_entry_point(void **state)
{
    int bad;

    (void)state;
    elfcase_build(&img);
    img.eh.e_entry = KBASE + 0x1FFF;                    /* the text's last byte */
    assert_int_equal(check(sizeof img, &bad), BOOTRULE_OK);
    img.eh.e_entry = KBASE + 0x2000;                    /* rodata: not PF_X */
    assert_int_equal(check(sizeof img, &bad), BOOTRULE_ELF_ENTRY);
    elfcase_build(&img);
    img.ph[2].p_flags |= PF_X;
    img.eh.e_entry = KBASE + 0x30FF;                    /* data's last file byte */
    assert_int_equal(check(sizeof img, &bad), BOOTRULE_OK);
    img.eh.e_entry = KBASE + 0x3100;                    /* its bss */
    assert_int_equal(check(sizeof img, &bad), BOOTRULE_ELF_ENTRY);
}

/* One row: NAME accept|refuse RULE PHDR qemu|- CHANGES... 0 when the check agrees. */
static int check_row(const struct table_row *row)
{
    size_t size = sizeof img;
    int bad, rule;
    int want_accept = strcmp(row->field[1], "accept") == 0;
    int want_bad = strcmp(row->field[3], "-") == 0 ? -1 : atoi(row->field[3]);

    elfcase_build(&img);
    for (int i = 5; i < row->count; i++)
        assert_int_equal(elfcase_apply(&img, &size, row->field[i]), 0);
    rule = check(size, &bad);
    if (want_accept ? rule == BOOTRULE_OK
                    : strcmp(bootrule_name(rule), row->field[2]) == 0 && bad == want_bad)
        return 0;
    fprintf(stderr, "elf.txt: %s: want %s %s header %s, got %s header %d\n", row->field[0],
            row->field[1], row->field[2], row->field[3], bootrule_name(rule), bad);
    return 1;
}

static void test_corpus(void **state)
{
    int rows;

    (void)state;
    assert_int_equal(table_run(CORPUS, check_row, BOOTRULE_ELF_SIZE, BOOTRULE_ELF_ENTRY, &rows), 0);
    assert_true(rows > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_kernel),
        cmocka_unit_test(test_truncated_files),
        cmocka_unit_test(test_entry_point),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests_name("elf64", tests, NULL, NULL);
}
