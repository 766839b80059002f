/*
 * ahci_hba.c - the AHCI controller as a PCI function (AHCI 1.3.1 section
 * 10.1): bound by class 01.06.01 (mass storage, SATA, AHCI 1.0), its
 * registers at BAR 5 (ABAR), taken from the firmware, put in AHCI mode,
 * its one interrupt set up, then each implemented port brought up.
 *
 * ahci_probe, in pci_init's binding thread:
 *   1. memory decoding and bus mastering on; ABAR mapped uncached;
 *   2. BIOS/OS hand-off when CAP2.BOH says the firmware may still own the
 *      HBA (AHCI 10.6.3: OOS set, wait for BOS and BB to clear);
 *   3. GHC.AE (AHCI mode), interrupts off while ports change; CAP and PI
 *      read: how many slots, NCQ, 64-bit addresses (CAP.S64A: else every
 *      DMA address the HBA sees is below 4 GiB: hba->dma_limit);
 *   4. one vector: MSI if the function offers it, else its INTx line
 *      (pci_irq_setup), handled by ahci_irq (ahci_complete.c); GHC.IE on;
 *   5. every port whose PI bit is set: memory, then one COMRESET of all
 *      of them together and one wait for their links (bring_up_ports),
 *      then each port with a link started (ahci_port.c), IDENTIFY and
 *      block_register (ahci_disk.c).
 *      An empty port, an ATAPI device or a port that fails is logged and
 *      left stopped; the others keep running.
 * One line per controller:
 *     [ahci] 00:1f.2: AHCI 1.0, 6 ports (PI 0x3f), 32 slots, NCQ, 64-bit, MSI
 */
#include <string.h>

#include "ata/ahci.h"
#include "mm/heap.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define BOHC_TIMEOUT_MS     2000        /* AHCI 10.6.3: 25 ms, then up to 2 s while BB */

/* BIOS/OS hand-off (AHCI 10.6.3); a firmware that keeps it is reported, and we go on. */
static void take_from_firmware(struct ahci_hba *hba)
{
    uint64_t end = clock_ns() + BOHC_TIMEOUT_MS * NS_PER_MS;

    if (!(ahci_read(hba->abar, AHCI_CAP2) & AHCI_CAP2_BOH))
        return;
    ahci_write(hba->abar, AHCI_BOHC, ahci_read(hba->abar, AHCI_BOHC) | AHCI_BOHC_OOS);
    while (ahci_read(hba->abar, AHCI_BOHC) & (AHCI_BOHC_BOS | AHCI_BOHC_BB)) {
        if (clock_ns() >= end) {
            printk(LOG_WARN, "[ahci] the firmware did not hand the HBA over (BOHC 0x%x)\n",
                   ahci_read(hba->abar, AHCI_BOHC));
            return;
        }
        sched_sleep_ns(NS_PER_MS);
    }
}

static int setup_irq(struct ahci_hba *hba)
{
    int n = pci_irq_setup(hba->pci, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);

    if (n < 1 || pci_irq_request(hba->pci, 0, ahci_irq, hba) != 0) {
        printk(LOG_ERR, "ahci_probe: no interrupt (pci_irq_setup %d)\n", n);
        return -1;
    }
    return 0;
}

static void log_hba(const struct ahci_hba *hba)
{
    const struct pci_dev *d = hba->pci;
    uint32_t vs = ahci_read(hba->abar, AHCI_VS);

    printk(LOG_INFO, "[ahci] %02x:%02x.%x: AHCI %u.%u, %u ports (PI 0x%x), %u slots, %s, %s, %s\n",
           d->bus, d->dev, d->fn, vs >> 16, (vs >> 8) & 0xFF, AHCI_CAP_NP(hba->cap), hba->pi,
           AHCI_CAP_NCS(hba->cap), (hba->cap & AHCI_CAP_SNCQ) ? "NCQ" : "no NCQ",
           (hba->cap & AHCI_CAP_S64A) ? "64-bit" : "32-bit",
           d->irq_kind == PCI_IRQ_MSI ? "MSI" : "INTx");
}

/* One line per controller after its ports: how many hold a device we keep
 * ("no devices" for an empty controller, which is not an error). */
static void log_ports_used(const struct ahci_hba *hba)
{
    const struct pci_dev *d = hba->pci;
    unsigned used = 0;

    for (unsigned i = 0; i < AHCI_MAX_PORTS; i++)
        used += hba->port[i] != 0;
    if (used)
        printk(LOG_INFO, "[ahci] %02x:%02x.%x: %u of %u ports in use\n", d->bus, d->dev, d->fn, used,
               AHCI_CAP_NP(hba->cap));
    else
        printk(LOG_INFO, "[ahci] %02x:%02x.%x: no devices on its %u ports\n", d->bus, d->dev, d->fn,
               AHCI_CAP_NP(hba->cap));
}

/* Port i's record and memory, engines stopped (hba->port[i] stays 0 until it has a disk). */
static struct ahci_port *prepare_port(struct ahci_hba *hba, unsigned i)
{
    struct ahci_port *p = kcalloc(1, sizeof *p);

