/*
 * virtio_blk_io.c - a virtio disk's requests (virtio_blk.h): from the
 * block layer's start to the device's ring, and back through the
 * completion thread; timeouts, and the reset that retries.
 *
 *   start (submitter's thread)     take a slot, dma_map the buffer, write
 *                                  the header, arm the slot's callout, put
 *                                  the chain on the ring, kick if the
 *                                  device asks for it (event index)
 *   interrupt                      sem_up(wake): nothing else
 *   completion thread              pop each used chain, cancel its callout,
 *                                  dma_unmap, read the status byte, give the
 *                                  slot back, block_complete; an error is
 *                                  reported with its sector
 *   callout (a request's timeout)  mark the slot, sem_up(wake); the thread
 *                                  then resets the device: what it had
 *                                  finished is completed, every other
 *                                  request goes on the ring again, a request
 *                                  that had already timed out once is
 *                                  completed with BLOCK_ETIMEDOUT
 * A write the device finished is completed before the reset (reaped from
 * the used ring) or written again after it: never lost.
 *
 * Rules: as virtio_blk.h. Only the completion thread frees a slot that is
 * on the ring, resets the device, and unmaps.
 */
#include "virtio/virtio_blk.h"

#include "mm/heap.h"
#include "mutant.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define VIRTIO_BLK_STATUS_NONE  0xFF    /* the device has not written the status byte */
#define VIRTIO_BLK_SLOT_HDR     32      /* header and status byte, then the indirect table */
#define VIRTIO_BLK_SLOT_ALIGN   64
#define VIRTIO_BLK_POLL_MS      5000

static const char *virtio_blk_op_name(unsigned op)
{
    return op == BLOCK_READ ? "read" : op == BLOCK_WRITE ? "write" : "flush";
}

/* ------------------------------------------------------------------ slots */

static void virtio_blk_timeout(void *arg)
{
    struct virtio_blk_slot *s = arg;

    s->timed_out = 1;
    sem_up(&s->vb->wake);
}

static void virtio_blk_slot_init(struct virtio_blk *vb, unsigned i, size_t each, int indirect)
{
    struct virtio_blk_slot *s = &vb->slots[i];
    uint8_t *va = (uint8_t *)vb->slot_mem.va + i * each;
    uint64_t bus = vb->slot_mem.bus + i * each;

    s->vb = vb;
    s->hdr = (struct virtio_blk_hdr *)va;
    s->hdr_bus = bus;
    s->status = va + sizeof(struct virtio_blk_hdr);
    s->status_bus = bus + sizeof(struct virtio_blk_hdr);
    s->table = indirect ? (struct virtq_desc *)(va + VIRTIO_BLK_SLOT_HDR) : 0;
    s->table_bus = indirect ? bus + VIRTIO_BLK_SLOT_HDR : 0;
    s->head = -1;
    callout_init(&s->timer, virtio_blk_timeout, s);
    s->next = vb->free_slots;
    vb->free_slots = s;
}

int virtio_blk_slots_alloc(struct virtio_blk *vb)
{
    int indirect = virtio_has(&vb->vd, VIRTIO_F_RING_INDIRECT_DESC);
    size_t table = indirect ? (vb->max_segs + 2) * sizeof(struct virtq_desc) : 0;
    size_t each = (VIRTIO_BLK_SLOT_HDR + table + VIRTIO_BLK_SLOT_ALIGN - 1) & ~(size_t)(VIRTIO_BLK_SLOT_ALIGN - 1);

    vb->slots = kcalloc(vb->nslots, sizeof(*vb->slots));
    vb->by_head = kcalloc(vb->vq.size, sizeof(*vb->by_head));
    if (!vb->slots || !vb->by_head || vb->nslots == 0 ||
        dma_alloc(&vb->slot_mem, each * vb->nslots, 4096, DMA_LIMIT_64BIT, vb->name) != 0) {
        printk(LOG_ERR, "virtio_blk_slots_alloc: %s: no memory for %u request slots\n", vb->name, vb->nslots);
        return -1;
    }
    for (unsigned i = vb->nslots; i-- > 0;)
        virtio_blk_slot_init(vb, i, each, indirect);
    return 0;
}

void virtio_blk_slots_free(struct virtio_blk *vb)
{
    if (vb->slot_mem.size)
        dma_free(&vb->slot_mem);
    kfree(vb->slots);
    kfree(vb->by_head);
    vb->slots = 0;
    vb->by_head = 0;
}

static struct virtio_blk_slot *virtio_blk_slot_get(struct virtio_blk *vb, struct block_request *req)
{
    spin_lock(&vb->vq.lock);
    struct virtio_blk_slot *s = vb->free_slots;

