/*
 * lapic.c - the boot CPU's local APIC (see lapic.h). Register layout and
 * the x2APIC MSR mapping: Intel SDM vol. 3A, 10.4 (xAPIC base and enable),
 * 10.5 (LVT), 10.8.5 (EOI), 10.9 (spurious vector), 10.12 (x2APIC).
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "apic/lapic.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "printk.h"

#define SVR_APIC_ENABLE     (1u << 8)   /* APIC software enable */
#define XAPIC_ID_SHIFT      24          /* xAPIC: the id is bits 31:24 */
#define ICR_DELIVERY_STATUS (1u << 12)  /* xAPIC: send pending */
#define ICR_DEST_SELF       (1u << 18)  /* destination shorthand 01: self */
#define ICR_LEVEL_ASSERT    (1u << 14)
#define ICR_DELIVERY_INIT   (5u << 8)   /* delivery mode 101: INIT */
#define ICR_DEST_OTHERS     (3u << 18)  /* destination shorthand 11: all excluding self */
#define ACPI_NMI_ALL_CPUS   0xFFFFFFFFu

static volatile uint8_t *mmio;  /* xAPIC page; NULL in x2APIC mode */
static int x2apic;
static int ready;

uint32_t lapic_read(unsigned reg)
{
    if (x2apic)
        return (uint32_t)arch_rdmsr(MSR_X2APIC_BASE + (reg >> 4));
    return arch_mmio_read32(mmio + reg);
}

void lapic_write(unsigned reg, uint32_t value)
{
    if (x2apic)
        arch_wrmsr(MSR_X2APIC_BASE + (reg >> 4), value);
    else
        arch_mmio_write32(mmio + reg, value);
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    uint32_t id = lapic_read(LAPIC_ID);

    return x2apic ? id : id >> XAPIC_ID_SHIFT;
}

int lapic_is_x2apic(void)
{
    return x2apic;
}

int lapic_ready(void)
{
    return ready;
}

/* xAPIC: the previous IPI has left (x2APIC ICR writes do not wait). */
static void wait_icr_idle(void)
{
    if (!x2apic)
        while (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_STATUS)
            arch_cpu_relax();
}

void lapic_send_self_ipi(uint8_t vector)
{
    if (x2apic) {
        arch_wrmsr(MSR_X2APIC_BASE + (LAPIC_SELF_IPI >> 4), vector);
        return;
    }
    wait_icr_idle();
    lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | ICR_LEVEL_ASSERT | vector);
}

/*
 * Choose the register interface: x2APIC when the CPU offers it (switching
 * EXTD on, from xAPIC mode as 10.12.5 requires), else the MMIO page at the
 * address IA32_APIC_BASE gives. That page (0xFEE00000 on PCs) lies in the
 * first 4 GiB the direct map covers, where the kernel's page tables map
 * memory without RAM uncached (kernel/mm/vmm.c).
 */
static uint64_t choose_mode(void)
{
    uint64_t base = arch_rdmsr(MSR_IA32_APIC_BASE);
    uint64_t phys = base & APIC_BASE_ADDR_MASK;

    if (!(base & APIC_BASE_ENABLE))
        arch_wrmsr(MSR_IA32_APIC_BASE, base |= APIC_BASE_ENABLE);
    if (arch_cpu_has_x2apic()) {
        arch_wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
        x2apic = 1;
    } else {
        mmio = arch_phys_to_virt(phys);
    }
    return phys;
}

/*
 * Send INIT to every other CPU: each waits for a startup IPI from then on,
 * running nothing (SDM vol. 3A, 8.4.4 and 10.6.1). The firmware may have
 * left its application processors in a loop of its own (OVMF's spins with
 * MWAIT in boot-services memory the kernel will reuse; under QEMU TCG such
 * a loop also takes host CPU time from the boot CPU, whose timer ticks are
 * then lost). SMP starts them again with INIT, SIPI, SIPI.
 */
static void park_other_cpus(const struct acpi_info *acpi)
{
    if (!acpi || acpi->cpu_count < 2)
        return;
    wait_icr_idle();
    lapic_write(LAPIC_ICR_HIGH, 0);
    lapic_write(LAPIC_ICR_LOW, ICR_DEST_OTHERS | ICR_LEVEL_ASSERT | ICR_DELIVERY_INIT);
    wait_icr_idle();
    printk(LOG_INFO, "[apic] INIT sent to the %u other CPUs: parked until SMP starts them\n",
           acpi->cpu_count - 1);
}

/* This CPU's ACPI processor UID, as the MADT pairs it with our APIC id. */
static uint32_t boot_cpu_uid(const struct acpi_info *acpi)
{
    for (unsigned i = 0; i < acpi->cpu_count; i++)
        if (acpi->cpus[i].apic_id == lapic_id())
            return acpi->cpus[i].uid;
    return ACPI_NMI_ALL_CPUS;
}

/* LINT1 as the MADT's NMI entries for this CPU say (QEMU: LINT1, edge, high). */
static void wire_lint_pins(const struct acpi_info *acpi)
{
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
    for (unsigned i = 0; acpi && i < acpi->nmi_count; i++) {
        const struct acpi_nmi *n = &acpi->nmis[i];
        uint32_t lvt = LAPIC_LVT_DELIVERY_NMI;

        if (n->uid != ACPI_NMI_ALL_CPUS && n->uid != boot_cpu_uid(acpi))
            continue;
        if (n->polarity == ACPI_POLARITY_LOW)
            lvt |= LAPIC_LVT_ACTIVE_LOW;
        lapic_write(n->lint ? LAPIC_LVT_LINT1 : LAPIC_LVT_LINT0, lvt);
    }
}

int lapic_init(const struct acpi_info *acpi)
{
    uint64_t phys;

    if (!arch_cpu_has_apic())
        return -1;
    phys = choose_mode();
    if (acpi && acpi->has_madt && acpi->lapic_addr != phys)
        printk(LOG_WARN, "[apic] MADT says the local APIC is at 0x%llx, IA32_APIC_BASE 0x%llx: "
               "using the MSR\n", (unsigned long long)acpi->lapic_addr, (unsigned long long)phys);
    lapic_write(LAPIC_TPR, 0);                  /* accept every priority class */
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    wire_lint_pins(acpi);
    lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | VEC_SPURIOUS);
    lapic_write(LAPIC_ESR, 0);                  /* clear old errors (10.5.3) */
    ready = 1;
    printk(LOG_INFO, "[apic] local APIC id %u, version 0x%x, %s, spurious vector 0x%x\n",
           (unsigned)lapic_id(), (unsigned)(lapic_read(LAPIC_VERSION) & 0xFF),
           x2apic ? "x2APIC mode (MSRs)" : "xAPIC mode (MMIO)", VEC_SPURIOUS);
    if (!x2apic)
        printk(LOG_INFO, "[apic] xAPIC registers at 0x%llx\n", (unsigned long long)phys);
    park_other_cpus(acpi);
    return 0;
}
