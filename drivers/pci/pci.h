/*
 * pci.h - PCI and PCI Express: the functions on the buses, their
 * configuration space, their BARs and interrupts, and how a driver binds
 * to one (pci.c enumerates; pci_config.c reaches configuration space;
 * pci_irq.c gives MSI-X, MSI or INTx).
 *
 * pci_init (once, at boot, after ACPI and the interrupt controller, with
 * the scheduler running) finds every function: through ECAM, the memory-
 * mapped configuration space of the MCFG table, or else the legacy ports
 * 0xCF8/0xCFC (buses 0..255 of segment 0, 256 bytes per function). It
 * walks from bus 0, follows PCI-to-PCI bridges to their secondary buses,
 * sizes every BAR, reads the capability list, and logs one line per
 * function:
 *     [pci] BB:DD.F VVVV:DDDD class CC.SS.PP DRIVER
 * (DRIVER is `-` when no driver binds). Then it binds drivers: each
 * driver declares a table of matches and a probe; the first driver whose
 * table matches a function (first by vendor:device, then by class) is
 * offered it, and owns it when probe returns 0.
 *
 * A driver is declared once, next to its code, with PCI_DRIVER(name): a
 * pointer in the linker section `pci_drivers` (kernel.ld), so adding a
 * driver touches no table anywhere else.
 *
 * Rules: probe runs in a kernel thread, interrupts on, and may sleep
 * (waiting for its device to reset). Configuration space accesses take
 * the config lock (the legacy ports are one shared window). A BAR is
 * mapped with pci_map_bar, uncached (or write-combining when asked for a
 * prefetchable one); a driver calls pci_enable(dev, PCI_ENABLE_*) before
 * touching its device.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "apic/irq.h"

#define PCI_MAX_BARS        6
#define PCI_ANY_ID          0xFFFF      /* a match field that matches anything */
#define PCI_ANY_CLASS       0xFF

/* A BAR as sized at enumeration. */
#define PCI_BAR_IO          (1u << 0)   /* I/O ports, else memory */
#define PCI_BAR_MEM64       (1u << 1)   /* a 64-bit memory BAR (takes two slots) */
#define PCI_BAR_PREFETCH    (1u << 2)
struct pci_bar {
    uint64_t base;                      /* physical address or port; 0: absent */
    uint64_t size;                      /* bytes; 0: absent */
    unsigned flags;                     /* PCI_BAR_* */
};

/* Interrupt kinds, for pci_irq_setup's `kinds` and pci_dev.irq_kind. */
#define PCI_IRQ_MSIX        (1u << 0)
#define PCI_IRQ_MSI         (1u << 1)
#define PCI_IRQ_INTX        (1u << 2)
#define PCI_IRQ_ALL         (PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_INTX)

#define PCI_MAX_IRQS        32          /* vectors one function may hold */

struct pci_driver;

struct pci_dev {
    uint16_t segment;
    uint8_t  bus, dev, fn;
    uint16_t vendor, device;
    uint8_t  class_code, subclass, prog_if, revision;
    uint8_t  header_type;               /* 0: a function, 1: a PCI-to-PCI bridge */
    uint8_t  int_pin;                   /* 1..4 = INTA#..INTD#, 0: none */
    uint8_t  cap_msi, cap_msix, cap_pcie;   /* capability offsets, 0: absent */
    struct pci_bar bar[PCI_MAX_BARS];
    struct pci_dev *parent_bridge;      /* NULL on bus 0 of its segment */

    /* set when a driver binds */
    const struct pci_driver *driver;
    void *driver_data;

    /* interrupts (pci_irq.c), after pci_irq_setup */
    unsigned irq_kind;                  /* one PCI_IRQ_*, 0: none set up */
    unsigned irq_count;
    int irq_handle[PCI_MAX_IRQS];       /* irq.h handles (INTx: -1 until pci_irq_request) */
    volatile uint8_t *msix_table;       /* the MSI-X table, mapped from its BAR while set up */