    if (s) {
        vb->free_slots = s->next;
        s->req = req;
        s->head = -1;
        s->tries = 0;
        s->timed_out = 0;
    }
    spin_unlock(&vb->vq.lock);
    return s;
}

static void virtio_blk_slot_put(struct virtio_blk *vb, struct virtio_blk_slot *s)
{
    spin_lock(&vb->vq.lock);
    s->req = 0;
    s->next = vb->free_slots;
    vb->free_slots = s;
    spin_unlock(&vb->vq.lock);
}

/* ------------------------------------------------------------- the ring */

/* The chain of slot s: header, its mapped pieces, status byte. */
static unsigned virtio_blk_bufs(const struct virtio_blk_slot *s, struct virtq_buf *bufs)
{
    int device_writes = s->hdr->type != VIRTIO_BLK_T_OUT;     /* IN and GET_ID fill the data */
    unsigned n = 0;

    bufs[n++] = (struct virtq_buf){ s->hdr_bus, sizeof(struct virtio_blk_hdr), 0 };
    for (unsigned i = 0; i < s->map.nseg; i++)
        bufs[n++] = (struct virtq_buf){ s->map.seg[i].bus, s->map.seg[i].len, device_writes };
    bufs[n++] = (struct virtq_buf){ s->status_bus, 1, 1 };
    return n;
}

/* Put slot s on the ring (vq.lock held): 1 when the device wants a kick, 0, or -1 when the ring is full. */
static int virtio_blk_post_locked(struct virtio_blk *vb, struct virtio_blk_slot *s)
{
    struct virtq_buf bufs[DMA_MAX_SEGS + 2];
    unsigned n = virtio_blk_bufs(s, bufs);

    if (vb->hold_next) {                /* tests: the device never sees this one */
        vb->hold_next--;
        s->head = -1;
        return 0;
    }
    int head = virtqueue_add(&vb->vq, bufs, n, s->table, s->table_bus);

    if (head < 0)
        return -1;
    s->head = head;
    vb->by_head[head] = (uint16_t)(s - vb->slots);
    vb->stat_indirect += s->table != 0;
    if (n > vb->stat_longest_chain)
        vb->stat_longest_chain = n;
    virtqueue_publish(&vb->vq, (uint16_t)head);
    return virtqueue_kick_needed(&vb->vq);
}

/* Arm s's timeout and post it (parked while the device resets): 0 or BLOCK_ENOMEM. */
static int virtio_blk_submit(struct virtio_blk *vb, struct virtio_blk_slot *s)
{
    int kick = 0;

    callout_arm(&s->timer, vb->timeout_ns);
    spin_lock(&vb->vq.lock);
    if (!vb->resetting)
        kick = virtio_blk_post_locked(vb, s);
    spin_unlock(&vb->vq.lock);
    if (kick > 0)
        virtio_notify(&vb->vd, &vb->vq);
    if (kick < 0) {
        callout_cancel_wait(&s->timer);
        printk(LOG_ERR, "virtio_blk_submit: %s: ring full with %u slots\n", vb->name, vb->nslots);
        return BLOCK_ENOMEM;
    }
    return 0;
}

/* ----------------------------------------------------------- the start */

/* Header, status byte and data mapping of req in slot s: 0 or BLOCK_E*. */
static int virtio_blk_prepare(struct virtio_blk *vb, struct virtio_blk_slot *s, struct block_request *req)
{
    static const uint32_t type[] = {
        [BLOCK_READ] = VIRTIO_BLK_T_IN, [BLOCK_WRITE] = VIRTIO_BLK_T_OUT, [BLOCK_FLUSH] = VIRTIO_BLK_T_FLUSH,
    };
    uint32_t bs = vb->bdev.block_size;

    s->hdr->type = type[req->op];
    s->hdr->reserved = 0;
    s->hdr->sector = req->op == BLOCK_FLUSH ? 0 : req->hw_block * (bs / VIRTIO_BLK_SECTOR);
    *s->status = VIRTIO_BLK_STATUS_NONE;
    s->map.nseg = 0;
    s->mapped = 0;
    if (req->op == BLOCK_FLUSH)
        return 0;
    if (dma_map(&s->map, req->buf, (size_t)req->count * bs, req->op == BLOCK_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
                vb->bdev.dma_limit, vb->size_max) != 0)
        return BLOCK_ENOMEM;
    s->mapped = 1;
    if (s->map.nseg > vb->max_segs) {
        printk(LOG_ERR, "virtio_blk_prepare: %s: %u blocks in %u pieces, more than seg_max %u\n",
               vb->bdev.name, req->count, s->map.nseg, vb->max_segs);
        dma_unmap(&s->map);
        s->mapped = 0;
        return BLOCK_EINVAL;
    }
    return 0;
}

