/*
 * ahci_disk.c - from a port with a device on it to a block device named
 * sda, sdb, ... (block_register): what the device is (PxSIG), IDENTIFY
 * DEVICE by polling, its answer parsed (ata_identify.c), the queue the
 * port will keep, the completion thread started, then registration.
 *
 * What the port offers the block layer:
 *   block_size, physical   IDENTIFY words 106, 117-118 (512 or 4096 ...)
 *   queue_depth, nslots    NCQ when both the HBA (CAP.SNCQ) and the device
 *                          (word 76) have it: min(CAP.NCS, word 75 + 1)
 *                          slots, each a tag; else 1, non-queued
 *   max_blocks             what AHCI_PRDS PRDs always cover: a buffer of
 *                          (AHCI_PRDS - 1) pages may touch AHCI_PRDS pages
 *   dma_limit              the HBA's (CAP.S64A: 64-bit, else below 4 GiB)
 * ATAPI devices (CD/DVD), port multipliers and enclosure bridges are
 * logged and skipped; so is a disk without LBA48 (every SATA disk has it).
 */
#include <string.h>

#include "ata/ahci.h"
#include "mm/heap.h"
#include "printk.h"

static const struct block_ops ahci_block_ops = {
    .driver = "ahci",
    .start = ahci_start,
};

/* 0 for an ATA disk; -1 (logged) for what the driver skips. */
static int check_signature(struct ahci_port *p)
{
    uint32_t sig = ahci_read(p->regs, AHCI_PxSIG);
    const char *what;

    switch (sig) {
    case AHCI_SIG_ATA:   return 0;
    case AHCI_SIG_ATAPI: what = "ATAPI device (CD/DVD)"; break;
    case AHCI_SIG_PM:    what = "port multiplier"; break;
    case AHCI_SIG_SEMB:  what = "enclosure management bridge"; break;
    default:             what = "unknown device"; break;
    }
    printk(LOG_INFO, "[ahci] port %u: %s, signature 0x%08x: skipped\n", p->index, what, sig);
    return -1;
}

/* IDENTIFY DEVICE, polled, parsed into p->id: 0, or -1 (logged). */
static int identify(struct ahci_port *p)
{
    struct ahci_fis_h2d fis;
    uint16_t *words = kmalloc(ATA_IDENTIFY_WORDS * 2);
    const char *why = "out of memory";
    uint32_t tfd = 0;
    int rc = -1;

    if (words) {
        ahci_fis_lba(&fis, ATA_CMD_IDENTIFY, 0, 0);
        fis.device = 0;
        rc = ahci_port_exec_polled(p, &fis, words, ATA_IDENTIFY_WORDS * 2, &tfd);
        why = rc == -2 ? "no answer" : "task-file error";
        if (rc == 0)
            rc = ata_identify_parse(words, &p->id, &why);
        kfree(words);
    }
    if (rc != 0)
        printk(LOG_WARN, "[ahci] port %u: IDENTIFY DEVICE: %s (PxTFD 0x%x): skipped\n", p->index,
               why, tfd);
    return rc;
}

/* The queue and the block device's fields from the identity and the HBA. */
static void describe(struct ahci_port *p)
{
    struct block_device *b = &p->bdev;
    unsigned ncs = AHCI_CAP_NCS(p->hba->cap);

    p->ncq = (p->hba->cap & AHCI_CAP_SNCQ) && p->id.ncq;
    p->nslots = p->ncq ? (p->id.ncq_depth < ncs ? p->id.ncq_depth : ncs) : 1;
    p->flush_cmd = p->id.flush_ext ? ATA_CMD_FLUSH_CACHE_EXT : ATA_CMD_FLUSH_CACHE;
    memcpy(b->model, p->id.model, sizeof b->model - 1);
    b->block_size = p->id.logical_size;
    b->physical_block_size = p->id.physical_size;
    b->blocks = p->id.sectors;
    b->max_blocks = (AHCI_PRDS - 1) * 4096u / b->block_size;
    if (b->max_blocks > ATA_MAX_SECTORS_LBA48)
        b->max_blocks = ATA_MAX_SECTORS_LBA48;
    b->queue_depth = p->nslots;
    b->dma_limit = p->hba->dma_limit;
    b->ops = &ahci_block_ops;
    b->driver_data = p;
}

int ahci_disk_attach(struct ahci_port *p)
{
    if (check_signature(p) != 0 || identify(p) != 0)
        return -1;
    if (!p->id.lba48) {
        printk(LOG_WARN, "[ahci] port %u: %s has no LBA48 commands: skipped\n", p->index,
               p->id.model);
        return -1;
    }
    describe(p);
    p->timeout_ms = AHCI_CMD_TIMEOUT_MS;
    spin_init(&p->lock, "ahci port");
    sem_init(&p->wake, 0, "ahci port");
    ahci_timeout_init(p);
    printk(LOG_INFO, "[ahci] port %u: %s, %s, %u slots, write cache %s\n", p->index,
           p->id.model, p->ncq ? "NCQ" : "no NCQ", p->nslots, p->id.write_cache ? "on" : "off");
    if (ahci_complete_start(p) != 0) {
        printk(LOG_ERR, "ahci_disk_attach: port %u: no completion thread\n", p->index);
        return -1;
    }
    if (block_register(&p->bdev, "sd", BLOCK_NAME_LETTER) != 0) {
        printk(LOG_ERR, "ahci_disk_attach: port %u: block_register refused it\n", p->index);
        return -1;
    }
    return 0;
}
