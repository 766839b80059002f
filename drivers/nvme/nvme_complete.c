/*
 * nvme_complete.c - the way back: each I/O queue's interrupt, its
 * completion thread, the phase tag, errors and timeouts.
 *
 * The controller writes a 16-byte entry at the completion ring's head and
 * interrupts. An entry is new when its phase tag (bit 0 of the status
 * word) equals the phase the driver expects: 1 on the first pass over the
 * ring, 0 on the second, and so on (the driver flips its expected phase
 * each time its head wraps), so the ring needs no "valid" bit to clear
 * (NVMe 1.4, 4.6). After taking entries the thread writes the new head to
 * the ring's head doorbell: the controller may reuse those slots.
 *
 * nvme_complete_irq (interrupt context) only wakes the queue's thread
 * (sem_up); with INTx, a level-triggered line, it first masks the
 * controller's interrupt (INTMS) and the thread unmasks it (INTMC) when the
 * ring is empty. nvme_complete_thread takes entries under q->lock (a batch
 * at a time), then finishes each outside it: a status other than success is
 * reported with the namespace, the operation, its first sector (logical
 * block of the namespace) and the status code, and the request completes
 * with BLOCK_EIO. Each issued command has a callout (its timeout, armed in
 * nvme_io_issue_locked): nvme_complete_timeout marks it and wakes the
 * thread, which hands the controller to nvme_recover (nvme_recover.c).
 */
#include "arch.h"
#include "mutant.h"
#include "nvme/nvme.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define REAP_BATCH  16

void nvme_complete_irq(void *arg)
{
    struct nvme_queue *q = arg;

    if (q->ctrl->irq_kind == PCI_IRQ_INTX)
        arch_mmio_write32(q->ctrl->regs + NVME_REG_INTMS, 1u << q->vector);
    q->stat_irqs++;
    if (q->cpu >= 0 && sched_cpu_id() != q->cpu)
        q->stat_irqs_elsewhere++;
    sem_up(&q->wake);
}

void nvme_complete_timeout(void *arg)
{
    struct nvme_cmd *cmd = arg;

    cmd->timed_out = 1;
    cmd->q->timeouts = 1;
    sem_up(&cmd->q->wake);
}

static const char *status_name(unsigned sct, unsigned sc)
{
    static const struct { uint8_t sct, sc; const char *name; } names[] = {
        { NVME_SCT_GENERIC, 0x01, "invalid opcode" },
        { NVME_SCT_GENERIC, 0x02, "invalid field" },
        { NVME_SCT_GENERIC, 0x04, "data transfer error" },
        { NVME_SCT_GENERIC, 0x06, "internal error" },
        { NVME_SCT_GENERIC, 0x07, "aborted" },
        { NVME_SCT_GENERIC, 0x0B, "invalid namespace" },
        { NVME_SCT_GENERIC, 0x80, "LBA out of range" },
        { NVME_SCT_MEDIA, 0x80, "write fault" },
        { NVME_SCT_MEDIA, 0x81, "unrecovered read error" },
        { NVME_SCT_MEDIA, 0x86, "access denied" },
    };

    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].sct == sct && names[i].sc == sc)
            return names[i].name;
    return "see the specification";
}

static const char *op_name(const struct nvme_cmd *cmd)
{
    static const char *const ops[] = { "read", "write", "flush" };

    return cmd->req->op <= BLOCK_FLUSH ? ops[cmd->req->op] : "?";
}

void nvme_report_error(struct nvme_cmd *cmd, unsigned status)
{
    unsigned sct = NVME_STATUS_SCT(status), sc = NVME_STATUS_SC(status);

    printk(LOG_ERR, "nvme_report_error: %s: %s of %u blocks at sector %llu failed: status 0x%03x (type %u, code 0x%02x: %s)\n",
           cmd->ns->bdev.name, op_name(cmd), (unsigned)cmd->req->count,
           (unsigned long long)cmd->req->hw_block, status & 0x7FF, sct, sc, status_name(sct, sc));
}

void nvme_report_timeout(struct nvme_cmd *cmd, const char *what)
{
    printk(LOG_ERR, "nvme_report_timeout: %s: %s of %u blocks at sector %llu timed out after %llu ms (queue %u, command %u): %s\n",
           cmd->ns->bdev.name, op_name(cmd), (unsigned)cmd->req->count, (unsigned long long)cmd->req->hw_block,
           (unsigned long long)(cmd->q->ctrl->io_timeout_ns / NS_PER_MS), cmd->q->qid, cmd->cid, what);
}

/* Up to REAP_BATCH new entries off the ring, their slots marked DONE. */
static unsigned take(struct nvme_queue *q, struct nvme_cmd **done, uint16_t *status)
{
    unsigned n = 0;
    uint16_t head0;

    spin_lock(&q->lock);
    head0 = q->cq_head;
    while (!q->stopped && n < REAP_BATCH) {
        volatile struct nvme_cqe *e = &q->cq[q->cq_head];
        uint16_t cid;

        if ((e->status & 1) != q->phase)
            break;
        dma_rmb();                      /* the entry after its phase tag */
        cid = e->cid;
        status[n] = MUTANT_ENABLED(nvme_status) ? 0 : e->status >> 1;
        if (++q->cq_head == q->size) {
            q->cq_head = 0;
            q->phase ^= 1;
        }
        if (cid >= q->size - 1u || q->cmds[cid].state != NVME_SLOT_ISSUED) {
            printk(LOG_ERR, "nvme_complete_thread: %s queue %u: completion for command %u, not issued: dropped\n",
                   q->ctrl->name, q->qid, cid);
            continue;
        }
        q->cmds[cid].state = NVME_SLOT_DONE;
        done[n++] = &q->cmds[cid];
        q->stat_completions++;
    }
    if (q->cq_head != head0 || n > 0)
        nvme_doorbell(q->ctrl, q->cq_db, q->cq_head);
    spin_unlock(&q->lock);
    return n;
}

static void reap(struct nvme_queue *q)
{
    struct nvme_cmd *done[REAP_BATCH];
    uint16_t status[REAP_BATCH];
    unsigned n;

    do {
        n = take(q, done, status);
        for (unsigned i = 0; i < n; i++) {
            if (status[i] != 0)
                nvme_report_error(done[i], status[i]);
            nvme_io_finish(done[i], status[i] == 0 ? 0 : BLOCK_EIO);
        }
    } while (n == REAP_BATCH);
}

void nvme_complete_thread(void *arg)
{
    struct nvme_queue *q = arg;

    for (;;) {
        sem_down(&q->wake);
        q->stat_wakes++;
        reap(q);
        if (q->timeouts) {
            q->timeouts = 0;
            nvme_recover(q->ctrl);
        }
        if (q->ctrl->irq_kind == PCI_IRQ_INTX)
            arch_mmio_write32(q->ctrl->regs + NVME_REG_INTMC, 1u << q->vector);
    }
}
