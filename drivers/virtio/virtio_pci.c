/*
 * virtio_pci.c - the virtio 1.0 ("modern") PCI transport (virtio.h): the
 * vendor capabilities, the status handshake, feature negotiation, the
 * queue registers, notification and interrupts.
 *
 * Each vendor capability (virtio 1.0, 4.1.4) is
 *     cap_vndr 0x09, cap_next, cap_len, cfg_type, bar, pad[3], offset, length
 * with, for NOTIFY_CFG, a 32-bit notify_off_multiplier after it: queue q
 * is kicked by writing q at notify + queue_notify_off(q) x multiplier.
 * COMMON_CFG is the register block below (virtio_pci_common_cfg); a
 * transitional device (IDs 0x1000..0x103F, QEMU's default) has these
 * capabilities besides its legacy I/O BAR, and we use only them.
 *
 * Interrupts: MSI-X with one vector per queue (queue q on vector q, or all
 * on vector 0 when fewer were given); configuration changes are not
 * asked for (msix_config stays NO_VECTOR). Without MSI-X, the INTx line,
 * whose handler reads the ISR byte (virtio_isr) to see whether it was us.
 *
 * Rules: as virtio.h; registers are little-endian, as x86 is, and reached
 * with accesses of their own width (volatile).
 */
#include "virtio/virtio.h"

#include <stddef.h>

#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"
#include "virtio/virtqueue.h"

/* Vendor capability cfg_type values (virtio 1.0, 4.1.4). */
#define VIRTIO_PCI_CAP_COMMON_CFG   1
#define VIRTIO_PCI_CAP_NOTIFY_CFG   2
#define VIRTIO_PCI_CAP_ISR_CFG      3
#define VIRTIO_PCI_CAP_DEVICE_CFG   4

/* Fields of a vendor capability, from its start in configuration space. */
#define VIRTIO_CAP_CFG_TYPE         3
#define VIRTIO_CAP_BAR              4
#define VIRTIO_CAP_OFFSET           8
#define VIRTIO_CAP_LENGTH           12
#define VIRTIO_CAP_NOTIFY_MULT      16

/* COMMON_CFG (virtio 1.0, 4.1.4.3), checked against the spec's offsets below. */
struct virtio_pci_common_cfg {
    uint32_t device_feature_select;
    uint32_t device_feature;
    uint32_t driver_feature_select;
    uint32_t driver_feature;
    uint16_t msix_config;
    uint16_t num_queues;
    uint8_t  device_status;
    uint8_t  config_generation;
    uint16_t queue_select;
    uint16_t queue_size;
    uint16_t queue_msix_vector;
    uint16_t queue_enable;
    uint16_t queue_notify_off;
    uint64_t queue_desc;
    uint64_t queue_driver;
    uint64_t queue_device;
};
_Static_assert(offsetof(struct virtio_pci_common_cfg, msix_config) == 0x10, "virtio 1.0 4.1.4.3");
_Static_assert(offsetof(struct virtio_pci_common_cfg, device_status) == 0x14, "virtio 1.0 4.1.4.3");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_select) == 0x16, "virtio 1.0 4.1.4.3");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_desc) == 0x20, "virtio 1.0 4.1.4.3");
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 0x38, "virtio 1.0 4.1.4.3");

#define VIRTIO_COMMON(f)            offsetof(struct virtio_pci_common_cfg, f)
#define VIRTIO_RESET_WAIT_MS        1000
#define VIRTIO_PCI_MAX_CAPS         48          /* a capability list longer than this loops */

static uint8_t rd8(volatile uint8_t *base, unsigned off) { return *(volatile uint8_t *)(base + off); }
static uint16_t rd16(volatile uint8_t *base, unsigned off) { return *(volatile uint16_t *)(base + off); }
static uint32_t rd32(volatile uint8_t *base, unsigned off) { return *(volatile uint32_t *)(base + off); }
static void wr8(volatile uint8_t *base, unsigned off, uint8_t v) { *(volatile uint8_t *)(base + off) = v; }
static void wr16(volatile uint8_t *base, unsigned off, uint16_t v) { *(volatile uint16_t *)(base + off) = v; }
static void wr32(volatile uint8_t *base, unsigned off, uint32_t v) { *(volatile uint32_t *)(base + off) = v; }