    volatile uint8_t *ecam;             /* this function's 4 KiB of ECAM, or NULL: the ports */
    struct pci_dev *next;               /* every function, in bus order */
};

/* One line of a driver's match table; the table ends with vendor == 0. */
struct pci_match {
    uint16_t vendor, device;            /* PCI_ANY_ID matches any */
    uint8_t  class_code, subclass, prog_if;     /* PCI_ANY_CLASS matches any */
    uintptr_t data;                     /* for the driver: which model this line is */
};
#define PCI_MATCH_ID(v, d, data)        { (v), (d), PCI_ANY_CLASS, PCI_ANY_CLASS, PCI_ANY_CLASS, (data) }
#define PCI_MATCH_CLASS(c, s, p, data)  { PCI_ANY_ID, PCI_ANY_ID, (c), (s), (p), (data) }

struct pci_driver {
    const char *name;                   /* in the [pci] line */
    const struct pci_match *matches;
    /* Take the function: 0, or a negative error (then it stays unbound). */
    int (*probe)(struct pci_dev *dev, const struct pci_match *match);
};

#define PCI_DRIVER(drv) \
    static const struct pci_driver *const pci_driver_entry_##drv \
        __attribute__((used, section("pci_drivers"), aligned(8))) = &(drv)

/* Enumerate and bind (above). Returns the number of functions found. */
unsigned pci_init(void);

/* Every function found, in bus order (NULL before pci_init). */
struct pci_dev *pci_first(void);
/* The text of d's [pci] line, "BB:DD.F VVVV:DDDD class CC.SS.PP DRIVER" (the monitor's lspci). */
#define PCI_DESCRIBE_MAX    64
int pci_describe(const struct pci_dev *d, char *buf, size_t size);
/* The function at segment:bus:dev.fn, or NULL. */
struct pci_dev *pci_find(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn);
/* "ecam" or "ports": how configuration space is reached. */
const char *pci_config_method(void);

/* Configuration space, at a byte offset (aligned to the access size). */
uint8_t  pci_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_read32(const struct pci_dev *d, unsigned off);
void pci_write8(const struct pci_dev *d, unsigned off, uint8_t v);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/* The offset of the first capability with this ID (PCI_CAP_ID_*), or 0. */
unsigned pci_find_cap(const struct pci_dev *d, uint8_t cap_id);
#define PCI_CAP_ID_MSI      0x05
#define PCI_CAP_ID_VENDOR   0x09        /* virtio's structures */
#define PCI_CAP_ID_PCIE     0x10
#define PCI_CAP_ID_MSIX     0x11

/* Set bits of the command register: memory and I/O decoding, bus mastering (DMA). */
#define PCI_ENABLE_IO       (1u << 0)
#define PCI_ENABLE_MEM      (1u << 1)
#define PCI_ENABLE_MASTER   (1u << 2)
void pci_enable(struct pci_dev *d, unsigned what);

/* Map memory BAR n (uncached; write-combining when wc and prefetchable):
 * its kernel virtual address, or 0 (no such memory BAR, or out of address space). */
uint64_t pci_map_bar(struct pci_dev *d, unsigned n, int wc);

/*
 * Interrupts: ask for between min and max vectors of the kinds allowed,
 * best first (MSI-X, then MSI, then the INTx line through the ACPI/MADT
 * routing); returns how many were set up (>= min), or a negative
 * IRQ_ERR_*. MSI and MSI-X vectors are spread over the online CPUs
 * (vector i on CPU i mod n). Then pci_irq_request(d, i, fn, ctx) for each
 * i < count; fn runs in the interrupt, on the vector's CPU, as irq.h says.
 * An INTx line may be shared: its handler must check its own device.
 */
int pci_irq_setup(struct pci_dev *d, unsigned min, unsigned max, unsigned kinds);
int pci_irq_request(struct pci_dev *d, unsigned i, irq_handler_fn *fn, void *ctx);
/* The CPU vector i is delivered to (-1: not set up). */
int pci_irq_cpu(const struct pci_dev *d, unsigned i);
/* Release every vector of the function. */
void pci_irq_free(struct pci_dev *d);
