/*
 * nvme_ctrl.c - an NVMe controller from PCI to a working admin queue: the
 * probe (class 01.08.02), CAP, the disable/enable handshake and admin
 * commands.
 *
 * Bring-up, in nvme_probe's order (NVMe 1.4, 7.6.1):
 *   1. memory decoding and bus mastering on, BAR0 mapped uncached;
 *   2. CAP read: MQES (largest ring), DSTRD (doorbell stride), TO (how long
 *      CSTS.RDY may take to follow CC.EN, in 500 ms units);
 *   3. nvme_ctrl_enable: CC.EN = 0 and wait until CSTS.RDY = 0; the admin
 *      rings (dma_alloc'd) into AQA/ASQ/ACQ; CC with the entry sizes and
 *      EN = 1, and wait until CSTS.RDY = 1. CSTS.CFS (fatal) stops it;
 *   4. Identify (nvme_identify.c), the I/O queues (nvme_queue.c), the
 *      namespaces as block devices.
 * The admin queue is polled: nvme_admin writes one command, rings the
 * doorbell and watches the completion ring's phase tag, under admin_lock,
 * with a deadline. Admin commands are rare (bring-up and resets), so no
 * interrupt or thread is spent on them.
 */
#include <string.h>

#include "arch.h"
#include "format.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/heap.h"
#include "nvme/nvme.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

static struct nvme_ctrl *ctrls, **ctrls_tail = &ctrls;
static unsigned nctrls;

struct nvme_ctrl *nvme_first(void)
{
    return ctrls;
}

uint32_t nvme_reg_read32(struct nvme_ctrl *c, unsigned off)
{
    return arch_mmio_read32(c->regs + off);
}

static void reg_write32(struct nvme_ctrl *c, unsigned off, uint32_t v)
{
    arch_mmio_write32(c->regs + off, v);
}

void nvme_doorbell(struct nvme_ctrl *c, volatile uint32_t *db, uint32_t value)
{
    (void)c;
    dma_wmb();                          /* the entries before the doorbell */
    arch_mmio_write32(db, value);
}

/* Wait until CSTS.RDY is `ready` (CAP.TO): 0, or -1 (timeout or fatal status). */
static int wait_ready(struct nvme_ctrl *c, uint32_t ready)
{
    uint64_t deadline = clock_ns() + c->ready_timeout_ns;

    for (;;) {
        uint32_t csts = nvme_reg_read32(c, NVME_REG_CSTS);

        if (csts == 0xFFFFFFFF || (csts & NVME_CSTS_CFS)) {
            printk(LOG_ERR, "nvme_ctrl_enable: %s: controller fatal status (CSTS 0x%x) waiting for RDY=%u\n",
                   c->name, csts, ready);
            return -1;
        }
        if ((csts & NVME_CSTS_RDY) == ready)
            return 0;
        if (clock_ns() > deadline) {
            printk(LOG_ERR, "nvme_ctrl_enable: %s: CSTS.RDY did not become %u within %llu ms (CAP.TO)\n",
                   c->name, ready, (unsigned long long)(c->ready_timeout_ns / NS_PER_MS));
            return -1;
        }
        sched_sleep_ns(NS_PER_MS);
    }
}

int nvme_ctrl_disable(struct nvme_ctrl *c)
{
    uint32_t cc = nvme_reg_read32(c, NVME_REG_CC);

    if (cc & NVME_CC_EN) {
        /* Clearing EN while RDY has not followed it yet is undefined (7.6.1). */
        if (wait_ready(c, NVME_CSTS_RDY) < 0)
            return -1;
        reg_write32(c, NVME_REG_CC, cc & ~NVME_CC_EN);
    }
    return wait_ready(c, 0);
}

/* The rings of q empty again: no entry, tail and head 0, phase 1. */
void nvme_queue_rings_reset(struct nvme_queue *q)
{
    memset((void *)q->sq, 0, q->size * sizeof(struct nvme_sqe));
    memset((void *)q->cq, 0, q->size * sizeof(struct nvme_cqe));
    q->sq_tail = q->cq_head = 0;
    q->phase = 1;
}