/* A 64-bit queue address as two 32-bit writes (virtio 1.0 4.1.3.1 allows it; some hosts need it). */
static void wr64(volatile uint8_t *base, unsigned off, uint64_t v)
{
    wr32(base, off, (uint32_t)v);
    wr32(base, off + 4, (uint32_t)(v >> 32));
}

static uint8_t virtio_status(struct virtio_dev *vd)
{
    return rd8(vd->common, VIRTIO_COMMON(device_status));
}

static void virtio_add_status(struct virtio_dev *vd, uint8_t bits)
{
    wr8(vd->common, VIRTIO_COMMON(device_status), (uint8_t)(virtio_status(vd) | bits));
}

/* The next vendor capability after the one at `off` (0: the first), or 0. */
static unsigned virtio_pci_next_cap(struct pci_dev *pci, unsigned off)
{
    if (off == 0)
        return pci_find_cap(pci, PCI_CAP_ID_VENDOR);
    for (unsigned n = 0; n < VIRTIO_PCI_MAX_CAPS; n++) {
        off = pci_read8(pci, off + 1) & 0xFC;
        if (off == 0 || pci_read8(pci, off) == PCI_CAP_ID_VENDOR)
            return off;
    }
    return 0;
}

/* The kernel address of [offset, offset + length) in BAR bar, mapping it once; NULL if it is not there. */
static volatile uint8_t *virtio_pci_window(struct virtio_dev *vd, unsigned bar, uint32_t offset, uint32_t length)
{
    if (bar >= PCI_MAX_BARS || (vd->pci->bar[bar].flags & PCI_BAR_IO) ||
        (uint64_t)offset + length > vd->pci->bar[bar].size)
        return 0;
    if (!vd->bar_va[bar])
        vd->bar_va[bar] = pci_map_bar(vd->pci, bar, 0);
    return vd->bar_va[bar] ? (volatile uint8_t *)(vd->bar_va[bar] + offset) : 0;
}

/* Take the capability at off if it is the first usable one of its type (virtio 1.0 4.1.4.1). */
static void virtio_pci_take_cap(struct virtio_dev *vd, unsigned off)
{
    struct pci_dev *pci = vd->pci;
    uint8_t type = pci_read8(pci, off + VIRTIO_CAP_CFG_TYPE);
    uint32_t length = pci_read32(pci, off + VIRTIO_CAP_LENGTH);
    volatile uint8_t *w = virtio_pci_window(vd, pci_read8(pci, off + VIRTIO_CAP_BAR),
                                            pci_read32(pci, off + VIRTIO_CAP_OFFSET), length);

    if (!w)
        return;
    if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vd->common && length >= sizeof(struct virtio_pci_common_cfg))
        vd->common = w;
    else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vd->notify) {
        vd->notify = w;
        vd->notify_mult = pci_read32(pci, off + VIRTIO_CAP_NOTIFY_MULT);
    } else if (type == VIRTIO_PCI_CAP_ISR_CFG && !vd->isr && length >= 1)
        vd->isr = w;
    else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vd->device_cfg) {
        vd->device_cfg = w;
        vd->device_cfg_len = length;
    }
}

static int virtio_pci_find_caps(struct virtio_dev *vd)
{
    for (unsigned off = virtio_pci_next_cap(vd->pci, 0); off; off = virtio_pci_next_cap(vd->pci, off))
        virtio_pci_take_cap(vd, off);
    if (!vd->common && !vd->notify && !vd->isr) {
        printk(LOG_ERR, "virtio_pci_attach: %s: a legacy-only device (no virtio 1.0 capabilities): "
               "not supported, only the modern transport is\n", vd->name);
        return -1;
    }
    if (!vd->common || !vd->notify || !vd->isr) {
        printk(LOG_ERR, "virtio_pci_attach: %s: capability missing or outside its BAR:%s%s%s\n", vd->name,
               vd->common ? "" : " COMMON_CFG", vd->notify ? "" : " NOTIFY_CFG", vd->isr ? "" : " ISR_CFG");
        return -1;
    }
    return 0;
}

