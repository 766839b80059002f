/*
 * nvme_queue.c - the I/O queue pairs: how many, their memory, their
 * interrupts, their threads, and which CPU uses which.
 *
 * One pair per CPU is asked for with Set Features, Number of Queues (NVMe
 * 1.4 5.21.1.7); the controller grants up to what it has. Then as many
 * interrupt vectors (pci_irq_setup: MSI-X, spread one per CPU; MSI or INTx
 * give one vector, so one pair). Pair q (qid q, 1-based) has vector q-1 and
 * its completion thread pinned to that vector's CPU; the admin queue's
 * completions also signal vector 0 (it is polled: the wake-up is a spare
 * one). A CPU uses the pair whose vector is its own, else pairs round-robin
 * by CPU number (fewer pairs than CPUs):
 *
 *     CPU 0 --> SQ 1 ==> controller ==> CQ 1 --vector 0--> CPU 0's thread
 *     CPU 1 --> SQ 2 ==> controller ==> CQ 2 --vector 1--> CPU 1's thread
 *
 * Each pair: both rings of `size` entries and a 256-byte PRP list per slot,
 * all dma_alloc'd once; size - 1 command slots (a ring of `size` holds at
 * most size - 1 entries). A pair is created on the controller with Create
 * I/O Completion Queue then Create I/O Submission Queue, again after every
 * reset (nvme_queues_create).
 */
#include <string.h>

#include "format.h"
#include "mm/heap.h"
#include "mutant.h"
#include "nvme/nvme.h"
#include "nvme/nvme_prp.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"

/* Set Features, Number of Queues: the pairs granted (>= 1), or 0. */
static unsigned ask_queues(struct nvme_ctrl *c, unsigned want)
{
    struct nvme_sqe cmd = { 0 };
    uint32_t got = 0, sq, cq;

    cmd.opcode = NVME_ADMIN_SET_FEATURES;
    cmd.cdw10 = NVME_FEAT_NUM_QUEUES;
    cmd.cdw11 = (want - 1) | (want - 1) << 16;
    if (nvme_admin(c, &cmd, &got) != 0)
        return 0;
    sq = (got & 0xFFFF) + 1;
    cq = (got >> 16) + 1;
    return sq < cq ? sq : cq;
}

static int slots_alloc(struct nvme_queue *q)
{
    unsigned n = q->size - 1u;

    q->cmds = kmalloc(n * sizeof(*q->cmds));
    q->free_cids = kmalloc(n * sizeof(*q->free_cids));
    if (!q->cmds || !q->free_cids ||
        dma_alloc(&q->prp_mem, n * NVME_PRP_LIST_ENTRIES * 8, NVME_PAGE, DMA_LIMIT_64BIT, "nvme prp") < 0)
        return -1;
    memset(q->cmds, 0, n * sizeof(*q->cmds));
    for (unsigned i = 0; i < n; i++) {
        struct nvme_cmd *cmd = &q->cmds[i];

        cmd->q = q;
        cmd->cid = (uint16_t)i;
        cmd->prp_list = (uint64_t *)q->prp_mem.va + i * NVME_PRP_LIST_ENTRIES;
        cmd->prp_list_bus = q->prp_mem.bus + i * NVME_PRP_LIST_ENTRIES * 8;
        callout_init(&cmd->timeout, nvme_complete_timeout, cmd);
        q->free_cids[i] = (uint16_t)(n - 1 - i);
    }
    q->nfree = n;
    return 0;
}

static struct nvme_queue *queue_alloc(struct nvme_ctrl *c, uint16_t qid, unsigned vector)
{
    struct nvme_queue *q = kmalloc(sizeof(*q));

    if (!q)
        return 0;
    memset(q, 0, sizeof(*q));
    q->ctrl = c;
    q->qid = qid;
    q->vector = vector;
    q->size = NVME_IO_SIZE;
    if (NVME_CAP_MQES(c->cap) + 1 < q->size)
        q->size = (uint16_t)(NVME_CAP_MQES(c->cap) + 1);
    if (dma_alloc(&q->sq_mem, q->size * sizeof(struct nvme_sqe), NVME_PAGE, DMA_LIMIT_64BIT, "nvme sq") < 0 ||
        dma_alloc(&q->cq_mem, q->size * sizeof(struct nvme_cqe), NVME_PAGE, DMA_LIMIT_64BIT, "nvme cq") < 0 ||
        slots_alloc(q) < 0) {
        printk(LOG_ERR, "nvme_queues_setup: %s: no memory for queue %u\n", c->name, qid);
        return 0;                       /* what was taken stays: bring-up is failing anyway */
    }
    q->sq = q->sq_mem.va;
    q->cq = q->cq_mem.va;
    q->sq_db = (volatile uint32_t *)(c->regs + NVME_REG_DOORBELLS + (2u * qid) * c->stride);
    q->cq_db = (volatile uint32_t *)(c->regs + NVME_REG_DOORBELLS + (2u * qid + 1) * c->stride);
    q->phase = 1;
    spin_init(&q->lock, "nvme queue");
    sem_init(&q->wake, 0, "nvme completions");
    return q;
}

