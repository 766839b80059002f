/*
 * pci_irq.c - a function's interrupts (pci.h): MSI-X, MSI, or its INTx
 * line, best first.
 *
 * A message-signalled interrupt is a memory write the device makes: to
 * the address 0xFEE00000 | destination APIC ID << 12, with the data = the
 * vector (irq_msi_message in drivers/apic/irq.c composes both: the format
 * belongs to the local APIC). The local APIC of that CPU takes it as an
 * interrupt on that vector.
 *   MSI-X (PCI 3.0, 6.8.2): a table in one of the function's memory BARs,
 *          16 bytes per vector (address low, high, data, vector control
 *          with bit 0 = masked); vector i of the function goes to CPU i
 *          mod the CPUs online (irq_msi_cpu), each allocated there
 *          (irq_alloc_msi).
 *          setup writes every entry masked; pci_irq_request unmasks its
 *          own once the handler is in (the per-vector mask).
 *   MSI    (6.8.1): one address and data in the capability; a function
 *          that offers 2^k messages sets the low k bits of the data
 *          itself, so the k vectors are one aligned block on one CPU (a
 *          CPU per function, round robin); per-vector mask bits when the
 *          capability has them (set at setup, cleared by request).
 *   INTx   the pin the function raises, through the Interrupt Line the
 *          firmware wrote (irq_register_intx: the MADT's override or a
 *          GSI, level; there is no AML interpreter to read _PRT), shared
 *          with whoever else is wired there; delivered to the boot CPU.
 * Using MSI or MSI-X sets the command register's Interrupt Disable bit
 * and its Bus Master bit (a message is a memory write the function makes:
 * with bus mastering off QEMU drops it, as hardware must); INTx clears the
 * Interrupt Disable bit.
 *
 * Rules: the driver owns its function's capability registers; setup,
 * request and free run in a thread (they may map and unmap). No CPU goes
 * offline in Tessera yet, so vectors are never moved once spread.
 */
#include <stdint.h>

#include "apic/irq.h"
#include "arch.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "pci/pci.h"
#include "pci/pci_internal.h"

#define MSI_CONTROL         2
#define MSI_ENABLE          (1u << 0)
#define MSI_MMC_SHIFT       1           /* multiple message capable: log2, 3 bits */
#define MSI_MME_SHIFT       4           /* multiple message enable */
#define MSI_64BIT           (1u << 7)
#define MSI_PER_VECTOR_MASK (1u << 8)
#define MSI_ADDRESS_LO      4

#define MSIX_CONTROL        2
#define MSIX_SIZE_MASK      0x7FFu      /* table size - 1 */
#define MSIX_FUNCTION_MASK  (1u << 14)
#define MSIX_ENABLE         (1u << 15)
#define MSIX_TABLE          4           /* BIR in bits 2:0, offset in the rest */
#define MSIX_ENTRY_SIZE     16
#define MSIX_ENTRY_CONTROL  12
#define MSIX_ENTRY_MASKED   1u

static unsigned next_msi_cpu;           /* MSI's round robin (a hint: races only skew it) */

/* INTx on: the Interrupt Disable bit clear; off: set. */
static void set_intx(struct pci_dev *d, int on)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);

    pci_write16(d, PCI_COMMAND, on ? cmd & ~PCI_COMMAND_INTX_OFF : cmd | PCI_COMMAND_INTX_OFF);
}

static void release_handles(struct pci_dev *d, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (d->irq_handle[i] >= 0)
            irq_release(d->irq_handle[i]);
}

/* --- MSI-X --- */

static volatile uint8_t *msix_entry(const struct pci_dev *d, unsigned i)
{
    return d->msix_table + i * MSIX_ENTRY_SIZE;
}

static void msix_set_masked(const struct pci_dev *d, unsigned i, int masked)
{
    arch_mmio_write32(msix_entry(d, i) + MSIX_ENTRY_CONTROL, masked ? MSIX_ENTRY_MASKED : 0);
}

/* Map the table from its BAR; 0, or -1 when the BAR is not a memory BAR we can map. */
static int msix_map(struct pci_dev *d, unsigned entries)
{
    uint32_t where = pci_read32(d, d->cap_msix + MSIX_TABLE);
    const struct pci_bar *b = &d->bar[where & 7];
    uint64_t off = where & ~7u, va;

    if ((where & 7) >= PCI_MAX_BARS || !b->size || (b->flags & PCI_BAR_IO) ||
        off + (uint64_t)entries * MSIX_ENTRY_SIZE > b->size)
        return -1;
    va = kva_map_mmio(b->base + off, (uint64_t)entries * MSIX_ENTRY_SIZE, VMM_UNCACHED, "pci msi-x");
    d->msix_table = (volatile uint8_t *)va;
    return va ? 0 : -1;
}

