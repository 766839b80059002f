/*
 * ramdisk.c - a block device over memory (ramdisk.h), shaped like a disk
 * driver so the block layer is exercised the way real controllers use it:
 * start() queues the request on the disk's own list and ups `work`; the
 * disk's thread ("ramN" / "ramdisk") takes one request at a time (through
 * `gate`, which ramdisk_hold keeps), copies the blocks, and calls
 * block_complete from thread context, as a driver's completion thread does
 * after its interrupt.
 *
 * Locks: rd->lock (a leaf) guards the driver's request list and stopping;
 * it is never held while copying or completing.
 */
#include <string.h>

#include "block/ramdisk.h"
#include "format.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"

static struct block_request *take_request(struct ramdisk *rd, int *stop)
{
    struct block_request *r;

    spin_lock(&rd->lock);
    r = rd->queue_head;
    if (r) {
        rd->queue_head = r->driver_priv;
        if (!rd->queue_head)
            rd->queue_tail = NULL;
    }
    *stop = !r && rd->stopping;
    spin_unlock(&rd->lock);
    return r;
}

/* Do one request on the memory: 0 or BLOCK_EIO (the test's failing block). */
static int transfer(struct ramdisk *rd, struct block_request *r)
{
    uint64_t off = r->hw_block * rd->dev.block_size;
    size_t len = (size_t)r->count * rd->dev.block_size;

    if (r->op == BLOCK_FLUSH)
        return 0;
    if (rd->fail_block >= r->hw_block && rd->fail_block < r->hw_block + r->count)
        return BLOCK_EIO;
    if (r->op == BLOCK_READ)
        memcpy(r->buf, rd->data + off, len);
    else
        memcpy(rd->data + off, r->buf, len);
    return 0;
}

static void ramdisk_thread(void *arg)
{
    struct ramdisk *rd = arg;

    for (;;) {
        struct block_request *r;
        int stop;

        sem_down(&rd->work);
        sem_down(&rd->gate);
        r = take_request(rd, &stop);
        sem_up(&rd->gate);
        if (stop)
            return;
        if (r) {
            int status = transfer(rd, r);
            if (status == 0 && r->op == BLOCK_WRITE && rd->written)
                rd->written(rd, r->hw_block, r->count);
            block_complete(&rd->dev, r, status);
        }
    }
}

static int ramdisk_start(struct block_device *dev, struct block_request *req)
{
    struct ramdisk *rd = dev->driver_data;
    uint32_t n;

    spin_lock(&rd->lock);
    req->driver_priv = NULL;
    if (rd->queue_tail)
        rd->queue_tail->driver_priv = req;
    else
        rd->queue_head = req;
    rd->queue_tail = req;
    n = rd->starts++;
    if (n < RAMDISK_LOG_MAX) {
        rd->start_count[n] = req->count;
        rd->start_op[n] = (uint8_t)req->op;
    }
    if (dev->in_flight > rd->max_in_flight)
        rd->max_in_flight = dev->in_flight;
    spin_unlock(&rd->lock);
    sem_up(&rd->work);
    return 0;
}

static const struct block_ops ramdisk_ops = { "ramdisk", ramdisk_start };

int ramdisk_init(struct ramdisk *rd, void *data, uint64_t blocks, uint32_t block_size,
                 const char *model, uint32_t max_blocks, uint32_t queue_depth)
{
    memset(rd, 0, sizeof *rd);
    rd->data = data;
    rd->fail_block = ~0ULL;
    format_snprintf(rd->dev.name, sizeof rd->dev.name, "ramdisk");
    format_snprintf(rd->dev.model, sizeof rd->dev.model, "%s", model);
    rd->dev.block_size = rd->dev.physical_block_size = block_size;
    rd->dev.blocks = blocks;
    rd->dev.max_blocks = max_blocks;
    rd->dev.queue_depth = queue_depth;
    rd->dev.dma_limit = ~0ULL;
    rd->dev.ops = &ramdisk_ops;
    rd->dev.driver_data = rd;
    spin_init(&rd->dev.lock, "ramdisk_queue");
    spin_init(&rd->lock, "ramdisk");
    sem_init(&rd->work, 0, "ramdisk_work");
    sem_init(&rd->gate, 1, "ramdisk_gate");
    rd->thread = thread_create("ramdisk", ramdisk_thread, rd, SCHED_PRIO_DEFAULT + 1);
    if (!rd->thread) {
        printk(LOG_WARN, "ramdisk_init: %s: no thread\n", model);
        return BLOCK_ENOMEM;
    }
    return 0;
}

void ramdisk_stop(struct ramdisk *rd)
{
    spin_lock(&rd->lock);
    rd->stopping = 1;
    spin_unlock(&rd->lock);
    sem_up(&rd->work);
    thread_join(rd->thread);
    rd->thread = NULL;
}

void ramdisk_hold(struct ramdisk *rd)
{
    sem_down(&rd->gate);
}

void ramdisk_release(struct ramdisk *rd)
{
    sem_up(&rd->gate);
}
