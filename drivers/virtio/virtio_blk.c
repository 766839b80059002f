/*
 * virtio_blk.c - virtio block devices (virtio_blk.h): a PCI driver for
 * vendor 0x1AF4 devices 0x1042 (modern) and 0x1001 (transitional, used
 * through its modern capabilities only) that sets each disk up and
 * registers it as vda, vdb, ...
 *
 * virtio_blk_probe brings the device up in the spec's order (virtio.h):
 * attach and negotiate (VIRTIO_F_VERSION_1, indirect descriptors, the
 * event index, and the disk's SIZE_MAX, SEG_MAX, RO, BLK_SIZE, FLUSH,
 * TOPOLOGY), read the geometry, set up interrupts and queue 0, the
 * request slots, DRIVER_OK; then asks the disk for its serial (GET_ID,
 * polled, before the completion thread runs), starts the completion
 * thread and registers the block device, whose line reads
 *     [blk] vda: N sectors of N bytes, SERIAL (virtio-blk)
 * after the driver's own line of what was negotiated.
 *
 * Rules: probe runs in the PCI core's thread and may sleep; a device that
 * fails a step is told FAILED and left unbound, with a message naming the
 * step. Disks are never unbound.
 */
#include "virtio/virtio_blk.h"

#include <string.h>

#include "format.h"
#include "mm/heap.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sync/spinlock.h"
#include "timer/clock.h"

#define VIRTIO_BLK_WANTED (VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) | \
                           VIRTIO_BIT(VIRTIO_BLK_F_RO) | VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |       \
                           VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) | VIRTIO_BIT(VIRTIO_BLK_F_TOPOLOGY) |    \
                           VIRTIO_BIT(VIRTIO_F_RING_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX))

static struct spinlock virtio_blk_list_lock = SPINLOCK_INIT("virtio_blk_list");
static struct virtio_blk *virtio_blk_list;

struct virtio_blk *virtio_blk_first(void)
{
    return virtio_blk_list;
}

void virtio_blk_test_hold(struct virtio_blk *vb, unsigned n, uint64_t timeout_ns)
{
    spin_lock(&vb->vq.lock);
    vb->hold_next = n;
    vb->timeout_ns = timeout_ns;
    spin_unlock(&vb->vq.lock);
}

/* Logical and physical block size, capacity, read-only; 0, or -1 for a size we do not take. */
static int virtio_blk_geometry(struct virtio_blk *vb)
{
    struct virtio_dev *vd = &vb->vd;
    struct block_device *b = &vb->bdev;
    uint32_t bs = virtio_has(vd, VIRTIO_BLK_F_BLK_SIZE) ? virtio_cfg_read32(vd, VIRTIO_BLK_CFG_BLK_SIZE)
                                                        : VIRTIO_BLK_SECTOR;

    if (bs != 512 && bs != 4096) {
        printk(LOG_ERR, "virtio_blk_probe: %s: logical block size %u: only 512 and 4096 are supported\n",
               vb->name, bs);
        return -1;
    }
    b->block_size = bs;
    b->physical_block_size = bs;
    if (virtio_has(vd, VIRTIO_BLK_F_TOPOLOGY) && virtio_cfg_read8(vd, VIRTIO_BLK_CFG_PHYS_EXP) < 8)
        b->physical_block_size = bs << virtio_cfg_read8(vd, VIRTIO_BLK_CFG_PHYS_EXP);
    b->blocks = virtio_cfg_read64(vd, VIRTIO_BLK_CFG_CAPACITY) / (bs / VIRTIO_BLK_SECTOR);
    b->read_only = virtio_has(vd, VIRTIO_BLK_F_RO);
    b->dma_limit = DMA_LIMIT_64BIT;
    return 0;
}

