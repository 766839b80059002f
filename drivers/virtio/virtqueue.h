/*
 * virtqueue.h - split virtqueues (virtqueue.c): how a driver hands buffers
 * to a virtio device and gets them back (virtio 1.0, section 2.4).
 *
 * A queue of `size` entries (a power of two) is three areas in DMA memory:
 *   descriptor table  size x 16 bytes: a buffer each (bus address, length,
 *                     flags, next); chained with NEXT, device-writable
 *                     with WRITE; an INDIRECT one points at a table of
 *                     descriptors elsewhere, so a request of many segments
 *                     takes one entry of the ring
 *   available ring    the driver's: heads of chains ready for the device,
 *                     and idx, where the driver will write next
 *   used ring         the device's: heads of chains it is done with, the
 *                     bytes it wrote into each, and its own idx
 * The driver owns the descriptors on its free list (linked through
 * `next`); virtqueue_add takes a chain from it, virtqueue_publish puts the
 * head in the available ring, virtqueue_pop_used gives back a chain the
 * device finished and returns it to the free list.
 *
 * With VIRTIO_F_RING_EVENT_IDX each side tells the other when to bother
 * it: used_event (after the available ring) is the used index the driver
 * wants an interrupt at; avail_event (after the used ring) the available
 * index the device wants a kick at. Without it, the flags words do.
 *
 * Locking: the caller holds vq->lock for every call below but
 * virtqueue_alloc and virtqueue_free (the driver's, set up before the
 * device runs); the notify write itself (virtio_notify) goes outside it.
 */
#pragma once

#include <stdint.h>

#include "mm/dma.h"
#include "sync/spinlock.h"

#define VIRTQ_DESC_F_NEXT       1       /* `next` continues the chain */
#define VIRTQ_DESC_F_WRITE      2       /* the device writes this buffer */
#define VIRTQ_DESC_F_INDIRECT   4       /* addr/len: a table of descriptors */

#define VIRTQ_MAX_SIZE          32768   /* the spec's largest split queue */

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtio 1.0 2.4.5: a descriptor is 16 bytes");

struct virtq_avail {
    uint16_t flags;                     /* 1: VIRTQ_AVAIL_F_NO_INTERRUPT */
    uint16_t idx;
    uint16_t ring[];                    /* size entries, then used_event */
};

struct virtq_used_elem {
    uint32_t id;                        /* the chain's head */
    uint32_t len;                       /* bytes written into its WRITE buffers */
};
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtio 1.0 2.4.8: a used element is 8 bytes");

struct virtq_used {
    uint16_t flags;                     /* 1: VIRTQ_USED_F_NO_NOTIFY */
    uint16_t idx;
    struct virtq_used_elem ring[];      /* size entries, then avail_event */
};

/* One buffer of a request, for virtqueue_add. */
struct virtq_buf {
    uint64_t bus;
    uint32_t len;
    int device_writes;                  /* 1: VIRTQ_DESC_F_WRITE */
};

struct virtqueue {
    unsigned index;                     /* the queue's number on its device */
    unsigned size;
    uint16_t notify_off;                /* queue_notify_off (virtio_pci.c) */
    int event_idx;                      /* VIRTIO_F_RING_EVENT_IDX negotiated */
    struct dma_buf mem;                 /* the three areas, one allocation */
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint64_t desc_bus, avail_bus, used_bus;

    struct spinlock lock;               /* guards what follows and the areas */
    uint16_t free_head;                 /* first free descriptor */
    uint16_t num_free;
    uint16_t avail_idx;                 /* our copy of avail->idx */
    uint16_t kicked_idx;                /* avail_idx at the last notify check */
    uint16_t last_used;                 /* used->idx we have consumed up to */
};

/* Allocate and lay out a queue of `size` entries (a power of two): 0 or -1. */
int virtqueue_alloc(struct virtqueue *vq, unsigned index, unsigned size, const char *name);
void virtqueue_free(struct virtqueue *vq);
/* Empty the areas and put every descriptor back on the free list (after a device reset). */
void virtqueue_reset(struct virtqueue *vq);

/*
 * Take descriptors for n buffers (the device writes those marked
 * device_writes, reads the others) and chain them: in the ring itself, or, when `table` is not
 * NULL, in that indirect table (n entries, at bus address table_bus),
 * then one INDIRECT descriptor in the ring. The chain's head, or -1 when
 * the ring has too few free descriptors.
 */
int virtqueue_add(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n,
                  struct virtq_desc *table, uint64_t table_bus);
/* Offer the chain at head to the device. */
void virtqueue_publish(struct virtqueue *vq, uint16_t head);
/* 1 when the device wants a kick for what was published since the last call. */
int virtqueue_kick_needed(struct virtqueue *vq);
/* The head of the next chain the device finished (its descriptors freed), *len
 * the bytes it wrote; -1 when none. */
int virtqueue_pop_used(struct virtqueue *vq, uint32_t *len);
/* Ask for an interrupt at the next used entry; 1 when one arrived meanwhile
 * (pop again: its interrupt may have come before this request). */
int virtqueue_arm_interrupt(struct virtqueue *vq);