    if (!p) {
        printk(LOG_ERR, "ahci_probe: port %u: out of memory\n", i);
        return NULL;
    }
    p->hba = hba;
    p->index = i;
    p->regs = hba->abar + AHCI_PORT_BASE(i);
    if (ahci_port_prepare(p) != 0) {
        kfree(p);
        return NULL;
    }
    return p;
}

/* A linked port started and its disk registered, or given back (busy, skipped, failed). */
static void attach_port(struct ahci_hba *hba, struct ahci_port *p)
{
    ahci_port_link_up(p);
    if (ahci_port_start(p) != 0) {
        ahci_port_release(p);
        kfree(p);
        return;
    }
    hba->port[p->index] = p;            /* the interrupt handler may see it from here */
    if (ahci_disk_attach(p) == 0 || p->thread)
        return;                         /* registered; or a thread holds it: kept */
    hba->port[p->index] = 0;
    ahci_port_release(p);
    kfree(p);
}

/*
 * Every implemented port reset at once: one COMRESET hold and one wait for
 * the links, so the empty ports' AHCI_EMPTY_MS run side by side rather
 * than one after the other (QEMU's q35: 5 of 6 ports empty, 106 ms of
 * probe before, see docs/userland.md). Then each port with a link is
 * started and its device identified; an empty one is given back.
 */
static void bring_up_ports(struct ahci_hba *hba)
{
    struct ahci_port *ports[AHCI_MAX_PORTS] = { 0 };
    struct ahci_link_wait waits[AHCI_MAX_PORTS];
    int state[AHCI_MAX_PORTS] = { 0 }, waiting = 0;

    for (unsigned i = 0; i < AHCI_MAX_PORTS; i++)
        if ((hba->pi & (1u << i)) && (ports[i] = prepare_port(hba, i)))
            ahci_port_comreset_begin(ports[i]);
    sched_sleep_ns(AHCI_COMRESET_NS);
    for (unsigned i = 0; i < AHCI_MAX_PORTS; i++)
        if (ports[i]) {
            ahci_port_comreset_end(ports[i], &waits[i]);
            waiting++;
        }
    while (waiting) {
        for (unsigned i = 0; i < AHCI_MAX_PORTS; i++)
            if (ports[i] && !state[i] && (state[i] = ahci_port_link_poll(ports[i], &waits[i])))
                waiting--;
        if (waiting)
            sched_sleep_ns(NS_PER_MS);
    }
    for (unsigned i = 0; i < AHCI_MAX_PORTS; i++) {
        if (!ports[i])
            continue;
        if (state[i] > 0) {
            attach_port(hba, ports[i]);
            continue;
        }
        ahci_port_release(ports[i]);    /* empty: no device answered the COMRESET */
        kfree(ports[i]);
    }
}

/* Decoding and bus mastering on, ABAR mapped, the HBA ours and in AHCI mode (interrupts off). */
static int take_hba(struct ahci_hba *hba)
{
    pci_enable(hba->pci, PCI_ENABLE_MEM | PCI_ENABLE_MASTER);
    hba->abar = (volatile uint8_t *)(uintptr_t)pci_map_bar(hba->pci, AHCI_ABAR, 0);
    if (!hba->abar) {
        printk(LOG_ERR, "ahci_probe: BAR %u (ABAR) is not a memory BAR we can map\n", AHCI_ABAR);
        return -1;
    }
    take_from_firmware(hba);
    ahci_write(hba->abar, AHCI_GHC, AHCI_GHC_AE);
    hba->cap = ahci_read(hba->abar, AHCI_CAP);
    hba->pi = ahci_read(hba->abar, AHCI_PI);
    hba->dma_limit = (hba->cap & AHCI_CAP_S64A) ? DMA_LIMIT_64BIT : DMA_LIMIT_32BIT;
    return 0;
}

static int ahci_probe(struct pci_dev *pdev, const struct pci_match *match)
{
    struct ahci_hba *hba = kcalloc(1, sizeof *hba);

    (void)match;
    if (!hba)
        return -1;
    hba->pci = pdev;
    if (take_hba(hba) != 0 || setup_irq(hba) != 0) {
        kfree(hba);
        return -1;
    }
    pdev->driver_data = hba;
    log_hba(hba);
    ahci_write(hba->abar, AHCI_IS, 0xFFFFFFFF);
    ahci_write(hba->abar, AHCI_GHC, AHCI_GHC_AE | AHCI_GHC_IE);
    bring_up_ports(hba);
    log_ports_used(hba);
    return 0;
}

static const struct pci_match ahci_matches[] = {
    PCI_MATCH_CLASS(0x01, 0x06, 0x01, 0),       /* mass storage, SATA, AHCI 1.0 */
    { 0, 0, 0, 0, 0, 0 },
};

static const struct pci_driver ahci_driver = {
    .name = "ahci",
    .matches = ahci_matches,
    .probe = ahci_probe,
};
PCI_DRIVER(ahci_driver);
