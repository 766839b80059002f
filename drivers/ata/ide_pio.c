/*
 * ide_pio.c - programmed I/O: the CPU moves each sector through the
 * 16-bit data port, 256 words at a time (ATA/ATAPI-6 section 9.7, the PIO
 * data-in and data-out protocols).
 *
 *   READ SECTORS (EXT)   the drive interrupts once per sector with DRQ set:
 *                        the thread reads that sector; after the last one
 *                        no interrupt follows: the command is done.
 *   WRITE SECTORS (EXT)  no interrupt before the first sector: the thread
 *                        waits for DRQ and writes it (ide_pio_begin); then
 *                        an interrupt after each sector is on the drive,
 *                        asking for the next, and one after the last.
 *
 * The path of drives without a bus master (no BAR4), of `ide=pio` on the
 * command line, and of a buffer the DMA engine cannot take (odd address).
 * Rules: the channel's thread only (ide_cmd.c), for ch->cur.
 */
#include <string.h>

#include "arch.h"
#include "ata/ide.h"

void ide_pio_read_sector(struct ide_channel *ch, void *buf)
{
    uint8_t *p = buf;

    for (unsigned i = 0; i < IDE_SECTOR / 2; i++) {
        uint16_t w = arch_inw(ch->cmd + IDE_REG_DATA);
        memcpy(p + 2 * i, &w, 2);
    }
}

void ide_pio_write_sector(struct ide_channel *ch, const void *buf)
{
    const uint8_t *p = buf;

    for (unsigned i = 0; i < IDE_SECTOR / 2; i++) {
        uint16_t w;
        memcpy(&w, p + 2 * i, 2);
        arch_outw(ch->cmd + IDE_REG_DATA, w);
    }
}

static uint8_t *sector_buf(struct ide_cmd *c)
{
    return (uint8_t *)c->req->buf + (size_t)c->done * IDE_SECTOR;
}

/* Right after the command: a write's first sector. 0, or -1 (the drive refused: ERR). */
int ide_pio_begin(struct ide_channel *ch)
{
    struct ide_cmd *c = &ch->cur;
    uint8_t st;

    if (c->req->op != BLOCK_WRITE)
        return 0;
    if (ide_wait_drq(ch, IDE_TIMEOUT_NS, &st) != 0)
        return -1;
    ide_pio_write_sector(ch, sector_buf(c));
    c->done++;
    return 0;
}

/*
 * One interrupt of a PIO command, with the status the handler read: the
 * next sector moved. 1 when the command is complete, 0 when more
 * interrupts are due, -1 on an error (ERR or DF, or no DRQ where data was due).
 */
int ide_pio_step(struct ide_channel *ch, uint8_t status)
{
    struct ide_cmd *c = &ch->cur;

    if (status & (ATA_STS_ERR | ATA_STS_DF))
        return -1;
    if (c->req->op == BLOCK_WRITE && c->done == c->req->count)
        return 1;
    if (!(status & ATA_STS_DRQ))
        return -1;
    if (c->req->op == BLOCK_READ)
        ide_pio_read_sector(ch, sector_buf(c));
    else
        ide_pio_write_sector(ch, sector_buf(c));
    c->done++;
    return c->req->op == BLOCK_READ && c->done == c->req->count;
}
