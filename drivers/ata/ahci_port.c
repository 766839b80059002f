/*
 * ahci_port.c - one AHCI port's engines (AHCI 1.3.1 sections 10.1 and
 * 10.4): its memory, stopping and starting its command list, the
 * COMRESET that resets the link and the device, and commands run by
 * polling (IDENTIFY, before the port's interrupt is on).
 *
 * A port's two engines: FIS receive (PxCMD.FRE, running while PxCMD.FR)
 * and the command list (PxCMD.ST, running while PxCMD.CR). The rules:
 *   - PxCLB and PxFB may change only with both engines stopped (the
 *     firmware left them pointing at its own memory, which the kernel has
 *     since taken back: ahci_port_init stops them before anything else);
 *   - ST may be set only with FRE set, and only once the device is not
 *     busy (PxTFD.STS.BSY and DRQ clear), AHCI 10.3.1;
 *   - a COMRESET (PxSCTL.DET = 1, at least 1 ms, then 0) is sent with ST
 *     clear; the device answers with a register FIS, which puts its
 *     signature in PxSIG.
 * Everything here runs in a thread and may sleep (it polls with 1 ms
 * sleeps): the probe, and the completion thread's recovery.
 */
#include <string.h>

#include "ata/ahci.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

/* Poll until (reg & mask) == want, sleeping 1 ms between reads: 0, or -1 after ms. */
static int port_wait(struct ahci_port *p, unsigned reg, uint32_t mask, uint32_t want, uint64_t ms)
{
    uint64_t end = clock_ns() + ms * NS_PER_MS;

    for (;;) {
        if ((ahci_read(p->regs, reg) & mask) == want)
            return 0;
        if (clock_ns() >= end)
            return -1;
        sched_sleep_ns(NS_PER_MS);
    }
}

/* Both engines stopped (AHCI 10.1.2); a port that will not stop is reported. */
void ahci_port_stop(struct ahci_port *p)
{
    uint32_t cmd = ahci_read(p->regs, AHCI_PxCMD);

    ahci_write(p->regs, AHCI_PxCMD, cmd & ~AHCI_PxCMD_ST);
    if (port_wait(p, AHCI_PxCMD, AHCI_PxCMD_CR, 0, AHCI_ENGINE_TIMEOUT_MS) != 0)
        printk(LOG_WARN, "[ahci] port %u: command list did not stop (PxCMD 0x%x)\n", p->index,
               ahci_read(p->regs, AHCI_PxCMD));
    cmd = ahci_read(p->regs, AHCI_PxCMD);
    ahci_write(p->regs, AHCI_PxCMD, cmd & ~AHCI_PxCMD_FRE);
    if (port_wait(p, AHCI_PxCMD, AHCI_PxCMD_FR, 0, AHCI_ENGINE_TIMEOUT_MS) != 0)
        printk(LOG_WARN, "[ahci] port %u: FIS receive did not stop (PxCMD 0x%x)\n", p->index,
               ahci_read(p->regs, AHCI_PxCMD));
}

/* The list and FIS bases, and each slot's command table, told to the HBA. */
static void port_program_memory(struct ahci_port *p)
{
    uint64_t clb = p->mem.bus + AHCI_MEM_CLB, fb = p->mem.bus + AHCI_MEM_FB;

    for (unsigned s = 0; s < AHCI_SLOTS; s++)
        p->list[s].ctba = p->mem.bus + AHCI_MEM_CTBA + s * AHCI_CMD_TABLE_SIZE;
    ahci_write(p->regs, AHCI_PxCLB, (uint32_t)clb);
    ahci_write(p->regs, AHCI_PxCLBU, (uint32_t)(clb >> 32));
    ahci_write(p->regs, AHCI_PxFB, (uint32_t)fb);
    ahci_write(p->regs, AHCI_PxFBU, (uint32_t)(fb >> 32));
}

/*
 * The wait after COMRESET, one poll at a time (so the probe can wait for
 * every port at once): 1 once PxSSTS.DET says a device and phy
 * communication (3); -1 when it has said nothing is there (0) for
 * AHCI_EMPTY_MS (a device shows itself within 10 ms: SATA's COMINIT), or
 * no link came within AHCI_LINK_TIMEOUT_MS; 0 while still waiting (the
 * caller sleeps 1 ms and asks again). So an empty port costs
 * milliseconds, not a second.
 */
int ahci_port_link_poll(struct ahci_port *p, struct ahci_link_wait *w)
{
    uint32_t det = AHCI_SSTS_DET(ahci_read(p->regs, AHCI_PxSSTS));
    uint64_t now = clock_ns();

    if (det == AHCI_SSTS_DET_PHY)
        return 1;
    if (det != 0)
        w->empty_since = now;
    if (now - w->empty_since >= AHCI_EMPTY_MS * NS_PER_MS ||
        now - w->start >= AHCI_LINK_TIMEOUT_MS * NS_PER_MS)
        return -1;
    return 0;
}

/*
 * COMRESET (AHCI 10.4.2) in three steps, so the probe can reset every port
 * together and wait once: begin (engines stopped, FIS receive on so the
 * device's first register FIS lands in our area, PxSCTL.DET = 1), end
 * (held at least 1 ms: DET = 0; the link wait starts), and link_up once
 * the link came (the reset's own error and interrupt bits cleared).
 */
