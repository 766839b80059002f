/*
 * ahci_cmd.c - a block request made into an AHCI command and issued
 * (AHCI 1.3.1 section 5.5, ACS-3 for the commands).
 *
 * The path: the block layer calls ahci_start (the submitter's thread); the
 * request joins the port's wait list, and ahci_kick moves requests from
 * the head of that list into free command slots while the rules allow:
 *   - an NCQ command (READ/WRITE FPDMA QUEUED, tag = slot) may go while
 *     only NCQ commands are in flight, up to the port's nslots;
 *   - any other command (READ/WRITE DMA EXT, FLUSH CACHE EXT, and every
 *     command of a device without NCQ, or a request marked AHCI_RQ_SOLO
 *     after an NCQ error) goes alone: SATA forbids mixing it with queued
 *     ones, and alone its failure names it;
 *   - nothing goes while the port is being reset (recovering).
 * The list keeps the order the block layer started them in: a flush waits
 * for the NCQ commands before it to end, and those after it wait for it.
 *
 * Issuing a slot: dma_map the request's buffer (segments of at most
 * AHCI_PRD_MAX bytes, below the HBA's dma_limit), one PRD per segment
 * (DBC = bytes - 1; the address and the count must be even: AHCI 4.2.3.3,
 * a buffer that is not is refused with BLOCK_EINVAL), the FIS in the
 * command table, the header (FIS length, write bit, PRD count), then
 * under the port's lock: the timeout callout armed, PxSACT (NCQ) and
 * PxCI set. The completion thread (ahci_complete.c) takes it from there.
 *
 * Locking: p->lock guards the slot bitmaps (busy: reserved; issued: on the
 * hardware; queued: the NCQ ones), the wait list and `issuing` (slots
 * reserved whose registers are not written yet: recovery waits for 0).
 */
#include <string.h>

#include "ata/ahci.h"
#include "mutant.h"
#include "panic.h"
#include "printk.h"
#include "timer/clock.h"

/* A register FIS for an LBA48 command: LBA in 6 bytes, count in 2. */
void ahci_fis_lba(struct ahci_fis_h2d *fis, uint8_t command, uint64_t lba, uint32_t count)
{
    memset(fis, 0, sizeof *fis);
    fis->type = AHCI_FIS_H2D;
    fis->flags = AHCI_FIS_H2D_CMD;
    fis->command = command;
    fis->device = ATA_DEV_LBA;
    fis->lba0 = (uint8_t)lba;
    fis->lba1 = (uint8_t)(lba >> 8);
    fis->lba2 = (uint8_t)(lba >> 16);
    fis->lba3 = (uint8_t)(lba >> 24);
    fis->lba4 = (uint8_t)(lba >> 32);
    fis->lba5 = (uint8_t)(lba >> 40);
    fis->count_lo = (uint8_t)count;
    fis->count_hi = (uint8_t)(count >> 8);
}

/* READ/WRITE FPDMA QUEUED (ACS-3 13.6.4): the count in FEATURE, the tag in COUNT bits 7:3. */
static void fis_ncq(struct ahci_fis_h2d *fis, int write, uint64_t lba, uint32_t count,
                    unsigned tag)
{
    ahci_fis_lba(fis, write ? ATA_CMD_WRITE_FPDMA_QUEUED : ATA_CMD_READ_FPDMA_QUEUED, lba, 0);
    fis->feature_lo = (uint8_t)count;
    fis->feature_hi = (uint8_t)(count >> 8);
    fis->count_lo = (uint8_t)(tag << 3);
}

/*
 * Slot s's command table and header: the FIS and one PRD per segment of
 * map (NULL: no data). 0, or -1 when a segment breaks the PRD rules.
 */
