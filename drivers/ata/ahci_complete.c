/*
 * ahci_complete.c - how a command's end reaches the block layer: the
 * HBA's interrupt, each command's timeout, and a completion thread per
 * port (AHCI 1.3.1 sections 5.6 and 10.7).
 *
 * The interrupt handler (ahci_irq, one vector for the whole HBA: MSI or
 * the INTx line, which another device may share) reads the HBA's IS, and
 * for each port it names clears PxIS (then IS: AHCI 10.7.2's order), ORs
 * what it saw into the port's irq_status and wakes the port's thread. A
 * command's callout (armed by ahci_cmd.c's ring) ORs its slot into
 * timed_out and wakes it too. Neither takes a lock nor touches a request.
 *
 * The thread (ahci_port_thread) does the rest, in this order:
 *   1. reap: a slot is done when the HBA was told of it and neither PxCI
 *      nor PxSACT holds its bit any more (a non-queued command clears
 *      PxCI when it ends; a queued one clears PxCI when sent and PxSACT
 *      when the device's set device bits FIS says it ended): its callout
 *      cancelled, its buffer unmapped, the slot freed, block_complete;
 *   2. errors: an error bit in PxIS, or PxTFD.STS.ERR with commands still
 *      out (QEMU reports a failed NCQ command only that way), or a slot
 *      past its deadline: ahci_recover (ahci_recover.c);
 *   3. kick: waiting requests go into the slots just freed.
 * A stale timeout (the command ended as its callout fired, or the slot
 * was reused) is ignored: only a slot still issued and past its deadline
 * counts.
 */
#include "ata/ahci.h"
#include "format.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "timer/clock.h"

void ahci_irq(void *ctx)
{
    struct ahci_hba *hba = ctx;
    uint32_t is = ahci_read(hba->abar, AHCI_IS);

    if (!is)
        return;                         /* a shared line: not ours */
    for (unsigned i = 0; i < AHCI_MAX_PORTS; i++) {
        struct ahci_port *p;
        uint32_t pis;

        if (!(is & (1u << i)))
            continue;
        p = hba->port[i];
        pis = ahci_read(hba->abar + AHCI_PORT_BASE(i), AHCI_PxIS);
        if (pis & AHCI_PxIS_ERRORS)     /* UFS and the interface errors clear through SERR */
            ahci_write(hba->abar + AHCI_PORT_BASE(i), AHCI_PxSERR, 0xFFFFFFFF);
        ahci_write(hba->abar + AHCI_PORT_BASE(i), AHCI_PxIS, pis);
        if ((pis & AHCI_PxIS_SDBS) &&   /* a failed NCQ command: ERR in the SDB FIS, no TFES */
            (AHCI_PxTFD_STS(ahci_read(hba->abar + AHCI_PORT_BASE(i), AHCI_PxTFD)) & ATA_STS_ERR))
            pis |= AHCI_PxIS_TFES;
        if (p) {
            __atomic_fetch_or(&p->irq_status, pis, __ATOMIC_RELEASE);
            sem_up(&p->wake);
        }
    }
    ahci_write(hba->abar, AHCI_IS, is);
}

/* A slot's callout: its command took too long (or just ended: the thread checks). */
static void slot_timeout(void *arg)
{
    struct ahci_slot *sl = arg;

    __atomic_fetch_or(&sl->port->timed_out, 1u << sl->index, __ATOMIC_RELEASE);
    sem_up(&sl->port->wake);
}

void ahci_timeout_init(struct ahci_port *p)
{
    for (unsigned s = 0; s < AHCI_SLOTS; s++) {
        p->slot[s].port = p;
        p->slot[s].index = s;
        callout_init(&p->slot[s].timeout, slot_timeout, &p->slot[s]);
    }
}

/* Slots that ended: issued, and their bits gone from PxCI and PxSACT. Taken off `issued`. */
static uint32_t take_done(struct ahci_port *p)
{
    uint32_t done;

    spin_lock(&p->lock);
    done = p->issued & ~(ahci_read(p->regs, AHCI_PxCI) | ahci_read(p->regs, AHCI_PxSACT) |
                         p->test_lost);
    p->issued &= ~done;
    spin_unlock(&p->lock);
    dma_rmb();
    return done;
}

/* One ended slot's request back to the block layer with status. */
static void finish_slot(struct ahci_port *p, unsigned s, int status)
{
    struct ahci_slot *sl = &p->slot[s];
    struct block_request *req = sl->req;

    callout_cancel(&sl->timeout);
    if (req->op != BLOCK_FLUSH)
        dma_unmap(&sl->map);
    ahci_slot_release(p, s);
    block_complete(&p->bdev, req, status);
}

/* Slots issued and past their deadline, of those whose callout fired. */
static uint32_t real_timeouts(struct ahci_port *p, uint32_t fired)
{
    uint64_t now = clock_ns();
    uint32_t late = 0;

    spin_lock(&p->lock);
    for (unsigned s = 0; s < AHCI_SLOTS; s++)
        if ((fired & p->issued & (1u << s)) && now >= p->slot[s].deadline_ns)
            late |= 1u << s;
    spin_unlock(&p->lock);
    return late;
}

static int error_seen(struct ahci_port *p, uint32_t is, uint32_t *tfd)
{
    int out;

    *tfd = ahci_read(p->regs, AHCI_PxTFD);
    spin_lock(&p->lock);
    out = p->issued != 0;
    spin_unlock(&p->lock);
    return (is & AHCI_PxIS_ERRORS) || (out && (AHCI_PxTFD_STS(*tfd) & ATA_STS_ERR));
}

static void port_service(struct ahci_port *p, uint32_t is, uint32_t fired)
{
    uint32_t done = take_done(p), late, tfd;

    for (unsigned s = 0; done; s++, done >>= 1)
        if (done & 1)
            finish_slot(p, s, 0);
    late = fired ? real_timeouts(p, fired) : 0;
    if (error_seen(p, is, &tfd) || late)
        ahci_recover(p, tfd, is, late);
    ahci_kick(p);
}

static void ahci_port_thread(void *arg)
{
    struct ahci_port *p = arg;

    for (;;) {
        sem_down(&p->wake);
        port_service(p, __atomic_exchange_n(&p->irq_status, 0, __ATOMIC_ACQUIRE),
                     __atomic_exchange_n(&p->timed_out, 0, __ATOMIC_ACQUIRE));
    }
}

/* The port's thread started and its interrupts on: 0, or -1 (no thread). */
int ahci_complete_start(struct ahci_port *p)
{
    char name[THREAD_NAME_MAX];

    format_snprintf(name, sizeof name, "ahci%u", p->index);
    p->thread = thread_create(name, ahci_port_thread, p, SCHED_PRIO_MAX);
    if (!p->thread)
        return -1;
    ahci_write(p->regs, AHCI_PxIS, 0xFFFFFFFF);
    ahci_write(p->regs, AHCI_PxIE, AHCI_PxIS_DONE | AHCI_PxIS_ERRORS);
    return 0;
}