/* Finished without the device (a flush on a write-through disk): the thread completes it. */
static void virtio_blk_done_now(struct virtio_blk *vb, struct virtio_blk_slot *s)
{
    *s->status = VIRTIO_BLK_S_OK;
    spin_lock(&vb->vq.lock);
    s->next = vb->done;
    vb->done = s;
    spin_unlock(&vb->vq.lock);
    sem_up(&vb->wake);
}

static int virtio_blk_start(struct block_device *bdev, struct block_request *req)
{
    struct virtio_blk *vb = bdev->driver_data;
    struct virtio_blk_slot *s;
    int rc;

    if (req->op > BLOCK_FLUSH)
        return BLOCK_EINVAL;
    if (req->op == BLOCK_WRITE && bdev->read_only)
        return BLOCK_EROFS;
    if (!(s = virtio_blk_slot_get(vb, req)))
        return BLOCK_ENOMEM;            /* more than queue_depth started: the block layer's bug */
    if ((rc = virtio_blk_prepare(vb, s, req)) == 0) {
        if (req->op == BLOCK_FLUSH && !virtio_has(&vb->vd, VIRTIO_BLK_F_FLUSH)) {
            virtio_blk_done_now(vb, s);
            return 0;
        }
        if ((rc = virtio_blk_submit(vb, s)) == 0)
            return 0;
        if (s->mapped)
            dma_unmap(&s->map);
    }
    virtio_blk_slot_put(vb, s);
    return rc;
}

const struct block_ops virtio_blk_ops = {
    .driver = "virtio-blk",
    .start = virtio_blk_start,
};

/* ------------------------------------------------------ the completions */

static void virtio_blk_report_error(struct virtio_blk *vb, const struct virtio_blk_slot *s, uint8_t st)
{
    const struct block_request *req = s->req;

    printk(LOG_ERR, "[virtio-blk] %s: %s error at sector %llu (blocks %llu..%llu): the device answered %s\n",
           vb->bdev.name, virtio_blk_op_name(req->op), (unsigned long long)s->hdr->sector,
           (unsigned long long)req->hw_block, (unsigned long long)(req->hw_block + req->count - 1),
           st == VIRTIO_BLK_S_IOERR ? "IOERR" : st == VIRTIO_BLK_S_UNSUPP ? "UNSUPP" : "nothing");
}

/* Complete slot s's request with its status (or `forced`, when not 0) and free the slot. */
static void virtio_blk_finish(struct virtio_blk *vb, struct virtio_blk_slot *s, int forced)
{
    struct block_request *req = s->req;
    uint8_t st = *s->status;
    int rc = forced ? forced : st == VIRTIO_BLK_S_OK || MUTANT_ENABLED(virtio_ioerr) ? 0 : BLOCK_EIO;

    callout_cancel_wait(&s->timer);
    if (s->mapped)
        dma_unmap(&s->map);
    s->mapped = 0;
    if (rc == BLOCK_EIO)
        virtio_blk_report_error(vb, s, st);
    virtio_blk_slot_put(vb, s);
    block_complete(&vb->bdev, req, rc);
}

/* The next finished slot (the done list, then the used ring), or NULL after re-arming the interrupt. */
static struct virtio_blk_slot *virtio_blk_next_done(struct virtio_blk *vb)
{
    struct virtio_blk_slot *s = 0;
    uint32_t len;

    spin_lock(&vb->vq.lock);
    if ((s = vb->done))
        vb->done = s->next;
    while (!s) {
        int head = virtqueue_pop_used(&vb->vq, &len);

        if (head >= 0) {
            s = &vb->slots[vb->by_head[head]];
            s->head = -1;
        } else if (!virtqueue_arm_interrupt(&vb->vq))
            break;
    }
    spin_unlock(&vb->vq.lock);
    return s;
}

static void virtio_blk_reap(struct virtio_blk *vb)
{
    struct virtio_blk_slot *s;

    while ((s = virtio_blk_next_done(vb)))
        virtio_blk_finish(vb, s, 0);
}

/* ------------------------------------------------ timeouts and the reset */

/* A slot whose request timed out, or NULL. */
static struct virtio_blk_slot *virtio_blk_late(struct virtio_blk *vb)
{
    struct virtio_blk_slot *late = 0;

    spin_lock(&vb->vq.lock);
    for (unsigned i = 0; i < vb->nslots && !late; i++)
        if (vb->slots[i].req && vb->slots[i].timed_out)
            late = &vb->slots[i];
    spin_unlock(&vb->vq.lock);
    return late;
}

