/*
 * test_elf64.c - host tests for the kernel ELF check (common/elf64.c): a
 * well-formed kernel built in memory, then one corruption per test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "elf64.h"

#define KBASE ELF_KERNEL_VBASE

/* A 3-segment kernel: text at +0, rodata at +0x2000, data+bss at +0x3000. */
struct image {
    struct elf64_ehdr eh;
    struct elf64_phdr ph[4];
    uint8_t body[0x4000];
};

static struct image img;

static void build(void)
{
    memset(&img, 0, sizeof img);
    memcpy(img.eh.e_ident, "\x7F" "ELF", 4);
    img.eh.e_ident[4] = ELFCLASS64;
    img.eh.e_ident[5] = ELFDATA2LSB;
    img.eh.e_ident[6] = EV_CURRENT;
    img.eh.e_type = ET_EXEC;
    img.eh.e_machine = EM_X86_64;
    img.eh.e_version = EV_CURRENT;
    img.eh.e_entry = KBASE + 0x1010;
    img.eh.e_phoff = offsetof(struct image, ph);
    img.eh.e_ehsize = sizeof img.eh;
    img.eh.e_phentsize = sizeof img.ph[0];
    img.eh.e_phnum = 4;
    img.ph[0] = (struct elf64_phdr){ PT_LOAD, PF_R | PF_X, 0x1000, KBASE + 0x1000, 0, 0x1000, 0x1000, 0x1000 };
    img.ph[1] = (struct elf64_phdr){ PT_LOAD, PF_R, 0x2000, KBASE + 0x2000, 0, 0x800, 0x800, 0x1000 };
    img.ph[2] = (struct elf64_phdr){ PT_LOAD, PF_R | PF_W, 0x3000, KBASE + 0x3000, 0, 0x100, 0x5000, 0x1000 };
    img.ph[3] = (struct elf64_phdr){ 0x6474e551, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };  /* GNU_STACK */
}

static int check(size_t size, const char **why)
{
    struct elf64_kernel_info info;
    int bad;

    return elf64_check_kernel(&img, size, &info, why, &bad);
}

static void expect_reject(const char *phrase)
{
    const char *why = NULL;

    assert_int_equal(check(sizeof img, &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, phrase));
}

static void test_good_kernel(void **state)
{
    struct elf64_kernel_info info;
    const char *why = NULL;
    int bad;

    (void)state;
    build();
    assert_int_equal(elf64_check_kernel(&img, sizeof img, &info, &why, &bad), 0);
    assert_int_equal(info.entry, KBASE + 0x1010);
    assert_int_equal(info.vaddr_lo, KBASE + 0x1000);
    assert_int_equal(info.vaddr_hi, KBASE + 0x8000);
    assert_int_equal(info.load_count, 3);
}

static void test_bad_identification(void **state)
{
    (void)state;
    build(); img.eh.e_ident[0] = 'M'; expect_reject("not an ELF file");
    build(); img.eh.e_ident[4] = 1; expect_reject("ELF64");
    build(); img.eh.e_ident[5] = 2; expect_reject("little-endian");
    build(); img.eh.e_machine = 3; expect_reject("x86_64");
    build(); img.eh.e_type = 3; expect_reject("executable");
}

static void test_program_header_table(void **state)
{
    (void)state;
    build(); img.eh.e_phnum = 0; expect_reject("no program headers");
    build(); img.eh.e_phentsize = 32; expect_reject("e_phentsize");
    build(); img.eh.e_phoff = sizeof img - 8; expect_reject("outside the file");
    build(); img.eh.e_phoff = UINT64_MAX - 8; expect_reject("outside the file");
    build(); img.eh.e_phoff = 65; expect_reject("misaligned");
}

static void test_segments(void **state)
{
    (void)state;
    build(); img.ph[1].p_filesz = 0x900; expect_reject("file size above memory size");
    build(); img.ph[0].p_offset = sizeof img; expect_reject("outside the file");
    build(); img.ph[0].p_filesz = UINT64_MAX; img.ph[0].p_memsz = UINT64_MAX;
    expect_reject("outside the file");
    build(); img.ph[2].p_vaddr = 0x400000; img.ph[2].p_offset = 0x3000; expect_reject("address window");
    build(); img.ph[2].p_vaddr = UINT64_MAX - 0xFFF; expect_reject("address window");
    build(); img.ph[1].p_vaddr = KBASE + 0x1800; img.ph[1].p_offset = 0x800; expect_reject("share a page");
    build(); img.ph[1].p_offset = 0x2100; expect_reject("congruent");
    build(); img.eh.e_entry = KBASE; expect_reject("entry point");
    build(); for (int i = 0; i < 3; i++) img.ph[i].p_type = PT_NULL; expect_reject("no PT_LOAD");
}

static void test_truncated_files(void **state)
{
    const char *why;

    (void)state;
    build();
    assert_int_equal(check(0, &why), -1);
    assert_int_equal(check(63, &why), -1);
    assert_int_equal(check(sizeof img.eh + 10, &why), -1);
    assert_int_equal(check(0x3000, &why), -1);        /* data segment cut off */
    assert_int_equal(check(0x3100, &why), 0);         /* exactly enough */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_kernel),
        cmocka_unit_test(test_bad_identification),
        cmocka_unit_test(test_program_header_table),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_truncated_files),
    };
    return cmocka_run_group_tests_name("elf64", tests, NULL, NULL);
}
