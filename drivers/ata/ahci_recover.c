/*
 * ahci_recover.c - what the completion thread does when a port reports an
 * error or a command outlives its timeout (AHCI 1.3.1 section 6.2.2,
 * simplified to one path): reset the port, then retry or fail each
 * command that was out.
 *
 * ahci_recover, in the port's completion thread (it may sleep):
 *   1. recovering = 1: ahci_kick issues nothing more; wait for the slots
 *      already reserved to be rung (issuing == 0); every busy slot is now
 *      "out";
 *   2. the port reset: engines stopped, COMRESET, PxSERR and PxIS
 *      cleared, the list started again (ahci_port.c). The device forgets
 *      every command it held, queued or not;
 *   3. each command that was out, in slot order:
 *        timed out, first time      retried (AHCI_RQ_RETRIED set)
 *        timed out, already retried failed: BLOCK_ETIMEDOUT
 *        alone and not queued, and  failed: BLOCK_EIO (the device said
 *          a task-file error came   which command: it was the only one)
 *        queued, after an error     retried alone and non-queued
 *                                   (AHCI_RQ_SOLO): the one that fails
 *                                   again names itself, the others pass
 *        out beside a timeout       retried as it was
 *      Retries go back to the head of the wait list in their order;
 *   4. what the reset itself raised in irq_status dropped (no command was
 *      out to cause it), recovering = 0, the failures completed, the port
 *      kicked (by the caller, ahci_complete.c). A reset
 *      that finds no device marks the port dead: everything out and
 *      waiting fails with BLOCK_EIO, and ahci_start refuses more.
 * Every failure is one log line with the sectors (ahci_fail).
 */
#include "ata/ahci.h"
#include "format.h"
#include "mutant.h"
#include "printk.h"
#include "sched/sched.h"

#define RETRY 1                         /* decide()'s answer: back on the wait list */

/* The LBA the device's last register FIS names (where it stopped), from the received FIS area. */
static uint64_t fis_lba(const struct ahci_port *p)
{
    const uint8_t *f = (const uint8_t *)p->mem.va + AHCI_MEM_FB + AHCI_RFIS_D2H;

    return (uint64_t)f[4] | (uint64_t)f[5] << 8 | (uint64_t)f[6] << 16 |
           (uint64_t)f[8] << 24 | (uint64_t)f[9] << 32 | (uint64_t)f[10] << 40;
}

/*
 * Fail req with status, one log line naming its sectors and why; for a
 * task-file error (tfd != 0) also the status and error registers and the
 * LBA the device named.
 */
void ahci_fail(struct ahci_port *p, struct block_request *req, int status, const char *what,
               uint32_t tfd)
{
    static const char *const ops[] = { "read", "write", "flush" };
    char range[48] = "";

    p->stat_errors++;
    if (req->op != BLOCK_FLUSH)
        format_snprintf(range, sizeof range, " of sectors %llu..%llu",
                        (unsigned long long)req->hw_block,
                        (unsigned long long)(req->hw_block + req->count - 1));
    if (tfd)
        printk(LOG_ERR, "[ahci] %s: %s%s failed: %s (status 0x%02x, error 0x%02x, device LBA %llu)\n",
               p->bdev.name, ops[req->op], range, what, AHCI_PxTFD_STS(tfd), AHCI_PxTFD_ERR(tfd),
               (unsigned long long)p->err_lba);
    else
        printk(LOG_ERR, "[ahci] %s: %s%s failed: %s\n", p->bdev.name, ops[req->op], range, what);
    block_complete(&p->bdev, req, status);
}

/* Step 1: nothing new issued, the reserved slots rung; returns the slots out. */
static uint32_t hold_port(struct ahci_port *p, uint32_t *queued)
{
    uint32_t out;

    spin_lock(&p->lock);
    p->recovering = 1;
    while (p->issuing) {
        spin_unlock(&p->lock);
        sched_yield();
        spin_lock(&p->lock);
    }
    out = p->busy;
    *queued = p->queued;
    p->issued = 0;
    p->test_lost = 0;                   /* the reset forgets them like the rest */
    spin_unlock(&p->lock);
    return out;
}

