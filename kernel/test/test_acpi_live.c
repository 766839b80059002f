/*
 * test_acpi_live.c - the ACPI tables of the machine we run on, as
 * drivers/acpi/ parsed them at boot. QEMU's firmware (SeaBIOS and OVMF
 * alike) always gives an MADT with one IOAPIC at 0xFEC00000 and the PIT
 * (ISA IRQ 0) overridden to GSI 2, and a FADT with a PM timer. The test
 * harness passes the CPU count it started QEMU with as "cpus=N".
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "test/ktest.h"

static uint32_t boot_cpu_apic_id(void)
{
    uint32_t a, b, c, d;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return b >> 24;
}

void ktest_acpi_tables_parsed(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();

    if (!KTEST_ASSERT(t, a != NULL))
        return;
    KTEST_ASSERT_EQ(t, a->rsdp, bootinfo_get()->acpi_rsdp);
    KTEST_ASSERT_EQ(t, a->bad_tables, 0);
    KTEST_ASSERT(t, acpi_find_table(a, "APIC") && acpi_find_table(a, "FACP"));
    KTEST_ASSERT(t, a->has_fadt && a->pm_timer_port != 0);
}

void ktest_acpi_madt_matches_machine(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t cpus;
    int bsp_listed = 0;

    if (!KTEST_ASSERT(t, a && a->has_madt))
        return;
    for (unsigned i = 0; i < a->cpu_count; i++)
        bsp_listed |= a->cpus[i].apic_id == boot_cpu_apic_id() && a->cpus[i].enabled;
    KTEST_ASSERT(t, bsp_listed);
    if (cmdline_number(cmdline, len, "cpus", &cpus) == 1)
        KTEST_ASSERT_EQ(t, a->cpu_count, cpus);
    KTEST_ASSERT_EQ(t, a->ioapic_count, 1);
    KTEST_ASSERT_EQ(t, a->ioapics[0].addr, 0xFEC00000);
    KTEST_ASSERT_EQ(t, acpi_isa_irq(a, 0).gsi, 2);
    KTEST_ASSERT(t, a->lapic_addr == 0xFEE00000);
}
