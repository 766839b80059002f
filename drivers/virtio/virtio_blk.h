/*
 * virtio_blk.h - the virtio block device (virtio 1.0, section 5.2): its
 * registers and request layout, and the driver's state, shared by
 * virtio_blk.c (finding and setting up a disk) and virtio_blk_io.c (its
 * requests: start, completion thread, timeouts, reset and retry).
 *
 * A request is three or more buffers on one chain:
 *     header (device reads)   type, reserved, sector (always 512-byte units)
 *     data   (reads: device writes; writes: device reads), 0..max_segs pieces
 *     status (device writes)  one byte: OK, IOERR, UNSUPP
 * Each request slot owns, in one coherent DMA block (slot_mem), its
 * header, its status byte and, with VIRTIO_F_RING_INDIRECT_DESC, an
 * indirect table of max_segs + 2 descriptors: then every request takes a
 * single ring entry and the queue depth is the ring size.
 *
 * Locking: vq.lock guards the ring, the free slots, by_head, resetting,
 * done and hold_next. A slot's other fields belong to whoever holds the
 * slot: start until it is on the ring, then the completion thread.
 */
#pragma once

#include <stdint.h>

#include "block/blockdev.h"
#include "mm/dma.h"
#include "sched/callout.h"
#include "sync/semaphore.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

#define VIRTIO_BLK_DEVICE_MODERN        0x1042  /* 0x1040 + device type 2 */
#define VIRTIO_BLK_DEVICE_TRANSITIONAL  0x1001

/* Feature bits (virtio 1.0, 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX   1
#define VIRTIO_BLK_F_SEG_MAX    2
#define VIRTIO_BLK_F_RO         5
#define VIRTIO_BLK_F_BLK_SIZE   6
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_F_TOPOLOGY   10
/* not asked for: VIRTIO_BLK_F_MQ (12, a queue per CPU), DISCARD (13), WRITE_ZEROES (14) */

/* Device configuration offsets (virtio 1.0, 5.2.4). */
#define VIRTIO_BLK_CFG_CAPACITY     0       /* le64 capacity, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX     8       /* le32 size_max, bytes per segment */
#define VIRTIO_BLK_CFG_SEG_MAX      12      /* le32 seg_max, segments per request */
#define VIRTIO_BLK_CFG_BLK_SIZE     20      /* le32 blk_size, the logical block size */
#define VIRTIO_BLK_CFG_PHYS_EXP     24      /* u8 physical_block_exp: physical = logical << exp */

/* Request types and status (virtio 1.0, 5.2.6). */
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_T_FLUSH      4
#define VIRTIO_BLK_T_GET_ID     8
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_S_IOERR      1
#define VIRTIO_BLK_S_UNSUPP     2
#define VIRTIO_BLK_ID_BYTES     20

#define VIRTIO_BLK_SECTOR       512
#define VIRTIO_BLK_QUEUE_MAX    256         /* ring entries we ask for at most */
#define VIRTIO_BLK_TIMEOUT_MS   5000        /* per request, then reset and retry once */

struct virtio_blk_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};
_Static_assert(sizeof(struct virtio_blk_hdr) == 16, "virtio 1.0 5.2.6: the request header is 16 bytes");

struct virtio_blk;

struct virtio_blk_slot {
    struct virtio_blk *vb;
    struct block_request *req;          /* NULL: free */
    struct virtio_blk_hdr *hdr;         /* in slot_mem */
    volatile uint8_t *status;
    struct virtq_desc *table;           /* indirect table, NULL without */
    uint64_t hdr_bus, status_bus, table_bus;
    struct dma_map map;
    int mapped;
    int head;                           /* its chain on the ring, -1: not on it */
    unsigned tries;                     /* resets it went through after timing out */
    struct callout timer;
    volatile int timed_out;             /* set by the callout */
    struct virtio_blk_slot *next;       /* free list or done list */
};

struct virtio_blk {
    struct virtio_dev vd;
    struct virtqueue vq;
    struct block_device bdev;
    char name[32];                      /* "virtio-blk 00:04.0" */
    struct semaphore wake;              /* the interrupt and the callouts wake the thread */
    struct thread *thread;
    struct virtio_blk_slot *slots;
    unsigned nslots;
    struct dma_buf slot_mem;
    uint16_t *by_head;                  /* ring head -> slot index */
    unsigned max_segs;                  /* data pieces per request */
    uint32_t size_max;                  /* bytes per piece, 0: no limit */
    uint64_t timeout_ns;

    /* guarded by vq.lock */
    struct virtio_blk_slot *free_slots;
    struct virtio_blk_slot *done;       /* finished without the device (a flush it has no use for) */
    int resetting;
    unsigned hold_next;                 /* tests: leave this many requests off the ring */

    uint64_t stat_irqs, stat_resets, stat_timeouts, stat_indirect;
    unsigned stat_longest_chain;        /* most buffers one request had (header and status included) */
    struct virtio_blk *next;            /* every virtio disk */
};

/* virtio_blk_io.c */
extern const struct block_ops virtio_blk_ops;
int virtio_blk_slots_alloc(struct virtio_blk *vb);
void virtio_blk_slots_free(struct virtio_blk *vb);
void virtio_blk_thread(void *arg);
/* Run one request that no block request stands for (GET_ID at probe), polled: its status, -1 on timeout. */
int virtio_blk_polled(struct virtio_blk *vb, uint32_t type, uint64_t bus, uint32_t len);

/* virtio_blk.c: every virtio disk bound, newest first (for tests). */
struct virtio_blk *virtio_blk_first(void);
/* Tests: leave the next n requests off the ring (they time out), with this timeout. */
void virtio_blk_test_hold(struct virtio_blk *vb, unsigned n, uint64_t timeout_ns);
