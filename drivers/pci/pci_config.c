/*
 * pci_config.c - reaching a function's configuration space (pci.h), two
 * ways, chosen once by pci_config_init:
 *   ECAM   PCI Express's memory-mapped configuration space (PCIe 6.0,
 *          7.2.2; its regions from ACPI's MCFG table, drivers/acpi/mcfg.c):
 *          4 KiB per function at base + (bus - start) << 20 | dev << 15 |
 *          fn << 12. Each bus's 1 MiB is mapped uncached (kva_map_mmio) the
 *          first time the walk reaches it (pci_config_bus_ecam), not the
 *          256 MiB of a whole segment up front.
 *   ports  PCI 3.0's configuration mechanism #1, for machines with no MCFG
 *          (QEMU's pc): write 0x80000000 | bus << 16 | dev << 11 | fn << 8
 *          | offset to CONFIG_ADDRESS (0xCF8), then read or write
 *          CONFIG_DATA (0xCFC + offset % 4). Segment 0 only, 256 bytes per
 *          function.
 * A function's own pointer (pci_dev.ecam) is set at enumeration; NULL
 * means the ports.
 *
 * Locking: config_lock makes each port access (the address write and the
 * data access) one step, since the two ports are one window every CPU
 * shares. An ECAM access is one load or store and needs no lock. A
 * read-modify-write of a register (pci_enable, BAR sizing) is the
 * caller's to serialise: the function's driver owns its registers.
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "arch.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "pci/pci.h"
#include "pci/pci_internal.h"
#include "printk.h"
#include "sync/spinlock.h"

#define CONFIG_ADDRESS      0xCF8
#define CONFIG_DATA         0xCFC
#define CONFIG_ENABLE       0x80000000u
#define PORTS_SPACE         256         /* bytes of configuration space the ports reach */
#define ECAM_BUS_SIZE       (1u << 20)  /* 32 devices * 8 functions * 4 KiB */

struct ecam_region {
    const struct acpi_mcfg_region *mcfg;
    volatile uint8_t **bus;             /* each bus's mapping, or NULL before the walk reaches it */
};

static struct spinlock config_lock = SPINLOCK_INIT("pci config");
static struct ecam_region regions[ACPI_MAX_MCFG];
static unsigned region_count;

const char *pci_config_method(void)
{
    return region_count ? "ecam" : "ports";
}

int pci_config_init(void)
{
    const struct acpi_info *acpi = acpi_get();

    for (unsigned i = 0; acpi && i < acpi->mcfg_count; i++) {
        const struct acpi_mcfg_region *m = &acpi->mcfg[i];
        unsigned buses = (unsigned)m->bus_end - m->bus_start + 1;

        if (!(regions[region_count].bus = kcalloc(buses, sizeof(volatile uint8_t *)))) {
            printk(LOG_WARN, "[pci] pci_config_init: no memory for ECAM segment %u\n", m->segment);
            continue;
        }
        regions[region_count++].mcfg = m;
    }
    return (int)region_count;
}

static struct ecam_region *region_of(uint16_t segment, uint8_t bus)
{
    for (unsigned i = 0; i < region_count; i++)
        if (regions[i].mcfg->segment == segment && bus >= regions[i].mcfg->bus_start &&
            bus <= regions[i].mcfg->bus_end)
            return &regions[i];
    return 0;
}

volatile uint8_t *pci_config_bus_ecam(uint16_t segment, uint8_t bus)
{
    struct ecam_region *r = region_of(segment, bus);
    unsigned i;
    uint64_t va;

    if (!r)
        return 0;
    i = bus - r->mcfg->bus_start;
    if (!r->bus[i]) {
        va = kva_map_mmio(r->mcfg->base + (uint64_t)i * ECAM_BUS_SIZE, ECAM_BUS_SIZE, VMM_UNCACHED,
                          "pci ecam");
        if (!va)
            printk(LOG_WARN, "[pci] pci_config_bus_ecam: no address space for bus %u\n", bus);
        r->bus[i] = (volatile uint8_t *)va;
    }
    return r->bus[i];
}

static uint32_t port_address(const struct pci_dev *d, unsigned off)
{
    return CONFIG_ENABLE | (uint32_t)d->bus << 16 | (uint32_t)d->dev << 11 | (uint32_t)d->fn << 8 |
           (off & 0xFC);
}

/* One access through the ports; size 1, 2 or 4; write when w. */
static uint32_t port_access(const struct pci_dev *d, unsigned off, unsigned size, int w, uint32_t v)
{
    uint16_t data = (uint16_t)(CONFIG_DATA + (off & 3));

    if (off + size > PORTS_SPACE || d->segment != 0)
        return w ? 0 : 0xFFFFFFFFu;     /* as a function that is not there answers */
    spin_lock(&config_lock);
    arch_outl(CONFIG_ADDRESS, port_address(d, off));
    if (w && size == 1)
        arch_outb(data, (uint8_t)v);
    else if (w && size == 2)
        arch_outw(data, (uint16_t)v);
    else if (w)
        arch_outl(data, v);
    else
        v = size == 1 ? arch_inb(data) : size == 2 ? arch_inw(data) : arch_inl(data);
    spin_unlock(&config_lock);
    return v;
}

uint8_t pci_read8(const struct pci_dev *d, unsigned off)
{
    return d->ecam ? d->ecam[off] : (uint8_t)port_access(d, off, 1, 0, 0);
}

uint16_t pci_read16(const struct pci_dev *d, unsigned off)
{
    return d->ecam ? *(volatile uint16_t *)(d->ecam + off) : (uint16_t)port_access(d, off, 2, 0, 0);
}

uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
    return d->ecam ? arch_mmio_read32(d->ecam + off) : port_access(d, off, 4, 0, 0);
}

void pci_write8(const struct pci_dev *d, unsigned off, uint8_t v)
{
    if (d->ecam)
        d->ecam[off] = v;
    else
        port_access(d, off, 1, 1, v);
}

void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
    if (d->ecam)
        *(volatile uint16_t *)(d->ecam + off) = v;
    else
        port_access(d, off, 2, 1, v);
}

void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
    if (d->ecam)
        arch_mmio_write32(d->ecam + off, v);
    else
        port_access(d, off, 4, 1, v);
}