void virtio_reset(struct virtio_dev *vd)
{
    wr8(vd->common, VIRTIO_COMMON(device_status), 0);
    for (unsigned ms = 0; virtio_status(vd) != 0; ms++) {
        if (ms == VIRTIO_RESET_WAIT_MS) {
            printk(LOG_ERR, "virtio_reset: %s: status still 0x%02x after %u ms\n",
                   vd->name, virtio_status(vd), VIRTIO_RESET_WAIT_MS);
            return;
        }
        sched_sleep_ns(NS_PER_MS);
    }
}

int virtio_pci_attach(struct virtio_dev *vd, struct pci_dev *pci, const char *name)
{
    vd->pci = pci;
    vd->name = name;
    if (virtio_pci_find_caps(vd) != 0)
        return -1;
    pci_enable(pci, PCI_ENABLE_MEM | PCI_ENABLE_MASTER);
    virtio_reset(vd);
    virtio_add_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
    virtio_add_status(vd, VIRTIO_STATUS_DRIVER);
    return 0;
}

static uint64_t virtio_device_features(struct virtio_dev *vd)
{
    wr32(vd->common, VIRTIO_COMMON(device_feature_select), 0);
    uint64_t lo = rd32(vd->common, VIRTIO_COMMON(device_feature));
    wr32(vd->common, VIRTIO_COMMON(device_feature_select), 1);
    return lo | (uint64_t)rd32(vd->common, VIRTIO_COMMON(device_feature)) << 32;
}

/* Write vd->features, FEATURES_OK, and check that the device kept it. */
static int virtio_write_features(struct virtio_dev *vd)
{
    wr32(vd->common, VIRTIO_COMMON(driver_feature_select), 0);
    wr32(vd->common, VIRTIO_COMMON(driver_feature), (uint32_t)vd->features);
    wr32(vd->common, VIRTIO_COMMON(driver_feature_select), 1);
    wr32(vd->common, VIRTIO_COMMON(driver_feature), (uint32_t)(vd->features >> 32));
    virtio_add_status(vd, VIRTIO_STATUS_FEATURES_OK);
    if (!(virtio_status(vd) & VIRTIO_STATUS_FEATURES_OK)) {
        printk(LOG_ERR, "virtio_negotiate: %s: the device refused features 0x%llx (FEATURES_OK cleared)\n",
               vd->name, (unsigned long long)vd->features);
        return -1;
    }
    return 0;
}