/* After the reset: a request that timed out twice fails, every other one gets a fresh timeout. */
static void virtio_blk_rearm(struct virtio_blk *vb)
{
    for (unsigned i = 0; i < vb->nslots; i++) {
        struct virtio_blk_slot *s = &vb->slots[i];

        if (!s->req)
            continue;
        if (s->timed_out && (s->tries >= 1 || MUTANT_ENABLED(virtio_retry))) {
            printk(LOG_ERR, "[virtio-blk] %s: %s at sector %llu timed out again after the reset: failed\n",
                   vb->bdev.name, virtio_blk_op_name(s->req->op), (unsigned long long)s->hdr->sector);
            virtio_blk_finish(vb, s, BLOCK_ETIMEDOUT);
            continue;
        }
        s->tries += s->timed_out;
        s->timed_out = 0;
        callout_arm(&s->timer, vb->timeout_ns);
    }
}

/* Every request in a slot on the ring again, new ones posted from here on. */
static void virtio_blk_repost(struct virtio_blk *vb)
{
    int kick = 0;

    spin_lock(&vb->vq.lock);
    for (unsigned i = 0; i < vb->nslots; i++)
        if (vb->slots[i].req && vb->slots[i].head < 0)
            kick |= virtio_blk_post_locked(vb, &vb->slots[i]) > 0;
    vb->resetting = 0;
    spin_unlock(&vb->vq.lock);
    if (kick)
        virtio_notify(&vb->vd, &vb->vq);
}

/* The device up again with an empty ring: 0, or -1 when it would not come back. */
static int virtio_blk_restart(struct virtio_blk *vb)
{
    int rc;

    if (virtio_pci_restart(&vb->vd) != 0)
        return -1;
    spin_lock(&vb->vq.lock);
    rc = virtio_queue_restart(&vb->vd, &vb->vq);
    for (unsigned i = 0; i < vb->nslots; i++)
        vb->slots[i].head = -1;
    spin_unlock(&vb->vq.lock);
    if (rc == 0)
        virtio_driver_ok(&vb->vd);
    return rc;
}

static void virtio_blk_recover(struct virtio_blk *vb, const struct virtio_blk_slot *late)
{
    printk(LOG_WARN, "[virtio-blk] %s: %s at sector %llu timed out after %llu ms: resetting the device\n",
           vb->bdev.name, virtio_blk_op_name(late->req->op), (unsigned long long)late->hdr->sector,
           (unsigned long long)(vb->timeout_ns / NS_PER_MS));
    vb->stat_timeouts++;
    spin_lock(&vb->vq.lock);
    vb->resetting = 1;
    spin_unlock(&vb->vq.lock);
    virtio_reset(&vb->vd);
    vb->stat_resets++;
    virtio_blk_reap(vb);                /* what it finished before the reset */
    if (virtio_blk_restart(vb) != 0) {
        printk(LOG_ERR, "[virtio-blk] %s: the device did not come back after its reset\n", vb->bdev.name);
        for (unsigned i = 0; i < vb->nslots; i++)
            if (vb->slots[i].req)
                vb->slots[i].timed_out = 1, vb->slots[i].tries = 1;
    }
    virtio_blk_rearm(vb);
    virtio_blk_repost(vb);
}

void virtio_blk_thread(void *arg)
{
    struct virtio_blk *vb = arg;
    struct virtio_blk_slot *late;

    for (;;) {
        sem_down(&vb->wake);
        virtio_blk_reap(vb);
        if ((late = virtio_blk_late(vb)))
            virtio_blk_recover(vb, late);
    }
}

/* --------------------------------------------------------- probe's own */

int virtio_blk_polled(struct virtio_blk *vb, uint32_t type, uint64_t bus, uint32_t len)
{
    struct virtio_blk_slot *s = virtio_blk_slot_get(vb, 0);
    int posted, head = -1;
    uint32_t used_len;

    s->hdr->type = type;
    s->hdr->reserved = 0;
    s->hdr->sector = 0;
    *s->status = VIRTIO_BLK_STATUS_NONE;
    s->map.nseg = 1;
    s->map.seg[0] = (struct dma_seg){ bus, len };
    spin_lock(&vb->vq.lock);
    posted = virtio_blk_post_locked(vb, s);
    spin_unlock(&vb->vq.lock);
    if (posted > 0)
        virtio_notify(&vb->vd, &vb->vq);
    for (unsigned ms = 0; posted >= 0 && head < 0 && ms < VIRTIO_BLK_POLL_MS; ms++) {
        spin_lock(&vb->vq.lock);
        head = virtqueue_pop_used(&vb->vq, &used_len);
        if (head >= 0)
            virtqueue_arm_interrupt(&vb->vq);   /* used_event past it: the thread's first request interrupts */
        spin_unlock(&vb->vq.lock);
        if (head < 0)
            sched_sleep_ns(NS_PER_MS);
    }
    int st = head >= 0 ? *s->status : -1;

    s->map.nseg = 0;
    virtio_blk_slot_put(vb, s);
    return st;
}