void ahci_port_comreset_begin(struct ahci_port *p)
{
    uint32_t cmd;

    ahci_port_stop(p);
    cmd = ahci_read(p->regs, AHCI_PxCMD);
    if (p->hba->cap & AHCI_CAP_SSS)
        cmd |= AHCI_PxCMD_SUD | AHCI_PxCMD_POD;
    ahci_write(p->regs, AHCI_PxCMD, cmd | AHCI_PxCMD_FRE);
    ahci_write(p->regs, AHCI_PxSCTL, AHCI_SCTL_IPM_NONE | AHCI_SCTL_DET_INIT);
}

void ahci_port_comreset_end(struct ahci_port *p, struct ahci_link_wait *w)
{
    ahci_write(p->regs, AHCI_PxSCTL, AHCI_SCTL_IPM_NONE);
    w->start = w->empty_since = clock_ns();
}

void ahci_port_link_up(struct ahci_port *p)
{
    ahci_write(p->regs, AHCI_PxSERR, 0xFFFFFFFF);
    ahci_write(p->regs, AHCI_PxIS, 0xFFFFFFFF);
    p->stat_resets++;
}

/* One port's COMRESET (recovery): 0 when a device answered (PxSSTS.DET = 3), -1 when empty. */
int ahci_port_reset(struct ahci_port *p)
{
    struct ahci_link_wait w;
    int r;

    ahci_port_comreset_begin(p);
    sched_sleep_ns(AHCI_COMRESET_NS);
    ahci_port_comreset_end(p, &w);
    while ((r = ahci_port_link_poll(p, &w)) == 0)
        sched_sleep_ns(NS_PER_MS);
    if (r < 0)
        return -1;
    ahci_port_link_up(p);
    return 0;
}

/* The command list started once the device is ready: 0, or -1 (still busy). */
int ahci_port_start(struct ahci_port *p)
{
    uint32_t cmd;

    if (port_wait(p, AHCI_PxTFD, ATA_STS_BSY | ATA_STS_DRQ, 0, AHCI_BUSY_TIMEOUT_MS) != 0) {
        printk(LOG_WARN, "[ahci] port %u: device still busy after reset (PxTFD 0x%x)\n",
               p->index, ahci_read(p->regs, AHCI_PxTFD));
        return -1;
    }
    cmd = ahci_read(p->regs, AHCI_PxCMD);
    ahci_write(p->regs, AHCI_PxCMD, cmd | AHCI_PxCMD_FRE | AHCI_PxCMD_ST);
    return 0;
}

/*
 * The port's memory (layout in ahci.h), the engines stopped and pointed
 * at it (the probe's COMRESET and start come next): 0, or -1 out of
 * memory.
 */
int ahci_port_prepare(struct ahci_port *p)
{
    if (dma_alloc(&p->mem, AHCI_MEM_SIZE, 4096, p->hba->dma_limit, "ahci port") != 0) {
        printk(LOG_ERR, "ahci_port_prepare: port %u: no DMA memory for its command list\n",
               p->index);
        return -1;
    }
    p->list = (struct ahci_cmd_header *)((uint8_t *)p->mem.va + AHCI_MEM_CLB);
    p->tables = (struct ahci_cmd_table *)((uint8_t *)p->mem.va + AHCI_MEM_CTBA);
    ahci_write(p->regs, AHCI_PxIE, 0);
    ahci_port_stop(p);
    port_program_memory(p);
    return 0;
}

/* A prepared port given up (empty, or failed): engines stopped, memory given back. */
void ahci_port_release(struct ahci_port *p)
{
    ahci_port_stop(p);
    dma_free(&p->mem);
}

/* Slot 0's end: 0 done, -1 a task-file error (PxCI stays set then), -2 no end in time. */
static int polled_wait(struct ahci_port *p)
{
    uint64_t end = clock_ns() + AHCI_CMD_TIMEOUT_MS * NS_PER_MS;

    for (;;) {
        if (ahci_read(p->regs, AHCI_PxIS) & AHCI_PxIS_TFES)
            return -1;
        if (!(ahci_read(p->regs, AHCI_PxCI) & 1))
            return (AHCI_PxTFD_STS(ahci_read(p->regs, AHCI_PxTFD)) & ATA_STS_ERR) ? -1 : 0;
        if (clock_ns() >= end)
            return -2;
        sched_sleep_ns(NS_PER_MS);
    }
}

/*
 * Run one command in slot 0 and poll for its end (the port's interrupt is
 * off, nothing else in flight): 0, -1 on a task-file error, -2 when it
 * did not finish in AHCI_CMD_TIMEOUT_MS. *tfd gets PxTFD at the end.
 */
int ahci_port_exec_polled(struct ahci_port *p, const struct ahci_fis_h2d *fis, void *buf,
                          uint32_t len, uint32_t *tfd)
{
    struct dma_map *map = &p->slot[0].map;
    int rc;

    if (dma_map(map, buf, len, DMA_FROM_DEVICE, p->hba->dma_limit, AHCI_PRD_MAX) != 0)
        return -1;
    if (ahci_cmd_prepare(p, 0, fis, map, 0) != 0) {
        dma_unmap(map);
        return -1;
    }
    ahci_write(p->regs, AHCI_PxIS, 0xFFFFFFFF);
    dma_wmb();
    ahci_write(p->regs, AHCI_PxCI, 1);
    rc = polled_wait(p);
    *tfd = ahci_read(p->regs, AHCI_PxTFD);
    dma_rmb();
    dma_unmap(map);
    return rc;
}
