/*
 * virtqueue.c - split virtqueues (virtqueue.h): the descriptor table, the
 * available and used rings, the free-descriptor list, indirect tables and
 * the event indexes.
 *
 * The rings live in one coherent DMA buffer (dma_alloc, zeroed):
 *
 *   mem.va ─► descriptor table   size x 16 bytes       (16-byte aligned)
 *             available ring     4 + 2 x size + 2       (2-byte aligned)
 *             used ring          4 + 8 x size + 2       (placed 64-byte aligned)
 *
 * Ordering (dma.h): the entries of a chain are written before its head
 * goes into the available ring (dma_wmb), and the ring entry before
 * avail->idx moves (dma_wmb again); a used entry is read only after its
 * idx was seen (dma_rmb). The kick and interrupt decisions compare our
 * index with the other side's event word, so they need a full fence
 * between our write and that read (virtqueue_full_fence).
 *
 * Rules: the caller holds vq->lock, except around virtqueue_alloc and
 * virtqueue_free.
 */
#include "virtio/virtqueue.h"

#include <string.h>

#include "mutant.h"
#include "printk.h"

#define VIRTQ_USED_ALIGN        64
#define VIRTQ_USED_F_NO_NOTIFY  1

static void virtqueue_full_fence(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Fields the device writes: read them through volatile. */
static uint16_t virtqueue_used_idx(const struct virtqueue *vq)
{
    return *(volatile uint16_t *)&vq->used->idx;
}

/* The word after the used ring: the available index the device wants a kick at. */
static uint16_t virtqueue_avail_event(const struct virtqueue *vq)
{
    return *(volatile uint16_t *)((uint8_t *)vq->used + 4 + 8 * vq->size);
}

/* The word after the available ring: the used index we want an interrupt at. */
static void virtqueue_set_used_event(struct virtqueue *vq, uint16_t idx)
{
    *(volatile uint16_t *)&vq->avail->ring[vq->size] = idx;
}

static size_t virtqueue_used_offset(unsigned size)
{
    size_t avail_end = (size_t)size * sizeof(struct virtq_desc) + 4 + 2 * size + 2;

    return (avail_end + VIRTQ_USED_ALIGN - 1) & ~(size_t)(VIRTQ_USED_ALIGN - 1);
}

int virtqueue_alloc(struct virtqueue *vq, unsigned index, unsigned size, const char *name)
{
    size_t used_off = virtqueue_used_offset(size);
    size_t total = used_off + 4 + 8 * (size_t)size + 2;

    if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1))) {
        printk(LOG_ERR, "virtqueue_alloc: %s: queue %u size %u is not a power of two up to %u\n",
               name, index, size, VIRTQ_MAX_SIZE);
        return -1;
    }
    memset(vq, 0, sizeof(*vq));
    if (dma_alloc(&vq->mem, total, 4096, DMA_LIMIT_64BIT, name) != 0) {
        printk(LOG_ERR, "virtqueue_alloc: %s: no DMA memory for queue %u (%zu bytes)\n", name, index, total);
        return -1;
    }
    vq->index = index;
    vq->size = size;
    vq->desc = vq->mem.va;
    vq->avail = (struct virtq_avail *)((uint8_t *)vq->mem.va + size * sizeof(struct virtq_desc));
    vq->used = (struct virtq_used *)((uint8_t *)vq->mem.va + used_off);
    vq->desc_bus = vq->mem.bus;
    vq->avail_bus = vq->mem.bus + size * sizeof(struct virtq_desc);
    vq->used_bus = vq->mem.bus + used_off;
    spin_init(&vq->lock, "virtqueue");
    virtqueue_reset(vq);
    return 0;
}

void virtqueue_free(struct virtqueue *vq)
{
    dma_free(&vq->mem);
    vq->desc = 0;
    vq->avail = 0;
    vq->used = 0;
}

void virtqueue_reset(struct virtqueue *vq)
{
    memset(vq->mem.va, 0, vq->mem.size);
    for (unsigned i = 0; i < vq->size; i++)
        vq->desc[i].next = (uint16_t)(i + 1);
    vq->free_head = 0;
    vq->num_free = (uint16_t)vq->size;
    vq->avail_idx = 0;
    vq->kicked_idx = 0;
    vq->last_used = 0;
}

