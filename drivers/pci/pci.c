/*
 * pci.c - finding every PCI function and binding drivers to them (pci.h).
 *
 * pci_init, once, from kmain's `pci` phase (a thread, interrupts on):
 *   1. pci_config_init (pci_config.c): ECAM when the MCFG has regions,
 *      else the ports;
 *   2. the walk: each ECAM region's first bus (segment 0, bus 0 with the
 *      ports) is scanned device by device (scan_bus, scan_slot); a device
 *      whose function 0 has bit 7 of its header type set is multi-function
 *      (functions 1..7 are probed too); a PCI-to-PCI bridge (header layout
 *      1) leads to its secondary bus, as the firmware numbered it, scanned
 *      right there (depth first, as QEMU's `info pci` lists them). Each bus
 *      is walked once, so a bridge numbered back onto a bus seen already
 *      (bad firmware) cannot loop;
 *   3. each function found: its IDs, class, header type and interrupt pin
 *      read, its BARs sized (pci_bar.c), its capabilities read
 *      (pci_cap.c); kept in `functions`, in walk order;
 *   4. binding (bind): the drivers in the linker section `pci_drivers`
 *      (PCI_DRIVER, kernel.ld's __start_pci_drivers..__stop_pci_drivers);
 *      first every vendor:device match of every driver, then the class
 *      matches; the first whose probe returns 0 owns the function; then
 *      the function's `[pci]` line, naming the driver or `-`.
 * The list is built once and never changes afterwards: readers
 * (pci_first, pci_find) need no lock.
 */
#include <stdint.h>

#include "acpi/acpi_kernel.h"
#include "format.h"
#include "mm/heap.h"
#include "mutant.h"
#include "pci/pci.h"
#include "pci/pci_internal.h"
#include "printk.h"
#include "timer/clock.h"

#define DEVICES_PER_BUS     32
#define FUNCTIONS_PER_DEV   8
#define BUSES               256
#define NO_DEVICE           0xFFFF      /* what a read of an absent function returns */

extern const struct pci_driver *const __start_pci_drivers[];
extern const struct pci_driver *const __stop_pci_drivers[];

static struct pci_dev *functions, **functions_end = &functions;
static unsigned function_count, bus_count;
static uint8_t bus_seen[BUSES / 8];     /* of the segment being walked */

struct pci_dev *pci_first(void)
{
    return functions;
}

struct pci_dev *pci_find(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn)
{
    for (struct pci_dev *d = functions; d; d = d->next)
        if (d->segment == segment && d->bus == bus && d->dev == dev && d->fn == fn)
            return d;
    return 0;
}

/* The address part of a function: where its configuration space is. */
static struct pci_dev at(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn)
{
    volatile uint8_t *ecam = pci_config_bus_ecam(segment, bus);

    unsigned dev_shift = MUTANT_ENABLED(pci_ecam) ? 14 : 15;

    return (struct pci_dev){ .segment = segment, .bus = bus, .dev = dev, .fn = fn,
                             .ecam = ecam ? ecam + ((unsigned)dev << dev_shift | (unsigned)fn << 12) : 0 };
}

static void read_header(struct pci_dev *d)
{
    uint32_t class = pci_read32(d, PCI_REVISION);

    d->vendor = pci_read16(d, PCI_VENDOR_ID);
    d->device = pci_read16(d, PCI_DEVICE_ID);
    d->revision = (uint8_t)class;
    d->prog_if = (uint8_t)(class >> 8);
    d->subclass = (uint8_t)(class >> 16);
    d->class_code = (uint8_t)(class >> 24);
    d->header_type = pci_read8(d, PCI_HEADER_TYPE);
    d->int_pin = pci_read8(d, PCI_INTERRUPT_PIN);
}

static void scan_bus(uint16_t segment, uint8_t bus, struct pci_dev *bridge);

/* A bridge: walk its secondary bus, unless the firmware left it unnumbered or seen. */
static void follow_bridge(struct pci_dev *d)
{
    uint8_t secondary = pci_read8(d, PCI_SECONDARY_BUS);

    if (MUTANT_ENABLED(pci_bridges))
        return;
    if (secondary <= d->bus || (bus_seen[secondary / 8] & (1u << secondary % 8))) {
        printk(LOG_WARN, "[pci] %02x:%02x.%x: bridge to bus %u not followed (%s)\n", d->bus, d->dev,
               d->fn, secondary, secondary <= d->bus ? "not above its own bus" : "seen already");
        return;
    }
    scan_bus(d->segment, secondary, d);
}

/* Function fn of a device, if present: recorded, and its bridge followed. Its header type, or 0. */
static uint8_t scan_function(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn,
                             struct pci_dev *bridge)
{
    struct pci_dev probe = at(segment, bus, dev, fn), *d;