int ahci_cmd_prepare(struct ahci_port *p, unsigned s, const struct ahci_fis_h2d *fis,
                     const struct dma_map *map, int write)
{
    struct ahci_cmd_table *t = &p->tables[s];
    struct ahci_cmd_header *h = &p->list[s];
    unsigned n = map ? map->nseg : 0;

    if (n > AHCI_PRDS)
        return -1;
    memcpy(t->cfis, fis, sizeof *fis);
    for (unsigned i = 0; i < n; i++) {
        const struct dma_seg *seg = &map->seg[i];
        if ((seg->bus & 1) || (seg->len & 1) || seg->len == 0 || seg->len > AHCI_PRD_MAX)
            return -1;
        t->prd[i].dba = seg->bus;
        t->prd[i].reserved = 0;
        t->prd[i].dbc = seg->len - 1;
    }
    h->flags = (uint16_t)(AHCI_HDR_CFL_H2D | (write ? AHCI_HDR_WRITE : 0));
    h->prdtl = (uint16_t)n;
    h->prdbc = 0;
    return 0;
}

/* Sent queued? Reads and writes on an NCQ port, unless marked to go alone. */
static int wants_ncq(const struct ahci_port *p, const struct block_request *req)
{
    if (MUTANT_ENABLED(ahci_ncq))
        return 0;                       /* make mutants: no command queued */
    return p->ncq && req->op != BLOCK_FLUSH && !(ahci_rq_flags(req) & AHCI_RQ_SOLO);
}

/* A slot the head request may take now, or -1. Caller holds p->lock. */
static int pick_slot(struct ahci_port *p, int ncq)
{
    spin_assert_held(&p->lock);
    if (p->recovering || p->dead)
        return -1;
    if (!ncq)
        return p->busy ? -1 : 0;
    if (p->busy & ~p->queued)
        return -1;                      /* a non-queued command runs alone */
    for (unsigned s = 0; s < p->nslots; s++)
        if (!(p->busy & (1u << s)))
            return (int)s;
    return -1;
}

void ahci_slot_release(struct ahci_port *p, unsigned s)
{
    spin_lock(&p->lock);
    p->slot[s].req = 0;
    p->busy &= ~(1u << s);
    p->queued &= ~(1u << s);
    spin_unlock(&p->lock);
}

/* The FIS for slot s's request; its buffer mapped into the slot. 0 or BLOCK_E*. */
static int build(struct ahci_port *p, unsigned s, struct ahci_fis_h2d *fis)
{
    struct ahci_slot *sl = &p->slot[s];
    struct block_request *req = sl->req;
    int write = req->op == BLOCK_WRITE;
    uint32_t bytes = req->count * p->bdev.block_size;

    if (req->op == BLOCK_FLUSH) {
        ahci_fis_lba(fis, p->flush_cmd, 0, 0);
        fis->device = 0;
        return ahci_cmd_prepare(p, s, fis, 0, 0) == 0 ? 0 : BLOCK_EINVAL;
    }
    if (dma_map(&sl->map, req->buf, bytes, write ? DMA_TO_DEVICE : DMA_FROM_DEVICE,
                p->hba->dma_limit, AHCI_PRD_MAX) != 0)
        return BLOCK_ENOMEM;
    if (sl->ncq)
        fis_ncq(fis, write, req->hw_block, req->count, s);
    else
        ahci_fis_lba(fis, write ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT, req->hw_block,
                     req->count);
    if (ahci_cmd_prepare(p, s, fis, &sl->map, write) != 0) {
        printk(LOG_ERR, "[ahci] %s: buffer %p of %u bytes breaks the PRD rules (odd address "
               "or length)\n", p->bdev.name, req->buf, bytes);
        dma_unmap(&sl->map);
        return BLOCK_EINVAL;
    }
    return 0;
}

/* Tell the HBA: the timeout armed, PxSACT for a queued command, then PxCI. Caller holds p->lock. */
static void ring(struct ahci_port *p, unsigned s)
{
    struct ahci_slot *sl = &p->slot[s];

    spin_assert_held(&p->lock);
    sl->deadline_ns = clock_ns() + p->timeout_ms * NS_PER_MS;
    callout_arm(&sl->timeout, p->timeout_ms * NS_PER_MS);
    p->issued |= 1u << s;
    if (ahci_bits(p->issued) > p->stat_max_out)
        p->stat_max_out = ahci_bits(p->issued);
    if (p->test_drop && sl->req->op != BLOCK_FLUSH && sl->req->hw_block == p->test_drop_lba) {
        p->test_drop--;                 /* ahci_test_drop: the command "lost" on the way */
        p->test_lost |= 1u << s;
        return;
    }
    dma_wmb();
    if (sl->ncq)
        ahci_write(p->regs, AHCI_PxSACT, 1u << s);
    ahci_write(p->regs, AHCI_PxCI, 1u << s);
}