/* Segments per request and bytes per segment, from SEG_MAX, SIZE_MAX and dma.h's limit. */
static void virtio_blk_limits(struct virtio_blk *vb)
{
    struct virtio_dev *vd = &vb->vd;
    uint32_t seg_max = virtio_has(vd, VIRTIO_BLK_F_SEG_MAX) ? virtio_cfg_read32(vd, VIRTIO_BLK_CFG_SEG_MAX) : 1;

    vb->size_max = virtio_has(vd, VIRTIO_BLK_F_SIZE_MAX) ? virtio_cfg_read32(vd, VIRTIO_BLK_CFG_SIZE_MAX) : 0;
    vb->max_segs = seg_max == 0 ? 1 : seg_max < DMA_MAX_SEGS ? seg_max : DMA_MAX_SEGS;
}

/* Queue depth and largest request, once the ring size is known. */
static void virtio_blk_depth(struct virtio_blk *vb)
{
    struct block_device *b = &vb->bdev;
    uint32_t piece = vb->size_max && vb->size_max < 4096 ? vb->size_max : 4096;

    if (!virtio_has(&vb->vd, VIRTIO_F_RING_INDIRECT_DESC) && vb->max_segs + 2 > vb->vq.size)
        vb->max_segs = vb->vq.size - 2;
    /* one piece less than max_segs: a buffer that starts inside a page spans one more */
    uint64_t bytes = (uint64_t)(vb->max_segs > 1 ? vb->max_segs - 1 : 1) * piece;

    b->max_blocks = bytes >= b->block_size ? (uint32_t)(bytes / b->block_size) : 1;
    vb->nslots = virtio_has(&vb->vd, VIRTIO_F_RING_INDIRECT_DESC) ? vb->vq.size
                                                                 : vb->vq.size / (vb->max_segs + 2);
    b->queue_depth = vb->nslots;
}

static void virtio_blk_irq_msix(void *ctx)
{
    struct virtio_blk *vb = ctx;

    vb->stat_irqs++;
    sem_up(&vb->wake);
}

/* INTx may be shared: the ISR byte says whether it was this device (reading it lowers the line). */
static void virtio_blk_irq_intx(void *ctx)
{
    struct virtio_blk *vb = ctx;

    if (virtio_isr(&vb->vd) & 1) {
        vb->stat_irqs++;
        sem_up(&vb->wake);
    }
}

static int virtio_blk_irq(struct virtio_blk *vb)
{
    irq_handler_fn *fn = vb->vd.msix_vectors ? virtio_blk_irq_msix : virtio_blk_irq_intx;
    int rc = pci_irq_request(vb->vd.pci, virtio_queue_vector(&vb->vd, 0), fn, vb);

    if (rc < 0)
        printk(LOG_ERR, "virtio_blk_probe: %s: pci_irq_request failed: %d\n", vb->name, rc);
    return rc < 0 ? -1 : 0;
}

/* The disk's serial (GET_ID) as its model; "virtio disk" when it has none. */
static void virtio_blk_model(struct virtio_blk *vb)
{
    struct dma_buf id = { 0 };
    char *m = vb->bdev.model;

    memcpy(m, "virtio disk", sizeof("virtio disk"));
    if (dma_alloc(&id, VIRTIO_BLK_ID_BYTES, 4096, DMA_LIMIT_64BIT, "virtio-blk id") != 0)
        return;
    if (virtio_blk_polled(vb, VIRTIO_BLK_T_GET_ID, id.bus, VIRTIO_BLK_ID_BYTES) == VIRTIO_BLK_S_OK &&
        ((char *)id.va)[0]) {
        memcpy(m, id.va, VIRTIO_BLK_ID_BYTES);      /* NUL-padded, not terminated when 20 long */
        m[VIRTIO_BLK_ID_BYTES] = 0;
    }
    dma_free(&id);
}

