/*
 * ide_probe.c - what is on a channel: a software reset, then for the
 * master and the slave the signature the reset left in the task file and
 * IDENTIFY DEVICE, read by polled PIO with the channel's interrupt masked
 * (nIEN), before the channel's thread exists.
 *
 *   signature 14h/EBh     an ATAPI device (a CD drive): logged, skipped
 *                         (looked at first: its status may read 0);
 *   status 0x00 or 0xFF   nothing there (0xFF: no drive pulls the bus up
 *                         at all, the whole channel is empty);
 *   IDENTIFY answered     a disk: its words parsed by the ATA code the
 *                         AHCI driver shares (ata_identify_parse), its
 *                         logical sectors checked to be 512 bytes (what
 *                         PIO and DMA move), then, once the channel runs,
 *                         registered as sdX (ide_register_drives).
 *
 * Rules: the PCI probe's thread, for a channel nobody else drives yet.
 */
#include "arch.h"
#include "ata/ide.h"
#include "format.h"
#include "mm/heap.h"
#include "printk.h"

#define IDENTIFY_TIMEOUT_NS (1000ull * 1000000ull)
#define SIG_ATAPI_MID       0x14    /* LBA mid/high after reset: ATAPI (ATA/ATAPI-6 9.12) */
#define SIG_ATAPI_HIGH      0xEB

/* A request of max_blocks fits one LBA28 command (ide_register_drives). */
_Static_assert((DMA_MAX_SEGS - 1) * 4096 / IDE_SECTOR <= ATA_MAX_SECTORS_LBA28, "max_blocks beyond LBA28");

static const char *const unit_names[2] = { "master", "slave" };

/* IDENTIFY DEVICE on the selected drive: 0 with its 256 words, or -1 (no answer or refused). */
static int identify(struct ide_channel *ch, uint16_t *words)
{
    uint8_t st;

    arch_outb(ch->cmd + IDE_REG_COUNT, 0);
    arch_outb(ch->cmd + IDE_REG_LBA0, 0);
    arch_outb(ch->cmd + IDE_REG_LBA1, 0);
    arch_outb(ch->cmd + IDE_REG_LBA2, 0);
    arch_outb(ch->cmd + IDE_REG_COMMAND, ATA_CMD_IDENTIFY);
    if (ide_status(ch) == 0 || ide_wait_drq(ch, IDENTIFY_TIMEOUT_NS, &st) != 0)
        return -1;
    ide_pio_read_sector(ch, words);
    (void)arch_inb(ch->cmd + IDE_REG_STATUS);
    return 0;
}

static void add_drive(struct ide_channel *ch, unsigned unit, const struct ata_identity *id)
{
    struct ide_drive *d = kcalloc(1, sizeof *d);

    if (!d) {
        printk(LOG_ERR, "[ide] %s %s: no memory for the drive\n", ch->name, unit_names[unit]);
        return;
    }
    d->ch = ch;
    d->unit = unit;
    d->id = *id;
    ch->drive[unit] = d;
    printk(LOG_INFO, "[ide] %s %s: %s, %llu sectors, %s, %s\n", ch->name, unit_names[unit], id->model,
           (unsigned long long)id->sectors, id->lba48 ? "LBA48" : "LBA28",
           ch->bm ? "bus-master DMA" : "PIO");
}

static void probe_unit(struct ide_channel *ch, unsigned unit)
{
    static uint16_t words[ATA_IDENTIFY_WORDS];         /* the probe runs in one thread at a time */
    struct ata_identity id;
    const char *why;
    uint8_t st, mid, high;

    ide_select(ch, unit);
    mid = arch_inb(ch->cmd + IDE_REG_LBA1);
    high = arch_inb(ch->cmd + IDE_REG_LBA2);
    if (mid == SIG_ATAPI_MID && high == SIG_ATAPI_HIGH) {      /* before the status: ATAPI's may be 0 */
        printk(LOG_INFO, "[ide] %s %s: ATAPI device: skipped\n", ch->name, unit_names[unit]);
        return;
    }
    st = ide_status(ch);
    if (st == 0 || st == 0xFF)
        return;
    if (identify(ch, words) != 0) {
        printk(LOG_INFO, "[ide] %s %s: status 0x%02x but no answer to IDENTIFY: skipped\n",
               ch->name, unit_names[unit], st);
        return;
    }
    if (ata_identify_parse(words, &id, &why) != 0) {
        printk(LOG_WARN, "[ide] %s %s: IDENTIFY refused: %s\n", ch->name, unit_names[unit], why);
        return;
    }
    if (id.logical_size != IDE_SECTOR) {
        printk(LOG_WARN, "[ide] %s %s: IDENTIFY refused: logical sectors of %u bytes, not %u\n",
               ch->name, unit_names[unit], id.logical_size, IDE_SECTOR);
        return;
    }
    add_drive(ch, unit, &id);
}

/* Reset the channel (interrupts masked) and look for its two drives. */
void ide_probe_channel(struct ide_channel *ch)
{
    if (ide_status(ch) == 0xFF) {
        printk(LOG_INFO, "[ide] %s: no drives (floating bus)\n", ch->name);
        return;
    }
    if (ide_soft_reset(ch, 0) != 0) {
        printk(LOG_WARN, "[ide] %s: still busy after a reset (status 0x%02x): skipped\n",
               ch->name, ide_status(ch));
        return;
    }
    for (unsigned unit = 0; unit < 2; unit++)
        probe_unit(ch, unit);
}

/* Each drive found becomes a block device (the channel's thread and interrupt run by now). */
void ide_register_drives(struct ide_channel *ch)
{
    for (unsigned unit = 0; unit < 2; unit++) {
        struct ide_drive *d = ch->drive[unit];
        struct block_device *b;
        /* Any buffer of this size fits a dma_map (31 pages, however it is aligned); < 256: LBA28's count. */
        uint32_t max_blocks = (DMA_MAX_SEGS - 1) * 4096 / IDE_SECTOR;

        if (!d)
            continue;
        b = &d->bdev;
        format_snprintf(b->model, sizeof b->model, "%s", d->id.model);
        b->block_size = b->physical_block_size = IDE_SECTOR;
        b->blocks = d->id.sectors;
        b->max_blocks = max_blocks;
        b->queue_depth = 1;
        b->dma_limit = DMA_LIMIT_32BIT;
        b->ops = &ide_block_ops;
        b->driver_data = d;
        if (block_register(b, "sd", BLOCK_NAME_LETTER) != 0)
            printk(LOG_ERR, "[ide] %s %s: block_register failed\n", ch->name, unit_names[unit]);
    }
}
