/*
 * ide_dma.c - bus-master DMA (PCI IDE Bus Master, rev 1.0): the
 * controller moves a command's sectors between the drive and memory by
 * itself, following a PRD table, and the drive interrupts once at the end.
 *
 * The PRD table (Physical Region Descriptors): 8-byte entries, each a
 * 32-bit physical base and a byte count (0 meaning 64 KiB), the last with
 * EOT set. A region may not cross a 64 KiB boundary and must be word
 * aligned; the table itself is one page below 4 GiB (dma_alloc at
 * probe). A request's buffer comes from dma_map with the device's 32-bit
 * limit (a buffer above 4 GiB is bounced below it) and segments of at
 * most 64 KiB; each segment is cut again at 64 KiB boundaries here.
 *
 * Per command (the BMIDE registers of the channel, from BAR4):
 *   ide_dma_prepare   map the buffer, fill the table (before the command);
 *   ide_dma_setup     table address, direction, status bits cleared;
 *   ide_dma_start     the start bit (right after the command is written);
 *   ide_dma_stop      start cleared at the interrupt: the engine's status;
 *   ide_dma_release   the mapping undone (bounce copied back) at the end.
 * Rules: the channel's thread only (ide_cmd.c), for ch->cur.
 */
#include "arch.h"
#include "ata/ide.h"

struct ide_prd {
    uint32_t base;
    uint16_t bytes;             /* 0: 65536 */
    uint16_t flags;
};
_Static_assert(sizeof(struct ide_prd) == 8, "a PRD is 8 bytes (bus master spec 1.0)");

#define PRD_EOT             0x8000
#define PRD_REGION_MAX      0x10000u            /* 64 KiB, and no crossing of a 64 KiB boundary */
#define PRD_TABLE_ENTRIES   (4096 / sizeof(struct ide_prd))

/* The map's segments as PRDs: their number, or -1 (odd address or length, table full). */
static int fill_table(struct ide_prd *prd, const struct dma_map *m)
{
    int n = 0;

    for (unsigned i = 0; i < m->nseg; i++) {
        uint64_t bus = m->seg[i].bus, len = m->seg[i].len;

        if ((bus | len) & 1)
            return -1;
        while (len) {
            uint64_t room = PRD_REGION_MAX - (bus & (PRD_REGION_MAX - 1));
            uint64_t take = len < room ? len : room;

            if ((unsigned)n == PRD_TABLE_ENTRIES)
                return -1;
            prd[n].base = (uint32_t)bus;
            prd[n].bytes = (uint16_t)take;     /* 65536 wraps to 0, as the spec wants */
            prd[n].flags = 0;
            n++;
            bus += take;
            len -= take;
        }
    }
    if (n)
        prd[n - 1].flags = PRD_EOT;
    return n ? n : -1;
}

/* Map the current request and fill the table: 0, or -1 (then the caller uses PIO). */
int ide_dma_prepare(struct ide_channel *ch)
{
    struct ide_cmd *c = &ch->cur;
    size_t len = (size_t)c->req->count * IDE_SECTOR;
    unsigned dir = c->req->op == BLOCK_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;

    if (dma_map(&c->map, c->req->buf, len, dir, DMA_LIMIT_32BIT, PRD_REGION_MAX) != 0)
        return -1;
    if (fill_table(ch->prdt.va, &c->map) < 0) {
        dma_unmap(&c->map);
        return -1;
    }
    dma_wmb();
    return 0;
}

static uint8_t direction(const struct ide_channel *ch)
{
    return ch->cur.req->op == BLOCK_READ ? IDE_BM_CMD_TO_MEM : 0;
}

void ide_dma_setup(struct ide_channel *ch)
{
    uint8_t st = arch_inb(ch->bm + IDE_BM_STATUS);

    arch_outl(ch->bm + IDE_BM_PRDT, (uint32_t)ch->prdt.bus);
    arch_outb(ch->bm + IDE_BM_COMMAND, direction(ch));
    arch_outb(ch->bm + IDE_BM_STATUS, st | IDE_BM_STS_ERROR | IDE_BM_STS_IRQ);    /* 1s clear */
}

void ide_dma_start(struct ide_channel *ch)
{
    arch_outb(ch->bm + IDE_BM_COMMAND, direction(ch) | IDE_BM_CMD_START);
}

/* Stop the engine; its status before the error and interrupt bits were cleared. */
uint8_t ide_dma_stop(struct ide_channel *ch)
{
    uint8_t st;

    arch_outb(ch->bm + IDE_BM_COMMAND, direction(ch));
    st = arch_inb(ch->bm + IDE_BM_STATUS);
    arch_outb(ch->bm + IDE_BM_STATUS, st | IDE_BM_STS_ERROR | IDE_BM_STS_IRQ);
    dma_rmb();
    return st;
}

void ide_dma_release(struct ide_channel *ch)
{
    dma_unmap(&ch->cur.map);
}
