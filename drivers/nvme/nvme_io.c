/*
 * nvme_io.c - a block request as an NVMe command: READ, WRITE or FLUSH
 * (NVMe 1.4 6.9, 6.14, 6.8) on the submission queue of the CPU that
 * submits it.
 *
 * nvme_io_start (the block layer's ops->start) takes a free command slot
 * of this CPU's pair (another pair's when that one is full: the block
 * layer's queue_depth is the sum of the slots, shared among the
 * namespaces, so some pair always has room), maps the buffer with dma_map
 * and names it with PRPs (nvme_prp.c). A buffer PRPs cannot name (an odd
 * address, or pieces that do not meet at page boundaries) or that needs
 * more than DMA_MAX_SEGS pieces goes through a contiguous bounce buffer
 * instead (copied before a write, after a read). nvme_io_issue_locked
 * arms the command's timeout, copies it to the ring's tail and rings the
 * doorbell; nvme_io_finish (the completion thread) unmaps and calls
 * block_complete, then frees the slot.
 */
#include <string.h>

#include "mutant.h"
#include "nvme/nvme.h"
#include "nvme/nvme_prp.h"
#include "printk.h"
#include "sched/sched.h"

/* A free slot of q, marked BUILDING, or NULL. */
static struct nvme_cmd *slot_take(struct nvme_queue *q)
{
    struct nvme_cmd *cmd = 0;

    spin_lock(&q->lock);
    if (q->nfree > 0) {
        cmd = &q->cmds[q->free_cids[--q->nfree]];
        cmd->state = NVME_SLOT_BUILDING;
    }
    spin_unlock(&q->lock);
    return cmd;
}

static void slot_give_back(struct nvme_cmd *cmd)
{
    struct nvme_queue *q = cmd->q;

    spin_lock(&q->lock);
    cmd->state = NVME_SLOT_FREE;
    cmd->req = 0;
    q->free_cids[q->nfree++] = cmd->cid;
    spin_unlock(&q->lock);
}

/* This CPU's pair first, then the others in turn. */
static struct nvme_cmd *slot_for_cpu(struct nvme_ctrl *c)
{
    struct nvme_queue *mine = nvme_queue_of_cpu(c, sched_cpu_id());
    struct nvme_cmd *cmd = slot_take(mine);

    for (unsigned i = 0; !cmd && i < c->nq; i++)
        if (c->io[i] != mine)
            cmd = slot_take(c->io[i]);
    return cmd;
}

/* The whole transfer in one contiguous buffer: 0, or BLOCK_ENOMEM. */
static int bounce(struct nvme_cmd *cmd, size_t len)
{
    struct block_request *req = cmd->req;

    if (dma_alloc(&cmd->bounce, len, NVME_PAGE, DMA_LIMIT_64BIT, "nvme bounce") < 0)
        return BLOCK_ENOMEM;
    __atomic_fetch_add(&cmd->q->ctrl->stat_bounces, 1, __ATOMIC_RELAXED);
    if (req->op == BLOCK_WRITE)
        memcpy(cmd->bounce.va, req->buf, len);
    cmd->map.nseg = 1;
    cmd->map.seg[0].bus = cmd->bounce.bus;
    cmd->map.seg[0].len = (uint32_t)len;
    return 0;
}

/* The data pointer of a READ or WRITE: 0, or a BLOCK_E*. */
static int map_data(struct nvme_cmd *cmd, size_t len)
{
    struct block_request *req = cmd->req;
    unsigned dir = req->op == BLOCK_WRITE ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
    int rc = 0;

    cmd->bounce.size = 0;
    if (dma_map(&cmd->map, req->buf, len, dir, DMA_LIMIT_64BIT, 0) < 0)
        rc = bounce(cmd, len);
    else if (!MUTANT_ENABLED(nvme_prp_rules) && nvme_prp_fits(cmd->map.seg, cmd->map.nseg) < 0) {
        dma_unmap(&cmd->map);
        rc = bounce(cmd, len);
    }
    if (rc == 0 && nvme_prp_build(cmd->map.seg, cmd->map.nseg, &cmd->sqe.prp1, &cmd->sqe.prp2,
                                  cmd->prp_list, cmd->prp_list_bus) < 0) {
        printk(LOG_ERR, "nvme_io_start: %zu bytes need more than one PRP list\n", len);
        nvme_io_unmap(cmd);
        rc = BLOCK_EINVAL;
    }
    return rc;
}

