/*
 * ide_cmd.c - commands on an IDE channel: one in flight at a time, run by
 * the channel's thread from issue to completion.
 *
 *   ide_start (block_ops.start)  queues the request on its channel (the
 *                    two drives share it) and wakes the thread; the block
 *                    layer gives each drive one request at a time
 *                    (queue_depth 1) and keeps the rest;
 *   the thread       issues the oldest queued request when the channel is
 *                    idle: LBA28 when the sectors fit (fewer register
 *                    writes), LBA48 otherwise (READ/WRITE DMA EXT, READ/
 *                    WRITE SECTORS EXT, FLUSH CACHE EXT); bus-master DMA
 *                    when the channel has it, PIO otherwise; then, woken
 *                    by the interrupt, moves PIO sectors or stops the DMA
 *                    engine, and completes the request (dma_unmap,
 *                    block_complete) in thread context;
 *   ide_channel_irq  (interrupt) reads the bus master and ATA status (which
 *                    lowers INTRQ), hands them to the thread, wakes it;
 *   the timeout      a callout armed at each issue (IDE_TIMEOUT_NS): the
 *                    thread resets the channel (SRST) and issues the
 *                    command once more; a second timeout completes it
 *                    with BLOCK_ETIMEDOUT. ERR or DF completes it with
 *                    BLOCK_EIO, logged with the sector the drive names.
 *                    (`ide_stall=N` on the command line makes the secondary
 *                    channel's thread leave its first N commands unsent, as
 *                    to a drive that stops answering: the tests' way to
 *                    reach this path; that channel's timeout is then
 *                    IDE_STALL_TIMEOUT_NS, so a test waits 0.5 s, not 5.)
 *
 * Locks: ch->lock (a leaf, taken in the interrupt and the callout) guards
 * the queue and the events; ch->cur and the registers are the thread's.
 * A queued request waits on req->next, which the block layer leaves
 * unused while a request is started.
 */
#include "arch.h"
#include "ata/ide.h"
#include "format.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"

static int ide_start(struct block_device *dev, struct block_request *req)
{
    struct ide_drive *d = dev->driver_data;
    struct ide_channel *ch = d->ch;

    req->driver_priv = d;
    req->next = NULL;
    spin_lock(&ch->lock);
    if (ch->queue_tail)
        ch->queue_tail->next = req;
    else
        ch->queue_head = req;
    ch->queue_tail = req;
    spin_unlock(&ch->lock);
    sem_up(&ch->wake);
    return 0;
}

const struct block_ops ide_block_ops = { .driver = "ata", .start = ide_start };

static struct block_request *dequeue(struct ide_channel *ch)
{
    struct block_request *r;

    spin_lock(&ch->lock);
    r = ch->queue_head;
    if (r && !(ch->queue_head = r->next))
        ch->queue_tail = NULL;
    spin_unlock(&ch->lock);
    return r;
}

/* ---- the interrupt and the timeout: events for the thread ---- */

void ide_channel_irq(struct ide_channel *ch)
{
    uint8_t bm = 0, st;

    if (ch->bm) {
        bm = arch_inb(ch->bm + IDE_BM_STATUS);
        if (ch->native && !(bm & IDE_BM_STS_IRQ))
            return;                     /* a shared line: not this channel */
    }
    st = arch_inb(ch->cmd + IDE_REG_STATUS);    /* lowers INTRQ */
    if (ch->bm)                                 /* clear IRQ; ERROR is left for ide_dma_stop */
        arch_outb(ch->bm + IDE_BM_STATUS, (uint8_t)((bm & ~IDE_BM_STS_ERROR) | IDE_BM_STS_IRQ));
    spin_lock(&ch->lock);
    ch->irq_seen = 1;
    ch->irq_status = st;
    ch->irq_bm_status = bm;
    ch->irqs++;
    spin_unlock(&ch->lock);
    sem_up(&ch->wake);
}

static void timeout_fired(void *arg)
{
    struct ide_channel *ch = arg;

    spin_lock(&ch->lock);
    ch->timed_out = 1;
    spin_unlock(&ch->lock);
    sem_up(&ch->wake);
}

