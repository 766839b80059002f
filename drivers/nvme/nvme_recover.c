/*
 * nvme_recover.c - what happens when a command does not complete in time:
 * the controller is reset and its commands issued again, each timed-out
 * command once; one that times out a second time completes with
 * BLOCK_ETIMEDOUT. (No Abort command first: QEMU, like many controllers,
 * answers Abort with "not aborted", and a reset is needed anyway.)
 *
 * nvme_recover runs in the completion thread that saw the timeout, under
 * ctrl->reset_lock (two queues timing out together reset once):
 *   1. stop every I/O queue (under its lock: `stopped`, the timeouts of
 *      its issued commands cancelled); nothing is reaped or written to a
 *      ring from here on, and nvme_io_start keeps new commands in their
 *      slots (ISSUED, not on a ring);
 *   2. nvme_ctrl_enable: CC.EN = 0 (the controller forgets every queue and
 *      command), the admin queue, CC.EN = 1; the I/O rings emptied; the
 *      number of queues set and every pair created again;
 *   3. restart each queue: every ISSUED slot is written to the fresh ring
 *      with a new timeout, except a timed-out one already retried, which
 *      fails with BLOCK_ETIMEDOUT. A controller that does not come back is
 *      given up (`dead`): its commands and every later request fail.
 * Completions already taken off a ring (DONE) are unaffected: their data
 * had arrived.
 */
#include "nvme/nvme.h"
#include "printk.h"

/* The first issued command that timed out, or NULL. */
static struct nvme_cmd *find_timed_out(struct nvme_ctrl *c)
{
    struct nvme_cmd *found = 0;

    for (unsigned i = 0; i < c->nq && !found; i++) {
        struct nvme_queue *q = c->io[i];

        spin_lock(&q->lock);
        for (unsigned k = 0; k + 1u < q->size && !found; k++)
            if (q->cmds[k].state == NVME_SLOT_ISSUED && q->cmds[k].timed_out)
                found = &q->cmds[k];
        spin_unlock(&q->lock);
    }
    return found;
}

static void stop(struct nvme_queue *q)
{
    spin_lock(&q->lock);
    q->stopped = 1;
    for (unsigned k = 0; k + 1u < q->size; k++)
        if (q->cmds[k].state == NVME_SLOT_ISSUED)
            callout_cancel(&q->cmds[k].timeout);
    spin_unlock(&q->lock);
}

static void empty_rings(struct nvme_queue *q)
{
    spin_lock(&q->lock);
    nvme_queue_rings_reset(q);
    spin_unlock(&q->lock);
}

/* The status an ISSUED slot completes with now, or 1: issue it again. */
static int restart_verdict(struct nvme_cmd *cmd, int ok)
{
    if (!ok)
        return cmd->timed_out ? BLOCK_ETIMEDOUT : BLOCK_EIO;
    if (cmd->timed_out && cmd->retried)
        return BLOCK_ETIMEDOUT;
    if (cmd->timed_out) {
        cmd->retried = 1;
        cmd->timed_out = 0;
    }
    return 1;
}

static void restart(struct nvme_queue *q, int ok)
{
    struct nvme_cmd *failed[NVME_IO_SIZE];
    int status[NVME_IO_SIZE];
    unsigned nfailed = 0;

    spin_lock(&q->lock);
    q->stopped = !ok;
    for (unsigned k = 0; k + 1u < q->size; k++) {
        struct nvme_cmd *cmd = &q->cmds[k];
        int st;

        if (cmd->state != NVME_SLOT_ISSUED)
            continue;
        st = restart_verdict(cmd, ok);
        if (st == 1) {
            nvme_io_issue_locked(cmd);
            continue;
        }
        callout_cancel(&cmd->timeout);
        cmd->state = NVME_SLOT_DONE;
        failed[nfailed] = cmd;
        status[nfailed++] = st;
    }
    spin_unlock(&q->lock);
    for (unsigned i = 0; i < nfailed; i++) {
        if (status[i] == BLOCK_ETIMEDOUT)
            nvme_report_timeout(failed[i], "failed with BLOCK_ETIMEDOUT");
        nvme_io_finish(failed[i], status[i]);
    }
}

void nvme_recover(struct nvme_ctrl *c)
{
    struct nvme_cmd *late;
    int ok;

    mutex_lock(&c->reset_lock);
    late = find_timed_out(c);
    if (!late || c->dead) {
        mutex_unlock(&c->reset_lock);
        return;
    }
    nvme_report_timeout(late, late->retried ? "again after its retry: resetting the controller" :
                                              "resetting the controller, then retrying it");
    for (unsigned i = 0; i < c->nq; i++)
        stop(c->io[i]);
    ok = nvme_ctrl_enable(c) == 0;
    for (unsigned i = 0; i < c->nq; i++)
        empty_rings(c->io[i]);
    ok = ok && nvme_queues_create(c) == 0;
    c->resets++;
    if (!ok) {
        c->dead = 1;
        printk(LOG_ERR, "nvme_recover: %s: the controller did not come back from its reset: given up\n", c->name);
    }
    for (unsigned i = 0; i < c->nq; i++)
        restart(c->io[i], ok);
    printk(LOG_INFO, "[nvme] %s: reset %llu done\n", c->name, (unsigned long long)c->resets);
    mutex_unlock(&c->reset_lock);
}