static int setup_msix(struct pci_dev *d, unsigned n)
{
    uint16_t ctl = pci_read16(d, d->cap_msix + MSIX_CONTROL);

    if (msix_map(d, n) != 0)
        return IRQ_ERR_RANGE;
    pci_enable(d, PCI_ENABLE_MEM);
    pci_write16(d, d->cap_msix + MSIX_CONTROL, ctl | MSIX_ENABLE | MSIX_FUNCTION_MASK);
    for (unsigned i = 0; i < n; i++) {
        int r = irq_alloc_msi(irq_msi_cpu(i), 1, &d->irq_handle[i]);
        uint64_t address;
        uint32_t data;

        if (r < 0) {
            release_handles(d, i);
            pci_write16(d, d->cap_msix + MSIX_CONTROL, ctl & ~MSIX_ENABLE);
            kva_free((uint64_t)(uintptr_t)d->msix_table);
            d->msix_table = 0;
            return r;
        }
        msix_set_masked(d, i, !MUTANT_ENABLED(msix_mask));
        irq_msi_message(d->irq_handle[i], &address, &data);
        arch_mmio_write32(msix_entry(d, i), (uint32_t)address);
        arch_mmio_write32(msix_entry(d, i) + 4, (uint32_t)(address >> 32));
        arch_mmio_write32(msix_entry(d, i) + 8, data);
    }
    set_intx(d, 0);
    pci_enable(d, PCI_ENABLE_MASTER);
    pci_write16(d, d->cap_msix + MSIX_CONTROL, (ctl | MSIX_ENABLE) & ~MSIX_FUNCTION_MASK);
    return (int)n;
}

/* --- MSI --- */

static unsigned msi_data_off(const struct pci_dev *d, uint16_t ctl)
{
    return d->cap_msi + (ctl & MSI_64BIT ? 12 : 8);
}

static unsigned msi_mask_off(const struct pci_dev *d, uint16_t ctl)
{
    return d->cap_msi + (ctl & MSI_64BIT ? 16 : 12);
}

/* The largest power of two <= n. */
static unsigned pow2_floor(unsigned n)
{
    unsigned p = 1;

    while (p * 2 <= n)
        p *= 2;
    return p;
}

static int setup_msi(struct pci_dev *d, unsigned n)
{
    uint16_t ctl = pci_read16(d, d->cap_msi + MSI_CONTROL);
    unsigned log2n = 0;
    int r = irq_alloc_msi(irq_msi_cpu(__atomic_fetch_add(&next_msi_cpu, 1, __ATOMIC_RELAXED)), n,
                          d->irq_handle);
    uint64_t address;
    uint32_t data;

    if (r < 0)
        return r;
    irq_msi_message(d->irq_handle[0], &address, &data);
    while ((1u << log2n) < n)
        log2n++;
    pci_write32(d, d->cap_msi + MSI_ADDRESS_LO, (uint32_t)address);
    if (ctl & MSI_64BIT)
        pci_write32(d, d->cap_msi + MSI_ADDRESS_LO + 4, (uint32_t)(address >> 32));
    pci_write16(d, msi_data_off(d, ctl), (uint16_t)data);     /* the device ORs in the message number */
    if (ctl & MSI_PER_VECTOR_MASK)
        pci_write32(d, msi_mask_off(d, ctl), 0xFFFFFFFFu);
    set_intx(d, 0);
    pci_enable(d, PCI_ENABLE_MASTER);
    ctl = (uint16_t)((ctl & ~(7u << MSI_MME_SHIFT)) | log2n << MSI_MME_SHIFT | MSI_ENABLE);
    pci_write16(d, d->cap_msi + MSI_CONTROL, ctl);
    return (int)n;
}

static void msi_set_masked(const struct pci_dev *d, unsigned i, int masked)
{
    uint16_t ctl = pci_read16(d, d->cap_msi + MSI_CONTROL);
    uint32_t m;

    if (!(ctl & MSI_PER_VECTOR_MASK))
        return;
    m = pci_read32(d, msi_mask_off(d, ctl));
    pci_write32(d, msi_mask_off(d, ctl), masked ? m | 1u << i : m & ~(1u << i));
}

/* --- the three, best first --- */