void nvme_io_unmap(struct nvme_cmd *cmd)
{
    struct block_request *req = cmd->req;

    if (req->op == BLOCK_FLUSH)
        return;
    if (cmd->bounce.size == 0) {
        dma_unmap(&cmd->map);
        return;
    }
    if (req->op == BLOCK_READ)
        memcpy(req->buf, cmd->bounce.va, (size_t)req->count * cmd->ns->bdev.block_size);
    dma_free(&cmd->bounce);
    cmd->bounce.size = 0;
}

static int build(struct nvme_cmd *cmd)
{
    struct block_request *req = cmd->req;
    struct nvme_sqe *e = &cmd->sqe;

    memset(e, 0, sizeof(*e));
    e->cid = cmd->cid;
    e->nsid = cmd->ns->nsid;
    if (req->op == BLOCK_FLUSH) {
        e->opcode = NVME_CMD_FLUSH;
        return 0;
    }
    if (req->op != BLOCK_READ && req->op != BLOCK_WRITE)
        return BLOCK_EINVAL;
    e->opcode = req->op == BLOCK_READ ? NVME_CMD_READ : NVME_CMD_WRITE;
    e->cdw10 = (uint32_t)req->hw_block;
    e->cdw11 = (uint32_t)(req->hw_block >> 32);
    e->cdw12 = req->count - 1;          /* NLB, 0-based */
    return map_data(cmd, (size_t)req->count * cmd->ns->bdev.block_size);
}

void nvme_io_issue_locked(struct nvme_cmd *cmd)
{
    struct nvme_queue *q = cmd->q;

    spin_assert_held(&q->lock);
    cmd->state = NVME_SLOT_ISSUED;
    callout_arm(&cmd->timeout, q->ctrl->io_timeout_ns);
    if (q->stopped)
        return;                         /* the reset's restart writes it */
    memcpy((void *)&q->sq[q->sq_tail], &cmd->sqe, sizeof(cmd->sqe));
    q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->size);
    q->stat_cmds++;
    nvme_doorbell(q->ctrl, q->sq_db, q->sq_tail);
}

static int nvme_io_start(struct block_device *dev, struct block_request *req)
{
    struct nvme_ns *ns = dev->driver_data;
    struct nvme_cmd *cmd;
    int rc;

    if (ns->ctrl->dead)
        return BLOCK_EIO;
    if (req->count > ns->bdev.max_blocks && req->op != BLOCK_FLUSH)
        return BLOCK_EINVAL;
    cmd = slot_for_cpu(ns->ctrl);
    if (!cmd)
        return BLOCK_ENOMEM;            /* more in flight than queue_depth: not the block layer's way */
    cmd->req = req;
    cmd->dev = dev;
    cmd->ns = ns;
    cmd->timed_out = 0;
    cmd->retried = 0;
    rc = build(cmd);
    if (rc != 0) {
        slot_give_back(cmd);
        return rc;
    }
    spin_lock(&cmd->q->lock);
    nvme_io_issue_locked(cmd);
    spin_unlock(&cmd->q->lock);
    return 0;
}

void nvme_io_finish(struct nvme_cmd *cmd, int status)
{
    struct block_request *req = cmd->req;
    struct block_device *dev = cmd->dev;

    callout_cancel_wait(&cmd->timeout);
    cmd->timed_out = 0;
    nvme_io_unmap(cmd);
    slot_give_back(cmd);
    block_complete(dev, req, status);
}

const struct block_ops nvme_block_ops = {
    .driver = "nvme",
    .start = nvme_io_start,
};
