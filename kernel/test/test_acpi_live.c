/*
 * test_acpi_live.c - the ACPI tables of the machine we run on, as
 * drivers/acpi/ parsed them at boot, checked against what the hardware and
 * the raw tables say, never against one machine's constants: the local
 * APIC's address against the IA32_APIC_BASE MSR, each IOAPIC by reading
 * its version register at the address the MADT gives, and the IOAPIC count
 * and ISA IRQ 0's GSI by a separate walk over the MADT's entries
 * (QEMU routes it to GSI 2, other boards to 0 or elsewhere). The harness
 * passes the CPU count it started QEMU with as "cpus=N".
 *
 * A machine without ACPI (no RSDP from the firmware: old PCs, QEMU's
 * acpi=off) or without an MADT skips these tests; the kernel then runs on
 * the 8259s and one CPU.
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "arch.h"
#include "arch/x86_64/cpuid.h"
#include "arch/x86_64/msr.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "test/ktest.h"

#define MADT_ENTRIES        44          /* header (36), local APIC address, flags: ACPI 6.5, 5.2.12 */
#define MADT_TYPE_IOAPIC    1           /* I/O APIC, 5.2.12.3 */
#define MADT_TYPE_ISO       2           /* interrupt source override, 5.2.12.5 */
#define IOAPIC_REGSEL       0x00
#define IOAPIC_WIN          0x10
#define IOAPIC_REG_VERSION  0x01        /* bits 0-7 version, 16-23 highest entry: 82093AA 3.2.2 */

/* Skips (and returns 0) on a machine without ACPI tables or an MADT. */
static int have_madt(struct ktest *t, const struct acpi_info **a)
{
    *a = acpi_get();
    if (!bootinfo_get()->acpi_rsdp) {
        KTEST_SKIP(t, "no ACPI: the firmware gave no RSDP");
        return 0;
    }
    if (!KTEST_ASSERT(t, *a != NULL))
        return 0;
    if (!(*a)->has_madt) {
        KTEST_SKIP(t, "no MADT in the ACPI tables");
        return 0;
    }
    return 1;
}

void ktest_acpi_tables_parsed(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();

    if (!bootinfo_get()->acpi_rsdp) {
        KTEST_SKIP(t, "no ACPI: the firmware gave no RSDP");
        return;
    }
    if (!KTEST_ASSERT(t, a != NULL))
        return;
    KTEST_ASSERT_EQ(t, a->rsdp, bootinfo_get()->acpi_rsdp);
    KTEST_ASSERT_EQ(t, a->bad_tables, 0);
    KTEST_ASSERT(t, acpi_find_table(a, "FACP") != NULL);
    /* every FADT has a PM timer, but for a hardware-reduced ACPI machine's */
    KTEST_ASSERT(t, a->has_fadt && (a->pm_timer_port != 0 || (a->fadt_flags & ACPI_FADT_HW_REDUCED)));
}

/* Our own walk of the MADT: its `nth` entry of `type`, or NULL. */
static const uint8_t *madt_entry(const struct acpi_info *a, uint8_t type, unsigned nth)
{
    const struct acpi_table_ref *ref = acpi_find_table(a, "APIC");
    const uint8_t *madt = arch_phys_to_virt(ref->phys);

    for (uint32_t off = MADT_ENTRIES; off + 2 <= ref->length && madt[off + 1] >= 2; off += madt[off + 1])
        if (madt[off] == type && nth-- == 0)
            return madt + off;
    return 0;
}

static unsigned madt_count(const struct acpi_info *a, uint8_t type)
{
    unsigned n = 0;

    while (madt_entry(a, type, n))
        n++;
    return n;
}

/* ISA IRQ 0's GSI by our own walk: its override (bus 0, source 0), else 0 (identity). */
static uint32_t madt_irq0_gsi(const struct acpi_info *a)
{
    const uint8_t *e;
    uint32_t gsi = 0;

    for (unsigned i = 0; (e = madt_entry(a, MADT_TYPE_ISO, i)) != 0; i++)
        if (e[3] == 0)
            gsi = (uint32_t)e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 | (uint32_t)e[7] << 24;
    return gsi;
}

/* The IOAPIC at `addr` answers: a version and a redirection-table size. */
static int ioapic_answers(uint64_t addr)
{
    uint64_t va = kva_map_mmio(addr, 4096, VMM_UNCACHED, "ioapic test");
    uint32_t v;

    if (!va)
        return 0;
    *(volatile uint32_t *)(uintptr_t)(va + IOAPIC_REGSEL) = IOAPIC_REG_VERSION;
    v = *(volatile uint32_t *)(uintptr_t)(va + IOAPIC_WIN);
    kva_free(va);
    return v != 0xFFFFFFFF && (v & 0xFF) != 0 && ((v >> 16) & 0xFF) != 0;
}

void ktest_acpi_madt_matches_machine(struct ktest *t)
{
    const struct acpi_info *a;
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t cpus;
    uint32_t bsp = arch_cpuid(CPUID_LEAF_FEATURES, 0).ebx >> 24;
    int bsp_listed = 0;

    if (!have_madt(t, &a))
        return;
    for (unsigned i = 0; i < a->cpu_count; i++)
        bsp_listed |= a->cpus[i].apic_id == bsp && a->cpus[i].enabled;
    KTEST_ASSERT(t, bsp_listed);
    if (cmdline_number(cmdline, len, "cpus", &cpus) == 1)
        KTEST_ASSERT_EQ(t, a->cpu_count, cpus);
    KTEST_ASSERT_EQ(t, a->ioapic_count, madt_count(a, MADT_TYPE_IOAPIC));  /* none: PIC mode */
    for (unsigned i = 0; i < a->ioapic_count; i++)
        KTEST_ASSERT(t, ioapic_answers(a->ioapics[i].addr));
    KTEST_ASSERT_EQ(t, acpi_isa_irq(a, 0).gsi, madt_irq0_gsi(a));
    KTEST_ASSERT_EQ(t, a->lapic_addr, arch_rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK);
}