/* ---- issue and completion (the thread) ---- */

static int needs_lba48(const struct ide_drive *d, const struct block_request *r)
{
    return d->id.lba48 && (r->hw_block + r->count > ATA_LBA28_LIMIT || r->count > ATA_MAX_SECTORS_LBA28);
}

static uint8_t opcode_of(const struct ide_cmd *c, int lba48)
{
    static const uint8_t ops[2][2][2] = {       /* [write][dma][lba48] */
        { { ATA_CMD_READ_SECTORS, ATA_CMD_READ_SECTORS_EXT },
          { ATA_CMD_READ_DMA, ATA_CMD_READ_DMA_EXT } },
        { { ATA_CMD_WRITE_SECTORS, ATA_CMD_WRITE_SECTORS_EXT },
          { ATA_CMD_WRITE_DMA, ATA_CMD_WRITE_DMA_EXT } },
    };

    if (c->req->op == BLOCK_FLUSH)
        return c->drive->id.flush_ext ? ATA_CMD_FLUSH_CACHE_EXT : ATA_CMD_FLUSH_CACHE;
    return ops[c->req->op == BLOCK_WRITE][c->dma][lba48];
}

/* The command's timeout disarmed, and forgotten if it fired already. */
static void disarm_timeout(struct ide_channel *ch)
{
    callout_cancel_wait(&ch->timeout);
    spin_lock(&ch->lock);
    ch->timed_out = 0;
    spin_unlock(&ch->lock);
}

static void complete(struct ide_channel *ch, int status)
{
    struct ide_cmd *c = &ch->cur;
    struct block_request *req = c->req;

    disarm_timeout(ch);
    if (c->dma)
        ide_dma_release(ch);
    c->req = NULL;
    block_complete(&c->drive->bdev, req, status);
}

static const char *op_name(const struct block_request *r)
{
    return r->op == BLOCK_READ ? "read" : r->op == BLOCK_WRITE ? "write" : "flush";
}

/* ERR or DF (or a bus master error): say what and where, complete with BLOCK_EIO. */
static void fail(struct ide_channel *ch, uint8_t status, uint8_t bm_status)
{
    struct ide_cmd *c = &ch->cur;
    uint8_t error = arch_inb(ch->cmd + IDE_REG_ERROR);
    uint64_t lba = ide_read_lba(ch, c->lba48);
    char why[48];

    ide_describe_error(error, why, sizeof why);
    printk(LOG_ERR, "[ide] %s: %s error at sector %llu (request %llu+%u): status 0x%02x error 0x%02x (%s)%s\n",
           c->drive->bdev.name, op_name(c->req), (unsigned long long)lba,
           (unsigned long long)c->req->hw_block, c->req->count, status, error, why,
           bm_status & IDE_BM_STS_ERROR ? ", bus master error" : "");
    complete(ch, BLOCK_EIO);
}

static void on_timeout(struct ide_channel *ch);

/* Write the task file and the opcode of ch->cur (again, on a retry); start DMA or the first PIO sector. */
static void issue(struct ide_channel *ch)
{
    struct ide_cmd *c = &ch->cur;
    struct block_request *r = c->req;
    uint8_t st;

    c->lba48 = r->op != BLOCK_FLUSH && needs_lba48(c->drive, r);
    c->opcode = opcode_of(c, c->lba48);
    c->done = 0;
    spin_lock(&ch->lock);
    ch->irq_seen = 0;
    spin_unlock(&ch->lock);
    callout_arm(&ch->timeout, ch->timeout_ns);
    if (ch->stall_cmds) {               /* ide_stall=N: the drive "never answers" this one */
        ch->stall_cmds--;
        return;
    }
    ide_select(ch, c->drive->unit);
    if (ide_wait_idle(ch, ch->timeout_ns, &st) != 0) {
        on_timeout(ch);
        return;
    }
    if (c->dma)
        ide_dma_setup(ch);
    ide_load_lba(ch, c->drive->unit, r->op == BLOCK_FLUSH ? 0 : r->hw_block, r->count, c->lba48);
    arch_outb(ch->cmd + IDE_REG_COMMAND, c->opcode);
    if (c->dma)
        ide_dma_start(ch);
    else if (ide_pio_begin(ch) != 0)
        fail(ch, ide_status(ch), 0);
}