/* Fill descriptor d for buffer b; `more`: another follows it at next. */
static void virtqueue_fill(struct virtq_desc *d, const struct virtq_buf *b, int more)
{
    d->addr = b->bus;
    d->len = b->len;
    d->flags = (uint16_t)((b->device_writes ? VIRTQ_DESC_F_WRITE : 0) | (more ? VIRTQ_DESC_F_NEXT : 0));
}

/* Take n descriptors off the free list, chained in free-list order: the head. */
static uint16_t virtqueue_take(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n)
{
    uint16_t head = vq->free_head, d = head;

    for (unsigned i = 0; i < n; i++) {
        uint16_t next = vq->desc[d].next;       /* the free link, which becomes the chain link */

        virtqueue_fill(&vq->desc[d], &bufs[i], i + 1 < n);
        vq->desc[d].next = i + 1 < n ? next : 0;
        vq->free_head = next;
        d = next;
    }
    vq->num_free = (uint16_t)(vq->num_free - n);
    return head;
}

int virtqueue_add(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n,
                  struct virtq_desc *table, uint64_t table_bus)
{
    spin_assert_held(&vq->lock);
    if (!table) {
        if (n == 0 || vq->num_free < n)
            return -1;
        return virtqueue_take(vq, bufs, n);
    }
    if (vq->num_free < 1)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        virtqueue_fill(&table[i], &bufs[i], i + 1 < n && !(MUTANT_ENABLED(virtio_indirect) && i >= 2));
        table[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
    }
    struct virtq_buf ind = { table_bus, (uint32_t)(n * sizeof(struct virtq_desc)), 0 };
    uint16_t head = virtqueue_take(vq, &ind, 1);

    vq->desc[head].flags = VIRTQ_DESC_F_INDIRECT;
    return head;
}

void virtqueue_publish(struct virtqueue *vq, uint16_t head)
{
    spin_assert_held(&vq->lock);
    vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
    dma_wmb();                          /* the chain and its ring entry before idx */
    vq->avail_idx++;
    *(volatile uint16_t *)&vq->avail->idx = vq->avail_idx;
}

int virtqueue_kick_needed(struct virtqueue *vq)
{
    uint16_t old = vq->kicked_idx, now = vq->avail_idx;

    spin_assert_held(&vq->lock);
    virtqueue_full_fence();             /* our idx is visible before we read the device's word */
    vq->kicked_idx = now;
    if (vq->event_idx)                  /* virtio 1.0 2.4.7.2: vring_need_event */
        return (uint16_t)(now - virtqueue_avail_event(vq) - 1) < (uint16_t)(now - old);
    return !(*(volatile uint16_t *)&vq->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

/* Put the chain starting at head back on the free list. */
static void virtqueue_release(struct virtqueue *vq, uint16_t head)
{
    uint16_t d = head, n = 1;

    while (vq->desc[d].flags & VIRTQ_DESC_F_NEXT) {
        d = vq->desc[d].next;
        n++;
    }
    vq->desc[d].next = vq->free_head;
    vq->free_head = head;
    vq->num_free = (uint16_t)(vq->num_free + n);
}

int virtqueue_pop_used(struct virtqueue *vq, uint32_t *len)
{
    spin_assert_held(&vq->lock);
    if (virtqueue_used_idx(vq) == vq->last_used)
        return -1;
    dma_rmb();                          /* the element after the idx that covers it */
    const volatile struct virtq_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
    uint32_t id = e->id;

    *len = e->len;
    vq->last_used++;
    if (id >= vq->size) {
        printk(LOG_ERR, "virtqueue_pop_used: queue %u: the device returned descriptor %u of %u\n",
               vq->index, id, vq->size);
        return -1;
    }
    virtqueue_release(vq, (uint16_t)id);
    return (int)id;
}

int virtqueue_arm_interrupt(struct virtqueue *vq)
{
    spin_assert_held(&vq->lock);
    if (vq->event_idx)
        virtqueue_set_used_event(vq, vq->last_used);
    virtqueue_full_fence();             /* the event word is visible before we look again */
    return virtqueue_used_idx(vq) != vq->last_used;
}
