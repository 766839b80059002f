/*
 * lapic.c - the local APICs (see lapic.h). Register layout and
 * the x2APIC MSR mapping: Intel SDM vol. 3A, 10.4 (xAPIC base and enable),
 * 10.5 (LVT), 10.8.5 (EOI), 10.9 (spurious vector), 10.12 (x2APIC).
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "x86/lapic.h"
#include "arch.h"
#include "arch/x86_64/idt.h"
#include "printk.h"

#define SVR_APIC_ENABLE     (1u << 8)   /* APIC software enable */
#define XAPIC_ID_SHIFT      24          /* xAPIC: the id is bits 31:24 */
#define ICR_DELIVERY_STATUS (1u << 12)  /* xAPIC: send pending */
#define ICR_DEST_SELF       (1u << 18)  /* destination shorthand 01: self */
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

int lapic_irr_pending(uint8_t vector)
{
    return lapic_read(LAPIC_IRR0 + 0x10 * (vector / 32)) >> (vector % 32) & 1;
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
    lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | LAPIC_ICR_ASSERT | vector);
}

/*
 * x2APIC: one 64-bit ICR write, destination in bits 63:32 (10.12.9);
 * xAPIC: the destination (bits 31:24 of ICR_HIGH) first, the low word
 * sends, and the next IPI waits until it has left. Interrupts are off
 * between the two writes: a handler that sent an IPI of its own there
 * would change the destination under us.
 */
static void send_icr(uint32_t high, uint32_t low)
{
    uint64_t flags = arch_irq_save();

    wait_icr_idle();
    lapic_write(LAPIC_ICR_HIGH, high);
    lapic_write(LAPIC_ICR_LOW, low);
    wait_icr_idle();
    arch_irq_restore(flags);
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr)
{
    if (x2apic)
        arch_wrmsr_ordered(MSR_X2APIC_BASE + (LAPIC_ICR_LOW >> 4), (uint64_t)apic_id << 32 | icr);
    else
        send_icr(apic_id << XAPIC_ID_SHIFT, icr);
}

void lapic_send_ipi_others(uint32_t icr)
{
    if (x2apic)
        arch_wrmsr_ordered(MSR_X2APIC_BASE + (LAPIC_ICR_LOW >> 4), ICR_DEST_OTHERS | icr);
    else
        send_icr(0, ICR_DEST_OTHERS | icr);
}

/* Local APIC: globally enabled, and in x2APIC mode when the boot CPU chose it. */
static void enable_this_apic(void)
{
    uint64_t base = arch_rdmsr(MSR_IA32_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE))
        arch_wrmsr(MSR_IA32_APIC_BASE, base |= APIC_BASE_ENABLE);
    if (x2apic && !(base & APIC_BASE_X2APIC))
        arch_wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
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
    uint64_t phys = arch_rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK;

    x2apic = arch_cpu_has_x2apic();
    enable_this_apic();
    if (!x2apic)
        mmio = arch_phys_to_virt(phys);
    return phys;
}

/*
 * Send INIT to every other CPU: each waits for a startup IPI from then on,
 * running nothing (SDM vol. 3A, 8.4.4 and 10.6.1). The firmware may have
 * left its application processors in a loop of its own (OVMF's spins with
 * MWAIT in boot-services memory the kernel will reuse; under QEMU TCG such
 * a loop also takes host CPU time from the boot CPU, whose timer ticks are
 * then lost). This happens before smp_init (kernel/arch/x86_64/smp.c),
 * which starts each of them again with INIT, SIPI, SIPI a little later in
 * the boot; from then on they idle in hlt on their own stacks.
 */
static void park_other_cpus(const struct acpi_info *acpi)
{
    if (!acpi || acpi->cpu_count < 2)
        return;
    lapic_send_ipi_others(LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
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

/* The registers every CPU sets the same way; the spurious vector enables the APIC. */
static void program_this_apic(const struct acpi_info *acpi)
{
    lapic_write(LAPIC_TPR, 0);                  /* accept every priority class */
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    wire_lint_pins(acpi);
    lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | VEC_SPURIOUS);
    lapic_write(LAPIC_ESR, 0);                  /* clear old errors (10.5.3) */
}

void lapic_init_ap(const struct acpi_info *acpi)
{
    enable_this_apic();
    program_this_apic(acpi);
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
    program_this_apic(acpi);
    ready = 1;
    printk(LOG_INFO, "[apic] local APIC id %u, version 0x%x, %s, spurious vector 0x%x\n",
           (unsigned)lapic_id(), (unsigned)(lapic_read(LAPIC_VERSION) & 0xFF),
           x2apic ? "x2APIC mode (MSRs)" : "xAPIC mode (MMIO)", VEC_SPURIOUS);
    if (!x2apic)
        printk(LOG_INFO, "[apic] xAPIC registers at 0x%llx\n", (unsigned long long)phys);
    park_other_cpus(acpi);
    return 0;
}