static void issue_new(struct ide_channel *ch, struct block_request *req)
{
    struct ide_cmd *c = &ch->cur;

    c->req = req;
    c->drive = req->driver_priv;
    c->retried = 0;
    c->dma = req->op != BLOCK_FLUSH && ch->bm && ide_dma_prepare(ch) == 0;
    issue(ch);
}

/* The timeout fired (or the drive stayed busy): reset the channel, then retry once or give up. */
static void on_timeout(struct ide_channel *ch)
{
    struct ide_cmd *c = &ch->cur;
    uint8_t st = ide_status(ch);

    disarm_timeout(ch);                 /* it may be due now too (issue's own wait ran out) */
    ch->timeouts++;
    if (c->dma)
        (void)ide_dma_stop(ch);
    printk(LOG_WARN, "[ide] %s: %s of sectors %llu+%u (command 0x%02x) timed out, status 0x%02x: %s\n",
           c->drive->bdev.name, op_name(c->req), (unsigned long long)c->req->hw_block, c->req->count,
           c->opcode, st, c->retried ? "giving up" : "resetting the channel and retrying");
    if (ide_soft_reset(ch, 1) != 0)
        printk(LOG_ERR, "[ide] %s: channel still busy after the reset\n", ch->name);
    if (c->retried) {
        complete(ch, BLOCK_ETIMEDOUT);
        return;
    }
    c->retried = 1;
    issue(ch);
}

/* The drive interrupted with status st: the command is done, or a PIO sector is due. */
static void on_interrupt(struct ide_channel *ch, uint8_t st, uint8_t bm)
{
    struct ide_cmd *c = &ch->cur;
    int r;

    if (st & ATA_STS_BSY)
        return;                         /* not finished: a shared or early interrupt */
    if (c->dma) {
        uint8_t dma_st = ide_dma_stop(ch) | bm;
        if ((st & (ATA_STS_ERR | ATA_STS_DF)) || (dma_st & IDE_BM_STS_ERROR))
            fail(ch, st, dma_st);
        else
            complete(ch, 0);
        return;
    }
    if (c->req->op == BLOCK_FLUSH)
        r = (st & (ATA_STS_ERR | ATA_STS_DF)) ? -1 : 1;
    else
        r = ide_pio_step(ch, st);
    if (r < 0)
        fail(ch, st, 0);
    else if (r > 0)
        complete(ch, 0);
}

static void channel_thread(void *arg)
{
    struct ide_channel *ch = arg;

    for (;;) {
        struct block_request *req;
        int irq, timed_out;
        uint8_t st, bm;

        sem_down(&ch->wake);
        spin_lock(&ch->lock);
        irq = ch->irq_seen;
        timed_out = ch->timed_out;
        st = ch->irq_status;
        bm = ch->irq_bm_status;
        ch->irq_seen = 0;
        spin_unlock(&ch->lock);
        if (ch->cur.req && irq)
            on_interrupt(ch, st, bm);
        if (ch->cur.req && timed_out)
            on_timeout(ch);
        while (!ch->cur.req && (req = dequeue(ch)))
            issue_new(ch, req);
    }
}

/* The lock, semaphore and callout: before the channel's interrupt is claimed. */
void ide_channel_init(struct ide_channel *ch)
{
    spin_init(&ch->lock, "ide_channel");
    sem_init(&ch->wake, 0, "ide_wake");
    callout_init(&ch->timeout, timeout_fired, ch);
    ch->timeout_ns = IDE_TIMEOUT_NS;
}

/* Start the channel's thread: 0, or -1. */
int ide_channel_start(struct ide_channel *ch)
{
    char name[THREAD_NAME_MAX];

    format_snprintf(name, sizeof name, "ide %s", ch->name);
    ch->thread = thread_create(name, channel_thread, ch, SCHED_PRIO_DEFAULT + 1);
    return ch->thread ? 0 : -1;
}
