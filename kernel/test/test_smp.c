/*
 * test_smp.c - the application processors smp_init started (smp.c): as
 * many online as the MADT and the harness (cpus=N) say, each on its own
 * struct percpu (reached through its own GS base and local APIC), each
 * with guarded stacks.
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "acpi/acpi_kernel.h"
#include "arch/x86_64/smp.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/vmm.h"
#include "test/ktest.h"

#define PAGE 4096ULL

void ktest_smp_cpus_online(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    unsigned enabled = 0;
    uint64_t cpus;

    if (!a || !a->has_madt) {
        KTEST_ASSERT_EQ(t, smp_cpus_online(), 1);
        KTEST_SKIP(t, "no MADT: the boot CPU alone");
        return;
    }
    for (unsigned i = 0; i < a->cpu_count; i++)
        enabled += a->cpus[i].enabled;
    KTEST_ASSERT_EQ(t, smp_cpus_online(), enabled);
    if (cmdline_number(cmdline, len, "cpus", &cpus) == 1)
        KTEST_ASSERT_EQ(t, smp_cpus_online(), cpus);
    KTEST_ASSERT(t, smp_cpu(smp_cpus_online()) == NULL);
}

/* Listed, enabled, and only once among the CPUs online. */
static int madt_lists_once(const struct acpi_info *a, uint32_t apic_id, unsigned upto)
{
    int listed = 0;

    for (unsigned i = 0; i < a->cpu_count; i++)
        listed |= a->cpus[i].apic_id == apic_id && a->cpus[i].enabled;
    for (unsigned id = 0; id < upto; id++)
        if (smp_cpu(id)->apic_id == apic_id)
            return 0;
    return listed;
}

void ktest_smp_percpu_apic_ids(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();

    KTEST_ASSERT(t, percpu_this() == smp_cpu(0));
    for (unsigned id = 0; id < smp_cpus_online(); id++) {
        const struct percpu *c = smp_cpu(id);

        KTEST_ASSERT(t, c->self == c);
        KTEST_ASSERT_EQ(t, c->cpu_id, id);
        KTEST_ASSERT(t, c->online);
        KTEST_ASSERT_EQ(t, c->apic_id_seen, c->apic_id);    /* the AP wrote it through its GS base */
        if (a && a->has_madt)               /* else the boot CPU alone */
            KTEST_ASSERT(t, madt_lists_once(a, c->apic_id, id));
    }
}

/* A guarded stack: its top page and bottom page mapped, the page below not. */
static int guarded(uint64_t top, uint64_t size)
{
    const struct vmm_space *k = vmm_kernel_space();
    uint64_t base = top - size;

    return vmm_translate(k, top - PAGE) && vmm_translate(k, base) && !vmm_translate(k, base - PAGE);
}

void ktest_smp_stacks_guarded(struct ktest *t)
{
    for (unsigned id = 1; id < smp_cpus_online(); id++) {
        const struct percpu *c = smp_cpu(id);

        KTEST_ASSERT(t, guarded(c->stack_top, PERCPU_STACK_SIZE));
        for (int i = 0; i < IST_COUNT; i++) {
            KTEST_ASSERT(t, guarded(c->ist_top[i], IST_STACK_SIZE));
            KTEST_ASSERT_EQ(t, c->gdt.tss.ist[i], c->ist_top[i]);
        }
    }
}
