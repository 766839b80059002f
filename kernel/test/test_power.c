/*
 * test_power.c - the \_S5 finder power_off uses (kernel/power.h): on
 * made-up AML (a definition with ByteConsts, one with Zero/One and a
 * root prefix, a use that is no definition, a package cut short) and on
 * the firmware's own DSDT, which every QEMU machine gives a \_S5 (and a
 * machine without ACPI tables has none).
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "power.h"
#include "test/ktest.h"

void ktest_power_s5_types(struct ktest *t)
{
    static const uint8_t bytes[] = { 0x10, 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0A, 0x05, 0x0A, 0x07, 0, 0 };
    static const uint8_t zero_one[] = { 0x08, 0x5C, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01, 0x00, 0x00 };
    static const uint8_t use_only[] = { 0x70, 0x5C, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x01 };
    static const uint8_t cut[] = { 0x00, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0A };
    uint8_t a = 0xEE, b = 0xEE;

    KTEST_ASSERT_EQ(t, power_s5_types(bytes, sizeof bytes, &a, &b), 0);
    KTEST_ASSERT_EQ(t, a, 5);
    KTEST_ASSERT_EQ(t, b, 7);
    KTEST_ASSERT_EQ(t, power_s5_types(zero_one, sizeof zero_one, &a, &b), 0);
    KTEST_ASSERT_EQ(t, a, 0);
    KTEST_ASSERT_EQ(t, b, 1);
    KTEST_ASSERT_EQ(t, power_s5_types(use_only, sizeof use_only, &a, &b), -1);
    KTEST_ASSERT_EQ(t, power_s5_types(cut, sizeof cut, &a, &b), -1);
    if (!acpi_get()) {                      /* acpi=off: no tables, so no S5 (power_off halts) */
        KTEST_ASSERT_EQ(t, power_s5_of_dsdt(&a, &b), -1);
        return;
    }
    KTEST_ASSERT_EQ(t, power_s5_of_dsdt(&a, &b), 0);   /* every QEMU machine's DSDT defines \_S5 */
    KTEST_ASSERT(t, a < 8 && b < 8);        /* SLP_TYPx is a 3-bit field */
}