/* CC.EN = 0 seen: the admin queue's registers, CC, EN = 1, wait for RDY. */
static int admin_start(struct nvme_ctrl *c)
{
    struct nvme_queue *a = &c->admin;

    reg_write32(c, NVME_REG_AQA, (uint32_t)(a->size - 1) << 16 | (uint32_t)(a->size - 1));
    arch_mmio_write64(c->regs + NVME_REG_ASQ, a->sq_mem.bus);
    arch_mmio_write64(c->regs + NVME_REG_ACQ, a->cq_mem.bus);
    reg_write32(c, NVME_REG_CC, NVME_CC_CSS_NVM | NVME_CC_MPS_4K | NVME_CC_AMS_RR |
                NVME_CC_IOSQES | NVME_CC_IOCQES);
    reg_write32(c, NVME_REG_CC, nvme_reg_read32(c, NVME_REG_CC) | NVME_CC_EN);
    return wait_ready(c, NVME_CSTS_RDY);
}

/* Disable, the admin rings emptied and given, enable: under admin_lock, so no admin command is half-way. */
int nvme_ctrl_enable(struct nvme_ctrl *c)
{
    struct nvme_queue *a = &c->admin;
    int rc;

    mutex_lock(&c->admin_lock);
    rc = nvme_ctrl_disable(c);
    if (rc == 0) {
        nvme_queue_rings_reset(a);
        rc = admin_start(c);
    }
    mutex_unlock(&c->admin_lock);
    return rc;
}


/* Wait for the admin completion of `cid`: its status field, or -1 on timeout. */
static int admin_wait(struct nvme_ctrl *c, uint16_t cid, uint32_t *result)
{
    struct nvme_queue *a = &c->admin;
    uint64_t deadline = clock_ns() + NVME_ADMIN_TIMEOUT_MS * NS_PER_MS;

    for (;;) {
        volatile struct nvme_cqe *e = &a->cq[a->cq_head];

        if ((e->status & 1) == a->phase) {
            dma_rmb();
            uint16_t ecid = e->cid, st = e->status >> 1;

            if (result)
                *result = e->result;
            if (++a->cq_head == a->size) {
                a->cq_head = 0;
                a->phase ^= 1;
            }
            nvme_doorbell(c, a->cq_db, a->cq_head);
            if (ecid == cid)
                return st;
            continue;                   /* a late one from before a timeout */
        }
        if (clock_ns() > deadline)
            return -1;
        sched_yield();
    }
}

int nvme_admin(struct nvme_ctrl *c, struct nvme_sqe *cmd, uint32_t *result)
{
    struct nvme_queue *a = &c->admin;
    int st;

    mutex_lock(&c->admin_lock);
    cmd->cid = a->sq_tail;
    memcpy((void *)&a->sq[a->sq_tail], cmd, sizeof(*cmd));
    a->sq_tail = (uint16_t)((a->sq_tail + 1) % a->size);
    nvme_doorbell(c, a->sq_db, a->sq_tail);
    st = admin_wait(c, cmd->cid, result);
    mutex_unlock(&c->admin_lock);
    if (st != 0)
        printk(LOG_ERR, "nvme_admin: %s: opcode 0x%02x %s (status 0x%x)\n", c->name, cmd->opcode,
               st < 0 ? "timed out" : "failed", (unsigned)st);
    return st;
}

/* The admin rings and the doorbells' addresses. */
static int admin_queue_alloc(struct nvme_ctrl *c)
{
    struct nvme_queue *a = &c->admin;

    a->ctrl = c;
    a->qid = 0;
    a->size = NVME_ADMIN_SIZE;
    if (NVME_CAP_MQES(c->cap) + 1 < a->size)
        a->size = (uint16_t)(NVME_CAP_MQES(c->cap) + 1);
    if (dma_alloc(&a->sq_mem, a->size * sizeof(struct nvme_sqe), NVME_PAGE, DMA_LIMIT_64BIT, "nvme asq") < 0 ||
        dma_alloc(&a->cq_mem, a->size * sizeof(struct nvme_cqe), NVME_PAGE, DMA_LIMIT_64BIT, "nvme acq") < 0)
        return -1;
    a->sq = a->sq_mem.va;
    a->cq = a->cq_mem.va;
    a->sq_db = (volatile uint32_t *)(c->regs + NVME_REG_DOORBELLS);
    a->cq_db = (volatile uint32_t *)(c->regs + NVME_REG_DOORBELLS + c->stride);
    mutex_init(&c->admin_lock, "nvme admin");
    return 0;
}

