/*
 * pci_bar.c - a function's Base Address Registers (PCI 3.0, 6.2.5.1):
 * sizing them at enumeration, mapping a memory BAR for its driver, and the
 * command register's decoding and bus-master bits (pci_enable).
 *
 * Sizing: write all ones to the BAR, read back which address bits stick
 * (the ones the device decodes), write the old value back; the size is the
 * lowest address bit that stuck. Bit 0 says I/O (bits 1:0 are flags) or
 * memory (bits 3:0: type 00 32-bit, 10 64-bit taking the next BAR as its
 * upper half; bit 3 prefetchable). While the BAR holds all ones it would
 * decode at a bogus address, so pci_bar_size_all turns the function's I/O
 * and memory decoding off for the whole pass and restores the command
 * register after. It runs once per function, from pci_init, before any
 * driver owns it.
 */
#include <stdint.h>

#include "mm/kva.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "pci/pci.h"
#include "pci/pci_internal.h"

#define BAR_IO          0x1u
#define BAR_IO_ADDR     0xFFFFFFFCu
#define BAR_MEM_ADDR    0xFFFFFFF0u
#define BAR_MEM_TYPE    0x6u
#define BAR_MEM_TYPE_64 0x4u
#define BAR_PREFETCH    0x8u

/* How many BARs the header layout has: 6 for a function, 2 for a bridge. */
static unsigned bar_slots(const struct pci_dev *d)
{
    switch (d->header_type & PCI_HEADER_LAYOUT) {
    case 0: return PCI_MAX_BARS;
    case 1: return 2;
    default: return 0;
    }
}

/* The bits of the BAR at `off` that stick when written with all ones; the old value back. */
static uint32_t sticky_bits(const struct pci_dev *d, unsigned off, uint32_t old)
{
    uint32_t v;

    pci_write32(d, off, 0xFFFFFFFFu);
    v = pci_read32(d, off);
    if (!MUTANT_ENABLED(pci_bar_restore))
        pci_write32(d, off, old);
    return v;
}

/* Size BAR i; how many slots it took (2 for a 64-bit one). */
static unsigned size_one(struct pci_dev *d, unsigned i, unsigned slots)
{
    unsigned off = PCI_BAR0 + 4 * i;
    uint32_t lo = pci_read32(d, off), mask = sticky_bits(d, off, lo);
    struct pci_bar *b = &d->bar[i];

    if (lo & BAR_IO) {
        uint32_t m = mask & BAR_IO_ADDR & 0xFFFF;   /* I/O space is 64 KiB; the upper half may read 0 */
        *b = m ? (struct pci_bar){ lo & BAR_IO_ADDR, m & -m, PCI_BAR_IO } : (struct pci_bar){ 0, 0, 0 };
        return 1;
    }
    uint64_t base = lo & BAR_MEM_ADDR, m = mask & BAR_MEM_ADDR;
    unsigned flags = lo & BAR_PREFETCH ? PCI_BAR_PREFETCH : 0, took = 1;

    if ((lo & BAR_MEM_TYPE) == BAR_MEM_TYPE_64 && i + 1 < slots) {
        uint32_t hi = pci_read32(d, off + 4);

        base |= (uint64_t)hi << 32;
        m |= (uint64_t)sticky_bits(d, off + 4, hi) << 32;
        flags |= PCI_BAR_MEM64;
        took = 2;
    }
    *b = m ? (struct pci_bar){ base, m & -m, flags } : (struct pci_bar){ 0, 0, 0 };
    return took;
}

void pci_bar_size_all(struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);
    unsigned slots = bar_slots(d);

    pci_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEM));
    for (unsigned i = 0; i < slots; i += size_one(d, i, slots))
        ;
    pci_write16(d, PCI_COMMAND, cmd);
}

uint64_t pci_map_bar(struct pci_dev *d, unsigned n, int wc)
{
    const struct pci_bar *b;

    if (n >= PCI_MAX_BARS || !(b = &d->bar[n])->size || (b->flags & PCI_BAR_IO))
        return 0;
    return kva_map_mmio(b->base, b->size, wc && (b->flags & PCI_BAR_PREFETCH) ? VMM_WC : VMM_UNCACHED,
                        "pci bar");
}

void pci_enable(struct pci_dev *d, unsigned what)
{
    uint16_t set = (what & PCI_ENABLE_IO ? PCI_COMMAND_IO : 0) |
                   (what & PCI_ENABLE_MEM ? PCI_COMMAND_MEM : 0) |
                   (what & PCI_ENABLE_MASTER ? PCI_COMMAND_MASTER : 0);

    pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | set);
}