/* Build and ring slot s (reserved by ahci_kick); a request that cannot go is completed with why. */
static void issue(struct ahci_port *p, unsigned s)
{
    struct ahci_fis_h2d fis;
    struct block_request *req = p->slot[s].req;
    int rc = build(p, s, &fis);

    spin_lock(&p->lock);
    if (rc == 0)
        ring(p, s);
    p->issuing--;
    spin_unlock(&p->lock);
    if (rc != 0) {
        ahci_slot_release(p, s);
        block_complete(&p->bdev, req, rc);
    }
}

/* Issue waiting requests while the rules of this file's comment allow. */
void ahci_kick(struct ahci_port *p)
{
    for (;;) {
        struct block_request *req;
        int s;

        spin_lock(&p->lock);
        req = p->wait_count ? p->wait[p->wait_first] : 0;
        if (!req || (s = pick_slot(p, wants_ncq(p, req))) < 0) {
            spin_unlock(&p->lock);
            return;
        }
        p->wait_first = (p->wait_first + 1) % AHCI_SLOTS;
        p->wait_count--;
        p->slot[s].req = req;
        p->slot[s].ncq = wants_ncq(p, req);
        p->busy |= 1u << s;
        if (p->slot[s].ncq)
            p->queued |= 1u << s;
        p->issuing++;
        spin_unlock(&p->lock);
        issue(p, (unsigned)s);
    }
}

/*
 * The wait list: a ring of AHCI_SLOTS, never full, since the block layer
 * starts at most queue_depth (<= nslots) requests before one completes.
 * (req->next is the block layer's: a started request may head a merge chain.)
 * Caller holds p->lock; 0, or -1 when full (a block layer bug, reported).
 */
static int wait_add(struct ahci_port *p, struct block_request *req, int front)
{
    spin_assert_held(&p->lock);
    if (p->wait_count == AHCI_SLOTS)
        return -1;
    if (front) {
        p->wait_first = (p->wait_first + AHCI_SLOTS - 1) % AHCI_SLOTS;
        p->wait[p->wait_first] = req;
    } else {
        p->wait[(p->wait_first + p->wait_count) % AHCI_SLOTS] = req;
    }
    p->wait_count++;
    return 0;
}

/* Back at the head of the wait list (recovery's retries: pushed last first, they keep their order). */
void ahci_wait_push_front(struct ahci_port *p, struct block_request *req)
{
    spin_lock(&p->lock);
    if (wait_add(p, req, 1) != 0)
        panic("ahci_wait_push_front: %s: wait list full", p->bdev.name);
    spin_unlock(&p->lock);
}

/* block_ops.start: queue the request on the port and issue what may go. */
int ahci_start(struct block_device *dev, struct block_request *req)
{
    struct ahci_port *p = dev->driver_data;
    int rc;

    if (req->op > BLOCK_FLUSH || (req->op != BLOCK_FLUSH && (!req->count || !req->buf)))
        return BLOCK_EINVAL;
    if (req->op != BLOCK_FLUSH && req->count > ATA_MAX_SECTORS_LBA48)
        return BLOCK_EINVAL;
    req->driver_priv = 0;
    spin_lock(&p->lock);
    rc = p->dead ? BLOCK_EIO : wait_add(p, req, 0);
    spin_unlock(&p->lock);
    if (rc == -1) {
        printk(LOG_ERR, "ahci_start: %s: more than %u requests started at once\n", p->bdev.name,
               AHCI_SLOTS);
        return BLOCK_EINVAL;
    }
    if (rc == 0)
        ahci_kick(p);
    return rc;
}

void ahci_test_drop(struct block_device *dev, uint64_t lba, unsigned n, uint64_t timeout_ms)
{
    struct ahci_port *p = dev->driver_data;

    spin_lock(&p->lock);
    p->test_drop = n;
    p->test_drop_lba = lba;
    p->timeout_ms = timeout_ms;
    spin_unlock(&p->lock);
}