int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted)
{
    vd->offered = virtio_device_features(vd);
    if (!(vd->offered & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
        printk(LOG_ERR, "virtio_negotiate: %s: VIRTIO_F_VERSION_1 not offered (features 0x%llx): "
               "a legacy-only device, not supported\n", vd->name, (unsigned long long)vd->offered);
        return -1;
    }
    vd->features = vd->offered & (wanted | VIRTIO_BIT(VIRTIO_F_VERSION_1));
    return virtio_write_features(vd);
}

int virtio_pci_restart(struct virtio_dev *vd)
{
    virtio_add_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
    virtio_add_status(vd, VIRTIO_STATUS_DRIVER);
    return virtio_write_features(vd);
}

int virtio_irq_setup(struct virtio_dev *vd, unsigned nqueues)
{
    int n = pci_irq_setup(vd->pci, 1, nqueues, PCI_IRQ_MSIX | PCI_IRQ_INTX);

    if (n < 0) {
        printk(LOG_ERR, "virtio_irq_setup: %s: no interrupt (MSI-X or INTx): error %d\n", vd->name, n);
        return -1;
    }
    vd->msix_vectors = vd->pci->irq_kind == PCI_IRQ_MSIX ? (unsigned)n : 0;
    wr16(vd->common, VIRTIO_COMMON(msix_config), VIRTIO_MSI_NO_VECTOR);
    return 0;
}

unsigned virtio_queue_vector(const struct virtio_dev *vd, unsigned index)
{
    return vd->msix_vectors > index ? index : 0;
}

/* Give the device queue vq's size, areas and vector, and enable it. */
static int virtio_queue_program(struct virtio_dev *vd, struct virtqueue *vq)
{
    volatile uint8_t *c = vd->common;

    wr16(c, VIRTIO_COMMON(queue_select), (uint16_t)vq->index);
    wr16(c, VIRTIO_COMMON(queue_size), (uint16_t)vq->size);
    wr64(c, VIRTIO_COMMON(queue_desc), vq->desc_bus);
    wr64(c, VIRTIO_COMMON(queue_driver), vq->avail_bus);
    wr64(c, VIRTIO_COMMON(queue_device), vq->used_bus);
    if (vd->msix_vectors) {
        uint16_t v = (uint16_t)virtio_queue_vector(vd, vq->index);

        wr16(c, VIRTIO_COMMON(queue_msix_vector), v);
        if (rd16(c, VIRTIO_COMMON(queue_msix_vector)) != v) {
            printk(LOG_ERR, "virtio_queue_setup: %s: queue %u refused MSI-X vector %u\n", vd->name, vq->index, v);
            return -1;
        }
    }
    vq->notify_off = rd16(c, VIRTIO_COMMON(queue_notify_off));
    wr16(c, VIRTIO_COMMON(queue_enable), 1);
    return 0;
}

int virtio_queue_setup(struct virtio_dev *vd, struct virtqueue *vq, unsigned index, unsigned max_size)
{
    wr16(vd->common, VIRTIO_COMMON(queue_select), (uint16_t)index);
    unsigned size = rd16(vd->common, VIRTIO_COMMON(queue_size));

    if (size == 0) {
        printk(LOG_ERR, "virtio_queue_setup: %s: queue %u absent (size 0)\n", vd->name, index);
        return -1;
    }
    while (size > max_size || (size & (size - 1)))
        size &= size - 1;               /* down to a power of two within max_size */
    if (size == 0 || virtqueue_alloc(vq, index, size, vd->name) != 0)
        return -1;
    vq->event_idx = virtio_has(vd, VIRTIO_F_RING_EVENT_IDX);
    return virtio_queue_program(vd, vq);
}

int virtio_queue_restart(struct virtio_dev *vd, struct virtqueue *vq)
{
    virtqueue_reset(vq);
    return virtio_queue_program(vd, vq);
}

void virtio_driver_ok(struct virtio_dev *vd)
{
    virtio_add_status(vd, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_fail(struct virtio_dev *vd)
{
    if (vd->common)
        virtio_add_status(vd, VIRTIO_STATUS_FAILED);
}

void virtio_notify(struct virtio_dev *vd, const struct virtqueue *vq)
{
    wr16(vd->notify, (unsigned)vq->notify_off * vd->notify_mult, (uint16_t)vq->index);
}

uint8_t virtio_isr(struct virtio_dev *vd)
{
    return rd8(vd->isr, 0);
}

/* Read one device-config field of `size` bytes until the generation counter holds still. */
static uint64_t virtio_cfg_read(struct virtio_dev *vd, unsigned off, unsigned size)
{
    uint8_t gen;
    uint64_t v;

    if (!vd->device_cfg || off + size > vd->device_cfg_len)
        return 0;
    do {
        gen = rd8(vd->common, VIRTIO_COMMON(config_generation));
        if (size == 1)
            v = rd8(vd->device_cfg, off);
        else if (size == 2)
            v = rd16(vd->device_cfg, off);
        else if (size == 4)
            v = rd32(vd->device_cfg, off);
        else
            v = rd32(vd->device_cfg, off) | (uint64_t)rd32(vd->device_cfg, off + 4) << 32;
    } while (gen != rd8(vd->common, VIRTIO_COMMON(config_generation)));
    return v;
}

uint8_t virtio_cfg_read8(struct virtio_dev *vd, unsigned off) { return (uint8_t)virtio_cfg_read(vd, off, 1); }
uint16_t virtio_cfg_read16(struct virtio_dev *vd, unsigned off) { return (uint16_t)virtio_cfg_read(vd, off, 2); }
uint32_t virtio_cfg_read32(struct virtio_dev *vd, unsigned off) { return (uint32_t)virtio_cfg_read(vd, off, 4); }
uint64_t virtio_cfg_read64(struct virtio_dev *vd, unsigned off) { return virtio_cfg_read(vd, off, 8); }