/* CAP and what follows from it; nvme_timeout_ms=N from the command line. */
static int read_cap(struct nvme_ctrl *c)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t ms = NVME_IO_TIMEOUT_MS;

    c->cap = arch_mmio_read64(c->regs + NVME_REG_CAP);
    c->version = nvme_reg_read32(c, NVME_REG_VS);
    if (c->cap == ~0ULL || !NVME_CAP_CSS_NVM(c->cap) || NVME_CAP_MPSMIN(c->cap) != 0) {
        printk(LOG_ERR, "nvme_probe: %s: CAP 0x%llx: no NVM command set or no 4 KiB pages\n",
               c->name, (unsigned long long)c->cap);
        return -1;
    }
    c->stride = 4u << NVME_CAP_DSTRD(c->cap);
    c->ready_timeout_ns = (uint64_t)(NVME_CAP_TO(c->cap) ? NVME_CAP_TO(c->cap) : 1) * NVME_TO_UNIT_MS * NS_PER_MS;
    if (cmdline_number(cmdline, len, "nvme_timeout_ms", &ms) < 0 || ms == 0) {
        printk(LOG_WARN, "nvme_probe: nvme_timeout_ms= must be a number of ms: %u ms\n", NVME_IO_TIMEOUT_MS);
        ms = NVME_IO_TIMEOUT_MS;
    }
    c->io_timeout_ns = ms * NS_PER_MS;
    return 0;
}

static struct nvme_ctrl *ctrl_new(struct pci_dev *dev)
{
    struct nvme_ctrl *c = kmalloc(sizeof(*c));

    if (!c)
        return 0;
    memset(c, 0, sizeof(*c));
    c->pci = dev;
    c->index = nctrls;
    format_snprintf(c->name, sizeof(c->name), "nvme%u", c->index);
    mutex_init(&c->reset_lock, "nvme reset");
    return c;
}

static int nvme_probe(struct pci_dev *dev, const struct pci_match *match)
{
    struct nvme_ctrl *c = ctrl_new(dev);

    (void)match;
    if (!c)
        return -1;
    pci_enable(dev, PCI_ENABLE_MEM | PCI_ENABLE_MASTER);
    c->regs = (volatile uint8_t *)pci_map_bar(dev, 0, 0);
    if (!c->regs) {
        printk(LOG_ERR, "nvme_probe: %s: BAR0 not mapped\n", c->name);
        kfree(c);
        return -1;
    }
    if (read_cap(c) < 0 || admin_queue_alloc(c) < 0 || nvme_ctrl_enable(c) < 0 ||
        nvme_identify_controller(c) < 0 || nvme_queues_setup(c) < 0) {
        printk(LOG_ERR, "nvme_probe: %s: bring-up failed; controller left alone\n", c->name);
        nvme_ctrl_disable(c);
        return -1;                      /* its memory stays: the device may still write it */
    }
    dev->driver_data = c;
    nctrls++;
    *ctrls_tail = c;
    ctrls_tail = &c->next;
    nvme_identify_namespaces(c);
    return 0;
}

/* NVM Express I/O controllers: mass storage, non-volatile memory, NVMe. */
static const struct pci_match nvme_matches[] = {
    PCI_MATCH_CLASS(0x01, 0x08, 0x02, 0),
    { 0, 0, 0, 0, 0, 0 },
};

static const struct pci_driver nvme_driver = {
    .name = "nvme",
    .matches = nvme_matches,
    .probe = nvme_probe,
};
PCI_DRIVER(nvme_driver);
