/*
 * ide_pci.c - the IDE driver's binding to a PCI IDE controller (class
 * 01.01.xx; the pc machine's PIIX3 IDE at 00:01.1): its two channels,
 * their ports and interrupts, and the bus master block.
 *
 * The programming interface byte says how each channel is reached
 * (PCI IDE Controller Specification 1.0):
 *   bit 0 (primary), bit 2 (secondary) clear: compatibility mode, the ISA
 *          ports and lines of the PC/AT: 0x1F0-0x1F7 and 0x3F6 on IRQ 14,
 *          0x170-0x177 and 0x376 on IRQ 15 (irq_register_isa);
 *   set:   native mode: BAR0/BAR1 (primary) and BAR2/BAR3 (secondary) give
 *          the command block and the control block (its register at +2),
 *          and both channels share the function's PCI interrupt;
 *   bit 7: a bus master: BAR4 holds 16 I/O ports, 8 per channel (ide_dma.c).
 * Without BAR4, or with `ide=pio` on the command line, every command
 * goes by PIO; a simplex bus master (status bit 7: one channel at a time)
 * serves the primary channel only.
 *
 * ide_pci_probe, per controller: the channels' ports, the PRD tables;
 * each channel reset and searched with its interrupt masked
 * (ide_probe.c); then the interrupts claimed, the channel threads started
 * (ide_cmd.c), the interrupt unmasked and the disks registered.
 */
#include "arch.h"
#include "ata/ide.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "format.h"
#include "mm/heap.h"
#include "pci/pci.h"
#include "printk.h"

#define PROGIF_PRIMARY_NATIVE   0x01
#define PROGIF_SECONDARY_NATIVE 0x04
#define PROGIF_BUS_MASTER       0x80

static const struct {
    uint16_t cmd, ctrl;
    unsigned isa_irq;
} compat[2] = { { 0x1F0, 0x3F6, 14 }, { 0x170, 0x376, 15 } };

static const char *const channel_names[2] = { "primary", "secondary" };

static int pio_asked(void)
{
    size_t len;
    const char *c = bootinfo_cmdline(&len);

    return cmdline_has_word(c, len, "ide=pio");
}

/* ide_stall=N: commands the secondary channel leaves unsent (fault injection: the timeout path). */
static uint64_t stall_asked(void)
{
    size_t len;
    const char *c = bootinfo_cmdline(&len);
    uint64_t n = 0;

    return cmdline_number(c, len, "ide_stall", &n) == 1 ? n : 0;
}

/* The bus master block's I/O base (BAR4), or 0. */
static uint16_t bus_master_base(const struct pci_dev *dev)
{
    const struct pci_bar *b = &dev->bar[4];

    if (!(dev->prog_if & PROGIF_BUS_MASTER) || !b->size || !(b->flags & PCI_BAR_IO))
        return 0;
    return (uint16_t)b->base;
}

/* The ports of channel i: 0, or -1 (a native channel whose BARs are missing). */
static int channel_ports(struct ide_channel *ch, struct pci_dev *dev, unsigned i)
{
    const struct pci_bar *cmd = &dev->bar[2 * i], *ctl = &dev->bar[2 * i + 1];

    ch->native = (dev->prog_if & (i ? PROGIF_SECONDARY_NATIVE : PROGIF_PRIMARY_NATIVE)) != 0;
    if (!ch->native) {
        ch->cmd = compat[i].cmd;
        ch->ctrl = compat[i].ctrl;
        return 0;
    }
    if (!(cmd->flags & PCI_BAR_IO) || !cmd->size || !(ctl->flags & PCI_BAR_IO) || !ctl->size)
        return -1;
    ch->cmd = (uint16_t)cmd->base;
    ch->ctrl = (uint16_t)(ctl->base + 2);
    return 0;
}

static void native_irq(void *ctx)
{
    struct ide_controller *ctl = ctx;

    for (unsigned i = 0; i < 2; i++)
        if (ctl->ch[i].native && (ctl->ch[i].drive[0] || ctl->ch[i].drive[1]))
            ide_channel_irq(&ctl->ch[i]);
}

static void compat_irq(void *ctx)
{
    ide_channel_irq(ctx);
}

/* Claim the channel's interrupt: 0, or a negative IRQ_ERR_* (native: once for both). */
static int claim_irq(struct ide_controller *ctl, struct ide_channel *ch, int *native_claimed)
{
    struct pci_dev *dev = ctl->pci;
    int r;

    if (!ch->native)
        return ch->irq_handle = irq_register_isa(compat[ch->index].isa_irq, compat_irq, ch);
    if (*native_claimed)
        return 0;
    if ((r = pci_irq_setup(dev, 1, 1, PCI_IRQ_INTX)) < 0)
        return r;
    if ((r = pci_irq_request(dev, 0, native_irq, ctl)) < 0)
        return r;
    *native_claimed = 1;
    return ch->irq_handle = dev->irq_handle[0];
}