static unsigned msix_entries(const struct pci_dev *d)
{
    return (pci_read16(d, d->cap_msix + MSIX_CONTROL) & MSIX_SIZE_MASK) + 1;
}

static unsigned msi_messages(const struct pci_dev *d)
{
    return 1u << (pci_read16(d, d->cap_msi + MSI_CONTROL) >> MSI_MMC_SHIFT & 7);
}

static unsigned at_most(unsigned a, unsigned b)
{
    return a < b ? a : b;
}

/* The kind to use and how many vectors (0: none fits). */
static unsigned choose(const struct pci_dev *d, unsigned min, unsigned max, unsigned kinds, unsigned *n)
{
    int messages = irq_mode() == IRQ_MODE_APIC;
    uint8_t line = pci_read8(d, PCI_INTERRUPT_LINE);

    if (messages && (kinds & PCI_IRQ_MSIX) && d->cap_msix && (*n = at_most(max, msix_entries(d))) >= min)
        return PCI_IRQ_MSIX;
    if (messages && (kinds & PCI_IRQ_MSI) && d->cap_msi &&
        (*n = pow2_floor(at_most(max, msi_messages(d)))) >= min)
        return PCI_IRQ_MSI;
    if ((kinds & PCI_IRQ_INTX) && min <= 1 && d->int_pin && line != 0 && line != 0xFF) {
        *n = 1;
        return PCI_IRQ_INTX;
    }
    return 0;
}

int pci_irq_setup(struct pci_dev *d, unsigned min, unsigned max, unsigned kinds)
{
    unsigned n = 0, kind;
    int r;

    if (d->irq_kind)
        return IRQ_ERR_BUSY;
    max = at_most(max, PCI_MAX_IRQS);
    if (min == 0 || min > max || !(kind = choose(d, min, max, kinds, &n)))
        return IRQ_ERR_RANGE;
    for (unsigned i = 0; i < PCI_MAX_IRQS; i++)
        d->irq_handle[i] = -1;
    if (kind == PCI_IRQ_MSIX)
        r = setup_msix(d, n);
    else if (kind == PCI_IRQ_MSI)
        r = setup_msi(d, n);
    else
        r = 1;                          /* the line is claimed by pci_irq_request */
    if (r < 0)
        return r;
    d->irq_kind = kind;
    d->irq_count = (unsigned)r;
    return r;
}

int pci_irq_request(struct pci_dev *d, unsigned i, irq_handler_fn *fn, void *ctx)
{
    int h;

    if (!d->irq_kind || i >= d->irq_count || !fn)
        return IRQ_ERR_RANGE;
    if (d->irq_kind == PCI_IRQ_INTX) {
        if (d->irq_handle[0] >= 0)
            return IRQ_ERR_BUSY;
        if ((h = irq_register_intx(pci_read8(d, PCI_INTERRUPT_LINE), fn, ctx)) < 0)
            return h;
        d->irq_handle[0] = h;
        set_intx(d, 1);
        return 0;
    }
    irq_set_handler(d->irq_handle[i], fn, ctx);
    if (d->irq_kind == PCI_IRQ_MSIX)
        msix_set_masked(d, i, 0);
    else
        msi_set_masked(d, i, 0);
    return 0;
}

int pci_irq_cpu(const struct pci_dev *d, unsigned i)
{
    if (!d->irq_kind || i >= d->irq_count)
        return -1;
    if (d->irq_kind == PCI_IRQ_INTX)
        return 0;                       /* IOAPIC lines go to the boot CPU (irq.c) */
    return irq_cpu_of(d->irq_handle[i]);
}

void pci_irq_free(struct pci_dev *d)
{
    if (d->irq_kind == PCI_IRQ_MSIX) {
        for (unsigned i = 0; i < d->irq_count; i++)
            msix_set_masked(d, i, 1);
        pci_write16(d, d->cap_msix + MSIX_CONTROL,
                    pci_read16(d, d->cap_msix + MSIX_CONTROL) & ~MSIX_ENABLE);
        kva_free((uint64_t)(uintptr_t)d->msix_table);
        d->msix_table = 0;
    } else if (d->irq_kind == PCI_IRQ_MSI) {
        pci_write16(d, d->cap_msi + MSI_CONTROL, pci_read16(d, d->cap_msi + MSI_CONTROL) & ~MSI_ENABLE);
    } else if (d->irq_kind == PCI_IRQ_INTX) {
        set_intx(d, 0);
    }
    release_handles(d, d->irq_count);
    d->irq_kind = 0;
    d->irq_count = 0;
}