static void virtio_blk_report(struct virtio_blk *vb)
{
    char size_max[24] = "";

    if (vb->size_max)
        format_snprintf(size_max, sizeof(size_max), " of %u bytes", vb->size_max);
    printk(LOG_INFO, "[virtio-blk] %s: %s, queue of %u, %s, %u segments%s, %u blocks a request, "
           "depth %u%s%s%s\n",
           vb->name, vb->vd.pci->device == VIRTIO_BLK_DEVICE_MODERN ? "modern" : "transitional",
           vb->vq.size, vb->vd.msix_vectors ? "MSI-X" : "INTx", vb->max_segs, size_max,
           vb->bdev.max_blocks, vb->bdev.queue_depth,
           virtio_has(&vb->vd, VIRTIO_F_RING_INDIRECT_DESC) ? ", indirect descriptors" : "",
           virtio_has(&vb->vd, VIRTIO_F_RING_EVENT_IDX) ? ", event index" : "",
           virtio_has(&vb->vd, VIRTIO_BLK_F_FLUSH) ? ", flush" : "");
}

/* The steps up to DRIVER_OK (virtio.h's order). */
static int virtio_blk_bring_up(struct virtio_blk *vb, struct pci_dev *pci)
{
    if (virtio_pci_attach(&vb->vd, pci, vb->name) != 0 ||
        virtio_negotiate(&vb->vd, VIRTIO_BLK_WANTED) != 0 || virtio_blk_geometry(vb) != 0)
        return -1;
    virtio_blk_limits(vb);
    if (virtio_irq_setup(&vb->vd, 1) != 0 ||
        virtio_queue_setup(&vb->vd, &vb->vq, 0, VIRTIO_BLK_QUEUE_MAX) != 0)
        return -1;
    virtio_blk_depth(vb);
    if (virtio_blk_slots_alloc(vb) != 0 || virtio_blk_irq(vb) != 0)
        return -1;
    virtio_driver_ok(&vb->vd);
    return 0;
}

static void virtio_blk_undo(struct virtio_blk *vb)
{
    virtio_fail(&vb->vd);
    if (vb->vd.pci->irq_kind)
        pci_irq_free(vb->vd.pci);
    virtio_blk_slots_free(vb);
    if (vb->vq.desc)
        virtqueue_free(&vb->vq);
    kfree(vb);
}

static int virtio_blk_probe(struct pci_dev *pci, const struct pci_match *match)
{
    struct virtio_blk *vb = kcalloc(1, sizeof(*vb));

    (void)match;
    if (!vb)
        return -1;
    format_snprintf(vb->name, sizeof(vb->name), "virtio-blk %02x:%02x.%x", pci->bus, pci->dev, pci->fn);
    vb->timeout_ns = VIRTIO_BLK_TIMEOUT_MS * NS_PER_MS;
    sem_init(&vb->wake, 0, "virtio-blk wake");
    if (virtio_blk_bring_up(vb, pci) != 0) {
        virtio_blk_undo(vb);
        return -1;
    }
    virtio_blk_model(vb);
    vb->bdev.ops = &virtio_blk_ops;
    vb->bdev.driver_data = vb;
    pci->driver_data = vb;
    virtio_blk_report(vb);
    vb->thread = thread_create("virtio-blk", virtio_blk_thread, vb, SCHED_PRIO_MAX);
    spin_lock(&virtio_blk_list_lock);
    vb->next = virtio_blk_list;
    virtio_blk_list = vb;
    spin_unlock(&virtio_blk_list_lock);
    return block_register(&vb->bdev, "vd", BLOCK_NAME_LETTER) == 0 ? 0 : -1;
}

static const struct pci_match virtio_blk_matches[] = {
    PCI_MATCH_ID(VIRTIO_PCI_VENDOR, VIRTIO_BLK_DEVICE_MODERN, 0),
    PCI_MATCH_ID(VIRTIO_PCI_VENDOR, VIRTIO_BLK_DEVICE_TRANSITIONAL, 0),
    { 0 },
};

static const struct pci_driver virtio_blk_driver = {
    .name = "virtio-blk",
    .matches = virtio_blk_matches,
    .probe = virtio_blk_probe,
};
PCI_DRIVER(virtio_blk_driver);
