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
 * A CPU going offline (smp_offline.c) has its vectors moved elsewhere:
 * irq_cpu_leave (drivers/apic/irq.c) calls move_vector, the mover each
 * MSI block and MSI-X entry was given, which takes new vectors
 * (irq_msi_move_begin), rewrites the device (msix_move: the entry masked
 * meanwhile; msi_move: data, then address, each pair on the way served) and lets the old CPU drain (irq_msi_move_end).
 *
 * Rules: the driver owns its function's capability registers; setup,
 * request and free run in a thread (they may map and unmap), never while
 * a CPU goes offline (smp_cpu_offline: the test that does both does them
 * one after the other).
 */
#include <stdint.h>

#include "apic/irq.h"
#include "arch.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "pci/pci.h"
#include "pci/pci_internal.h"
#include "printk.h"

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

/* Entry i's address and data: the message of its vector (irq_msi_message). */
static void msix_write_message(const struct pci_dev *d, unsigned i)
{
    uint64_t address;
    uint32_t data;

    irq_msi_message(d->irq_handle[i], &address, &data);
    arch_mmio_write32(msix_entry(d, i), (uint32_t)address);
    arch_mmio_write32(msix_entry(d, i) + 4, (uint32_t)(address >> 32));
    arch_mmio_write32(msix_entry(d, i) + 8, data);
}

static void move_vector(void *ctx, int handle);

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

        if (r < 0) {
            release_handles(d, i);
            pci_write16(d, d->cap_msix + MSIX_CONTROL, ctl & ~MSIX_ENABLE);
            kva_free((uint64_t)(uintptr_t)d->msix_table);
            d->msix_table = 0;
            return r;
        }
        msix_set_masked(d, i, !MUTANT_ENABLED(msix_mask));
        msix_write_message(d, i);
        irq_set_mover(d->irq_handle[i], move_vector, d);
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

/* The capability's address and data: the message of the block's first vector. */
static void msi_write_message(const struct pci_dev *d, uint16_t ctl)
{
    uint64_t address;
    uint32_t data;

    irq_msi_message(d->irq_handle[0], &address, &data);
    pci_write32(d, d->cap_msi + MSI_ADDRESS_LO, (uint32_t)address);
    if (ctl & MSI_64BIT)
        pci_write32(d, d->cap_msi + MSI_ADDRESS_LO + 4, (uint32_t)(address >> 32));
    pci_write16(d, msi_data_off(d, ctl), (uint16_t)data);     /* the device ORs in the message number */
}

static int setup_msi(struct pci_dev *d, unsigned n)
{
    uint16_t ctl = pci_read16(d, d->cap_msi + MSI_CONTROL);
    unsigned log2n = 0;
    int r = irq_alloc_msi(irq_msi_cpu(__atomic_fetch_add(&next_msi_cpu, 1, __ATOMIC_RELAXED)), n,
                          d->irq_handle);

    if (r < 0)
        return r;
    irq_set_mover(d->irq_handle[0], move_vector, d);
    while ((1u << log2n) < n)
        log2n++;
    msi_write_message(d, ctl);
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

/* --- moving (a CPU going offline: irq_cpu_leave calls move_vector there) --- */

/*
 * MSI-X: the entry masked while it is rewritten (a message raised
 * meanwhile is held pending by the device, PCI 3.0 6.8.3.4, and sent to
 * the new address once unmasked); each write is read back before the next
 * step, so the device has it.
 */
static void msix_move(struct pci_dev *d, unsigned i)
{
    volatile uint8_t *ctl = msix_entry(d, i) + MSIX_ENTRY_CONTROL;
    uint32_t was = arch_mmio_read32(ctl);

    if (irq_msi_move_begin(&d->irq_handle[i], 1, 0) < 0)
        return;
    arch_mmio_write32(ctl, was | MSIX_ENTRY_MASKED);
    (void)arch_mmio_read32(ctl);
    if (!MUTANT_ENABLED(msi_move))
        msix_write_message(d, i);
    arch_mmio_write32(ctl, was);
    (void)arch_mmio_read32(ctl);
    irq_msi_move_end(&d->irq_handle[i], 1);
}

/*
 * MSI may have no mask bits (QEMU's edu has none) and its address and
 * data are separate writes: a message between them goes to a half-written
 * pair. So the data (the new vector) is written first, while the address
 * still names the old CPU, then the address (IRQ_MOVE_TWO_STEP: that
 * vector is free on both CPUs and a ghost serves it on the old one):
 * each message goes to (old CPU, old vector), (old CPU, new vector) or
 * (new CPU, new vector), and each of the three is served. Only when no
 * CPU has such numbers free does it take others, with MSI off during the
 * rewrite (a message raised right then is lost: said in the log).
 */
static void msi_move(struct pci_dev *d)
{
    uint16_t ctl = pci_read16(d, d->cap_msi + MSI_CONTROL);
    uint64_t address;
    uint32_t data;

    if (irq_msi_move_begin(d->irq_handle, d->irq_count, IRQ_MOVE_TWO_STEP) >= 0) {
        irq_msi_message(d->irq_handle[0], &address, &data);
        pci_write16(d, msi_data_off(d, ctl), (uint16_t)data);
        (void)pci_read16(d, msi_data_off(d, ctl));
        if (!MUTANT_ENABLED(msi_move))
            pci_write32(d, d->cap_msi + MSI_ADDRESS_LO, (uint32_t)address);
    } else if (irq_msi_move_begin(d->irq_handle, d->irq_count, 0) >= 0) {
        printk(LOG_WARN, "[pci] %02x:%02x.%x: MSI moved to other vector numbers, off while rewritten\n",
               d->bus, d->dev, d->fn);
        pci_write16(d, d->cap_msi + MSI_CONTROL, ctl & ~MSI_ENABLE);
        msi_write_message(d, ctl);
        pci_write16(d, d->cap_msi + MSI_CONTROL, ctl);
    } else {
        return;
    }
    (void)pci_read32(d, d->cap_msi + MSI_ADDRESS_LO);
    irq_msi_move_end(d->irq_handle, d->irq_count);
}

static void move_vector(void *ctx, int handle)
{
    struct pci_dev *d = ctx;

    if (d->irq_kind == PCI_IRQ_MSI)
        msi_move(d);
    for (unsigned i = 0; d->irq_kind == PCI_IRQ_MSIX && i < d->irq_count; i++)
        if (d->irq_handle[i] == handle)
            msix_move(d, i);
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
