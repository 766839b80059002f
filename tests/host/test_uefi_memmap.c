/*
 * test_uefi_memmap.c - host tests for common/memmap.c used the way the UEFI
 * loader uses it (bootloader-uefi/memmap.c, memmap_convert): one entry per
 * EFI descriptor, already converted to boot-info types (neighbours of the
 * same type unmerged, as OVMF reports them), then one carve-out per loader
 * allocation inside LoaderData (typed KERNEL, MODULE, LOADER_RECLAIM), then
 * normalisation into an output array of the loader's capacity (2 x input
 * + 1). The shapes are from a real OVMF map (q35, 256 MiB).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "memmap.h"

#define E(b, l, t) { .base = (b), .length = (l), .type = (t) }
#define USABLE   BOOTINFO_MEM_USABLE
#define RESERVED BOOTINFO_MEM_RESERVED
#define RECLAIM  BOOTINFO_MEM_LOADER_RECLAIM
#define KERNEL   BOOTINFO_MEM_KERNEL
#define MODULE   BOOTINFO_MEM_MODULE
#define NVS      BOOTINFO_MEM_ACPI_NVS
#define CAP      64

static struct bootinfo_mmap_entry out[2 * CAP + 1];

static int normalize(const struct bootinfo_mmap_entry *in, unsigned n)
{
    const char *why;
    unsigned bad;
    int count = memmap_normalize(in, n, out, 2 * n + 1);

    assert_true(count > 0);
    assert_int_equal(memmap_check(out, (unsigned)count, &why, &bad), 0);
    return count;
}

/* The entry holding addr, or NULL. */
static const struct bootinfo_mmap_entry *at(int count, uint64_t addr)
{
    for (int i = 0; i < count; i++)
        if (out[i].base <= addr && addr - out[i].base < out[i].length)
            return &out[i];
    return NULL;
}

/* Descriptors: page 0 usable (OVMF reports it), split usable runs
 * (boot-services data, loader data, conventional), ACPI NVS, MMIO. */
static const struct bootinfo_mmap_entry ovmf[] = {
    E(0x0, 0xA0000, USABLE),
    E(0x100000, 0x700000, USABLE),
    E(0x800000, 0x8000, NVS),
    E(0x808000, 0x8000, USABLE),
    E(0x900000, 0xD500000, USABLE),             /* conventional */
    E(0xDE00000, 0x80000, USABLE),              /* loader data: our allocations */
    E(0xDE80000, 0x20000, USABLE),              /* loader code: the image */
    E(0xDEA0000, 0x160000, USABLE),             /* boot-services data */
    E(0xF000000, 0x1000000, RESERVED),          /* runtime services */
    E(0xB0000000, 0x10000000, RESERVED),        /* PCIe ECAM (MMIO) */
};

static void test_carve_outs_win_inside_loader_data(void **state)
{
    struct bootinfo_mmap_entry in[CAP];
    unsigned n = sizeof ovmf / sizeof ovmf[0];
    int count;

    (void)state;
    memcpy(in, ovmf, sizeof ovmf);
    in[n++] = (struct bootinfo_mmap_entry)E(0xDE07000, 0x34000, KERNEL);
    in[n++] = (struct bootinfo_mmap_entry)E(0xDE3B000, 0x19000, MODULE);
    in[n++] = (struct bootinfo_mmap_entry)E(0xDE63000, 0x9000, RECLAIM);   /* page tables */
    in[n++] = (struct bootinfo_mmap_entry)E(0xDE6C000, 0x9000, RECLAIM);   /* boot block */
    count = normalize(in, n);
    assert_int_equal(at(count, 0xDE07000)->type, KERNEL);
    assert_int_equal(at(count, 0xDE07000)->length, 0x34000);
    assert_int_equal(at(count, 0xDE3B000)->type, MODULE);
    /* the two LOADER_RECLAIM allocations touch: one entry */
    assert_int_equal(at(count, 0xDE63000)->type, RECLAIM);
    assert_int_equal(at(count, 0xDE63000)->length, 0x12000);
    /* the loader's own image and boot-services memory are usable again */
    assert_int_equal(at(count, 0xDE80000)->type, USABLE);
    assert_int_equal(at(count, 0xDFF0000)->type, USABLE);
    /* page 0 is never handed out */
    assert_null(at(count, 0x0));
    assert_int_equal(at(count, 0x1000)->type, USABLE);
}

static void test_split_usable_descriptors_merge(void **state)
{
    int count;

    (void)state;
    count = normalize(ovmf, sizeof ovmf / sizeof ovmf[0]);
    /* conventional, loader data, loader code and boot-services data: one run */
    assert_int_equal(at(count, 0x900000)->base, 0x900000);
    assert_int_equal(at(count, 0x900000)->length, 0xE000000 - 0x900000);
    assert_int_equal(at(count, 0x800000)->type, NVS);
    assert_int_equal(at(count, 0xB0000000)->type, RESERVED);
    assert_int_equal(memmap_total(out, (unsigned)count, USABLE),
                     0x9F000 + 0x700000 + 0x8000 + 0xD700000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carve_outs_win_inside_loader_data),
        cmocka_unit_test(test_split_usable_descriptors_merge),
    };
    return cmocka_run_group_tests_name("uefi_memmap", tests, NULL, NULL);
}