/* Step 3's table for slot s: RETRY, or the status to fail it with. */
static int decide(struct ahci_port *p, unsigned s, uint32_t out, uint32_t queued, uint32_t late,
                  int reset_ok)
{
    struct block_request *req = p->slot[s].req;
    uint32_t bit = 1u << s;

    if (!reset_ok)
        return BLOCK_EIO;
    if (late & bit) {
        if ((ahci_rq_flags(req) & AHCI_RQ_RETRIED) || MUTANT_ENABLED(ahci_retry))
            return BLOCK_ETIMEDOUT;
        ahci_rq_set_flags(req, AHCI_RQ_RETRIED);
        p->stat_retries++;
        return RETRY;
    }
    if (late)
        return RETRY;                   /* out beside the command that timed out */
    if (out == bit && !(queued & bit))
        return BLOCK_EIO;
    ahci_rq_set_flags(req, AHCI_RQ_SOLO);
    p->stat_retries++;
    return RETRY;
}

static const char *fail_reason(int status, int reset_ok)
{
    if (!reset_ok)
        return "no device after the port reset";
    return status == BLOCK_ETIMEDOUT ? "no answer in time, twice (port reset each time)"
                                     : "task-file error";
}

/* After a dead port: every request still waiting fails too. */
static void fail_waiting(struct ahci_port *p)
{
    for (;;) {
        struct block_request *req = 0;

        spin_lock(&p->lock);
        if (p->wait_count) {
            req = p->wait[p->wait_first];
            p->wait_first = (p->wait_first + 1) % AHCI_SLOTS;
            p->wait_count--;
        }
        spin_unlock(&p->lock);
        if (!req)
            return;
        ahci_fail(p, req, BLOCK_EIO, "no device after the port reset", 0);
    }
}

/* The commands a recovery fails, completed once the port takes requests again. */
struct failures {
    unsigned n;
    struct block_request *req[AHCI_SLOTS];
    int status[AHCI_SLOTS];
};

/* Step 3 for slot s: unmapped and freed; a retry back at the wait list's head, a failure into f. */
static void settle_slot(struct ahci_port *p, unsigned s, int st, struct failures *f)
{
    struct block_request *req = p->slot[s].req;

    callout_cancel(&p->slot[s].timeout);
    if (req->op != BLOCK_FLUSH)
        dma_unmap(&p->slot[s].map);
    ahci_slot_release(p, s);
    if (st == RETRY) {
        ahci_wait_push_front(p, req);
    } else {
        f->req[f->n] = req;
        f->status[f->n++] = st;
    }
}

/* Step 4's start: what the reset raised dropped (no command was out to cause it), the port open again. */
static void release_port(struct ahci_port *p, int reset_ok)
{
    __atomic_exchange_n(&p->irq_status, 0, __ATOMIC_ACQ_REL);
    spin_lock(&p->lock);
    p->recovering = 0;
    p->dead = !reset_ok;
    spin_unlock(&p->lock);
}

void ahci_recover(struct ahci_port *p, uint32_t tfd, uint32_t is, uint32_t late)
{
    struct failures f = { .n = 0 };
    uint32_t queued, out = hold_port(p, &queued);
    int reset_ok;

    printk(LOG_WARN, "[ahci] %s: port %u reset: %s (PxIS 0x%x, status 0x%02x, error 0x%02x, "
           "%u commands out)\n", p->bdev.name, p->index, late ? "a command timed out" : "error",
           is, AHCI_PxTFD_STS(tfd), AHCI_PxTFD_ERR(tfd), ahci_bits(out));
    p->err_lba = fis_lba(p);            /* the reset's own FIS overwrites it */
    reset_ok = ahci_port_reset(p) == 0 && ahci_port_start(p) == 0;
    for (int s = AHCI_SLOTS - 1; s >= 0; s--)   /* last first: the retries keep their order */
        if (out & (1u << s))
            settle_slot(p, (unsigned)s, decide(p, (unsigned)s, out, queued, late, reset_ok), &f);
    release_port(p, reset_ok);
    for (unsigned i = 0; i < f.n; i++)
        ahci_fail(p, f.req[i], f.status[i], fail_reason(f.status[i], reset_ok),
                  f.status[i] == BLOCK_EIO && reset_ok ? tfd : 0);
    if (!reset_ok)
        fail_waiting(p);
}