    if (pci_read16(&probe, PCI_VENDOR_ID) == NO_DEVICE)
        return 0;
    if (!(d = kmalloc(sizeof *d))) {
        printk(LOG_WARN, "[pci] %02x:%02x.%x: no memory to record it\n", bus, dev, fn);
        return 0;
    }
    *d = probe;
    d->parent_bridge = bridge;
    read_header(d);
    pci_bar_size_all(d);
    pci_cap_read(d);
    *functions_end = d;
    functions_end = &d->next;
    function_count++;
    if ((d->header_type & PCI_HEADER_LAYOUT) == 1)
        follow_bridge(d);
    return d->header_type;
}

static void scan_slot(uint16_t segment, uint8_t bus, uint8_t dev, struct pci_dev *bridge)
{
    uint8_t header = scan_function(segment, bus, dev, 0, bridge);

    if (MUTANT_ENABLED(pci_multifn))
        header &= ~PCI_HEADER_MULTI_FN;
    for (uint8_t fn = 1; (header & PCI_HEADER_MULTI_FN) && fn < FUNCTIONS_PER_DEV; fn++)
        scan_function(segment, bus, dev, fn, bridge);
}

static void scan_bus(uint16_t segment, uint8_t bus, struct pci_dev *bridge)
{
    bus_seen[bus / 8] |= (uint8_t)(1u << bus % 8);
    bus_count++;
    for (uint8_t dev = 0; dev < DEVICES_PER_BUS; dev++)
        scan_slot(segment, bus, dev, bridge);
}

static int field_matches(unsigned want, unsigned any, unsigned have)
{
    return want == any || want == have;
}

/* The first line of drv's table that matches d, among its ID lines (by_id) or its class lines. */
static const struct pci_match *match_of(const struct pci_driver *drv, const struct pci_dev *d, int by_id)
{
    for (const struct pci_match *m = drv->matches; m && m->vendor; m++)
        if ((m->vendor != PCI_ANY_ID) == by_id && field_matches(m->vendor, PCI_ANY_ID, d->vendor) &&
            field_matches(m->device, PCI_ANY_ID, d->device) &&
            field_matches(m->class_code, PCI_ANY_CLASS, d->class_code) &&
            field_matches(m->subclass, PCI_ANY_CLASS, d->subclass) &&
            field_matches(m->prog_if, PCI_ANY_CLASS, d->prog_if))
            return m;
    return 0;
}

/* Offer d to the drivers: ID matches first, then class matches; the first probe to return 0 owns it. */
static void bind(struct pci_dev *d)
{
    for (int by_id = 1; by_id >= 0; by_id--)
        for (const struct pci_driver *const *p = __start_pci_drivers; p < __stop_pci_drivers; p++) {
            const struct pci_match *m = match_of(*p, d, by_id);
            int r;

            if (!m)
                continue;
            if ((r = (*p)->probe(d, m)) == 0) {
                d->driver = *p;
                return;
            }
            printk(LOG_WARN, "[pci] %02x:%02x.%x: %s's probe failed (%d)\n", d->bus, d->dev, d->fn,
                   (*p)->name, r);
        }
}

int pci_describe(const struct pci_dev *d, char *buf, size_t size)
{
    return format_snprintf(buf, size, "%02x:%02x.%x %04x:%04x class %02x.%02x.%02x %s", d->bus, d->dev,
                           d->fn, d->vendor, d->device, d->class_code, d->subclass, d->prog_if,
                           d->driver ? d->driver->name : "-");
}

static void log_function(const struct pci_dev *d)
{
    char line[PCI_DESCRIBE_MAX];

    pci_describe(d, line, sizeof line);
    printk(LOG_INFO, "[pci] %s\n", line);
}

/* Walk every segment: each ECAM region from its first bus, or segment 0 through the ports. */
static void walk(void)
{
    const struct acpi_info *acpi = acpi_get();
    unsigned regions = (unsigned)pci_config_init();

    if (regions == 0) {
        scan_bus(0, 0, 0);
        return;
    }
    for (unsigned i = 0; i < acpi->mcfg_count; i++) {
        if (i == 0 || acpi->mcfg[i].segment != acpi->mcfg[i - 1].segment)
            for (unsigned b = 0; b < BUSES / 8; b++)
                bus_seen[b] = 0;
        if (!(bus_seen[acpi->mcfg[i].bus_start / 8] & (1u << acpi->mcfg[i].bus_start % 8)))
            scan_bus(acpi->mcfg[i].segment, acpi->mcfg[i].bus_start, 0);
    }
}

unsigned pci_init(void)
{
    uint64_t t0 = clock_ns();

    walk();
    printk(LOG_INFO, "[pci] %u functions on %u buses, configuration space through %s (walk: %llu us)\n",
           function_count, bus_count, pci_config_method(), (unsigned long long)(clock_ns() - t0) / 1000);
    for (struct pci_dev *d = functions; d; d = d->next) {
        bind(d);
        log_function(d);
    }
    return function_count;
}