/* Create I/O CQ then SQ for q on the controller: 0, or -1. */
static int queue_create(struct nvme_queue *q)
{
    struct nvme_sqe cmd = { 0 };

    cmd.opcode = NVME_ADMIN_CREATE_CQ;
    cmd.prp1 = q->cq_mem.bus;
    cmd.cdw10 = q->qid | (uint32_t)(q->size - 1) << 16;
    cmd.cdw11 = NVME_QUEUE_CONTIG | NVME_CQ_IRQ_ENABLED | q->vector << 16;
    if (nvme_admin(q->ctrl, &cmd, 0) != 0)
        return -1;
    memset(&cmd, 0, sizeof(cmd));
    cmd.opcode = NVME_ADMIN_CREATE_SQ;
    cmd.prp1 = q->sq_mem.bus;
    cmd.cdw10 = q->qid | (uint32_t)(q->size - 1) << 16;
    cmd.cdw11 = NVME_QUEUE_CONTIG | (uint32_t)q->qid << 16;
    return nvme_admin(q->ctrl, &cmd, 0) == 0 ? 0 : -1;
}

/* After a reset: the same number of pairs asked for, each created again. */
int nvme_queues_create(struct nvme_ctrl *c)
{
    if (ask_queues(c, c->nq) < c->nq)
        return -1;
    for (unsigned i = 0; i < c->nq; i++)
        if (queue_create(c->io[i]) < 0)
            return -1;
    return 0;
}

/* Each CPU's pair: the one whose vector it takes, else round-robin. */
static void map_cpus(struct nvme_ctrl *c)
{
    unsigned ncpu = sched_cpus();

    for (unsigned cpu = 0; cpu < NVME_MAX_CPUS; cpu++)
        c->cpu_queue[cpu] = (uint8_t)(cpu % c->nq);
    if (MUTANT_ENABLED(nvme_queue_map)) {
        memset(c->cpu_queue, 0, sizeof(c->cpu_queue));
        return;                         /* one pair shared by every CPU */
    }
    for (unsigned i = 0; i < c->nq; i++)
        if (c->io[i]->cpu >= 0 && (unsigned)c->io[i]->cpu < ncpu)
            c->cpu_queue[c->io[i]->cpu] = (uint8_t)i;
}

struct nvme_queue *nvme_queue_of_cpu(struct nvme_ctrl *c, int cpu)
{
    return c->io[c->cpu_queue[(unsigned)cpu % NVME_MAX_CPUS]];
}

/* Pair i's interrupt and completion thread. */
static int queue_start(struct nvme_ctrl *c, struct nvme_queue *q)
{
    char name[THREAD_NAME_MAX];

    if (pci_irq_request(c->pci, q->vector, nvme_complete_irq, q) < 0)
        return -1;
    q->cpu = pci_irq_cpu(c->pci, q->vector);
    format_snprintf(name, sizeof(name), "%sq%u", c->name, q->qid);
    q->thread = thread_create_on(name, nvme_complete_thread, q, SCHED_PRIO_MAX,
                                 q->cpu >= 0 && c->irq_kind == PCI_IRQ_MSIX ? q->cpu : THREAD_ANY_CPU);
    return q->thread ? 0 : -1;
}

/* How many pairs: CPUs, capped; then what the controller and the vectors allow. */
static unsigned count_queues(struct nvme_ctrl *c)
{
    unsigned want = sched_cpus(), granted;
    int vectors;

    if (want > NVME_MAX_IO_QUEUES)
        want = NVME_MAX_IO_QUEUES;
    granted = ask_queues(c, want);
    if (granted == 0)
        return 0;
    if (granted < want)
        want = granted;
    vectors = pci_irq_setup(c->pci, 1, want, PCI_IRQ_ALL);
    if (vectors < 1) {
        printk(LOG_ERR, "nvme_queues_setup: %s: no interrupt (%d)\n", c->name, vectors);
        return 0;
    }
    c->irq_kind = c->pci->irq_kind;
    return (unsigned)vectors < want ? (unsigned)vectors : want;
}

int nvme_queues_setup(struct nvme_ctrl *c)
{
    unsigned n = count_queues(c);

    for (unsigned i = 0; i < n; i++) {
        struct nvme_queue *q = queue_alloc(c, (uint16_t)(i + 1), i);

        if (!q)
            return -1;
        c->io[c->nq++] = q;
        if (queue_create(q) < 0 || queue_start(c, q) < 0)
            return -1;
    }
    if (c->nq == 0)
        return -1;
    map_cpus(c);
    printk(LOG_INFO, "[nvme] %s: %u I/O queue pairs of %u entries, %s, %u CPUs\n", c->name, c->nq,
           c->io[0]->size, c->irq_kind == PCI_IRQ_MSIX ? "MSI-X" : c->irq_kind == PCI_IRQ_MSI ? "MSI" : "INTx",
           sched_cpus());
    return 0;
}