static void report_channel(const struct ide_controller *ctl, const struct ide_channel *ch)
{
    const struct pci_dev *d = ctl->pci;
    char irq[16], dma[32];

    if (ch->native)
        format_snprintf(irq, sizeof irq, "PCI INT%c", 'A' + d->int_pin - 1);
    else
        format_snprintf(irq, sizeof irq, "IRQ %u", compat[ch->index].isa_irq);
    if (ch->bm)
        format_snprintf(dma, sizeof dma, "bus master 0x%x", ch->bm);
    else
        format_snprintf(dma, sizeof dma, "PIO only (%s)", !ctl->has_bm ? "no bus master" :
                        ctl->pio_only ? "ide=pio" : "simplex or no PRD table");
    printk(LOG_INFO, "[ide] %02x:%02x.%x %s: %s mode, ports 0x%x/0x%x, %s, %s\n", d->bus, d->dev, d->fn,
           ch->name, ch->native ? "native" : "compatibility", ch->cmd, ch->ctrl, irq, dma);
}

/* Ports, PRD table, reset and the search for drives, with the interrupt masked. */
static void setup_channel(struct ide_controller *ctl, unsigned i, uint16_t bm)
{
    struct ide_channel *ch = &ctl->ch[i];

    ch->ctl = ctl;
    ch->index = i;
    ch->name = channel_names[i];
    ch->irq_handle = -1;
    if (channel_ports(ch, ctl->pci, i) != 0) {
        printk(LOG_WARN, "[ide] %s: native mode without its BARs: skipped\n", ch->name);
        return;
    }
    if (bm && i == 1 && (arch_inb(bm + IDE_BM_STATUS) & IDE_BM_STS_SIMPLEX))
        bm = 0;                         /* one channel at a time may DMA: the primary does */
    if (bm && dma_alloc(&ch->prdt, 4096, 4096, DMA_LIMIT_32BIT, "ide prdt") == 0)
        ch->bm = (uint16_t)(bm + 8 * i);
    report_channel(ctl, ch);
    ide_channel_init(ch);
    if (i == 1 && (ch->stall_cmds = stall_asked())) {
        ch->timeout_ns = IDE_STALL_TIMEOUT_NS;
        printk(LOG_WARN, "[ide] %s: ide_stall=%llu: its first %llu commands will not be sent (timeout %llu ms)\n",
               ch->name, (unsigned long long)ch->stall_cmds, (unsigned long long)ch->stall_cmds,
               (unsigned long long)(ch->timeout_ns / 1000000));
    }
    ide_probe_channel(ch);
}

/* A channel with drives: its interrupt, its thread, interrupts unmasked, the disks registered. */
static void run_channel(struct ide_controller *ctl, struct ide_channel *ch, int *native_claimed)
{
    int r;

    if (!ch->drive[0] && !ch->drive[1])
        return;
    if ((r = claim_irq(ctl, ch, native_claimed)) < 0) {
        printk(LOG_ERR, "[ide] %s: cannot claim its interrupt (%d): drives left out\n", ch->name, r);
        return;
    }
    if (ide_channel_start(ch) != 0) {
        printk(LOG_ERR, "[ide] %s: no thread: drives left out\n", ch->name);
        return;
    }
    arch_outb(ch->ctrl, 0);             /* nIEN clear: the drives interrupt from now on */
    ide_register_drives(ch);
}

static int ide_pci_probe(struct pci_dev *dev, const struct pci_match *match)
{
    struct ide_controller *ctl = kcalloc(1, sizeof *ctl);
    uint16_t bm = bus_master_base(dev);
    int native_claimed = 0;

    (void)match;
    if (!ctl)
        return -1;
    ctl->pci = dev;
    ctl->has_bm = bm != 0;
    ctl->pio_only = !bm || pio_asked();
    dev->driver_data = ctl;
    pci_enable(dev, PCI_ENABLE_IO | (ctl->pio_only ? 0 : PCI_ENABLE_MASTER));
    for (unsigned i = 0; i < 2; i++)
        setup_channel(ctl, i, ctl->pio_only ? 0 : bm);
    for (unsigned i = 0; i < 2; i++)
        run_channel(ctl, &ctl->ch[i], &native_claimed);
    return 0;
}

static const struct pci_match ide_matches[] = {
    PCI_MATCH_CLASS(0x01, 0x01, PCI_ANY_CLASS, 0),      /* mass storage, IDE, any interface */
    { 0 },
};

static const struct pci_driver ide_driver = { .name = "ide", .matches = ide_matches,
                                              .probe = ide_pci_probe };
PCI_DRIVER(ide_driver);
