/*
 * virtio.h - a virtio device over the modern (virtio 1.0) PCI transport
 * (virtio_pci.c): what a virtio driver (virtio_blk.c) calls to bring its
 * device up, and the virtqueues it talks through (virtqueue.h).
 *
 * A virtio PCI device describes itself with vendor capabilities
 * (PCI_CAP_ID_VENDOR) in its configuration space, each pointing into one
 * of its BARs: COMMON_CFG (features, status, queue registers), NOTIFY_CFG
 * (where to write a queue's number to kick it), ISR_CFG (the interrupt
 * status byte, for INTx) and DEVICE_CFG (the device type's own fields: a
 * disk's capacity). A legacy-only device (the 0.9 I/O-port interface, no
 * such capabilities) is refused.
 *
 * Bring-up, in the order the spec (section 3.1.1) requires:
 *   virtio_pci_attach   find the capabilities, map the BARs, enable the
 *                       function, reset, then ACKNOWLEDGE and DRIVER
 *   virtio_negotiate    read the device's features, keep those the driver
 *                       wants, VIRTIO_F_VERSION_1 required; FEATURES_OK,
 *                       read back: the device accepted them
 *   virtio_irq_setup    MSI-X: a vector per queue (virtio_queue_vector);
 *                       else the INTx line, its handler reading the ISR
 *   virtio_queue_setup  per queue: its size, its three areas, its vector
 *   virtio_driver_ok    DRIVER_OK: the device may use its queues
 * virtio_reset returns the device to its first state (status 0): queues
 * forgotten, every buffer it held given up; the driver sets it up again
 * with virtio_pci_restart, virtio_queue_restart and virtio_driver_ok.
 *
 * Rules: one thread brings a device up or resets it at a time (its
 * driver's probe, then its completion thread). virtio_notify may be
 * called from any thread once the queue is set up.
 */
#pragma once

#include <stdint.h>

#include "pci/pci.h"

struct virtqueue;

/* PCI IDs: the modern ID is 0x1040 + the virtio device type; transitional
 * devices keep the legacy IDs 0x1000..0x103F (virtio 1.0, 4.1.2.1). */
#define VIRTIO_PCI_VENDOR           0x1AF4

/* Device status bits (virtio 1.0, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE   1
#define VIRTIO_STATUS_DRIVER        2
#define VIRTIO_STATUS_DRIVER_OK     4
#define VIRTIO_STATUS_FEATURES_OK   8
#define VIRTIO_STATUS_NEEDS_RESET   64
#define VIRTIO_STATUS_FAILED        128

/* Feature bits common to every device type (virtio 1.0, 6). */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32

#define VIRTIO_BIT(f)               (1ULL << (f))

/* An MSI-X vector number meaning "none" (virtio 1.0, 4.1.5.1.2). */
#define VIRTIO_MSI_NO_VECTOR        0xFFFF

struct virtio_dev {
    struct pci_dev *pci;
    const char *name;                   /* for messages: "virtio-blk 00:04.0" */
    volatile uint8_t *common;           /* COMMON_CFG */
    volatile uint8_t *notify;           /* NOTIFY_CFG's base */
    uint32_t notify_mult;               /* notify_off_multiplier */
    volatile uint8_t *isr;              /* ISR_CFG: one byte, cleared by reading */
    volatile uint8_t *device_cfg;       /* DEVICE_CFG */
    uint32_t device_cfg_len;
    uint64_t bar_va[PCI_MAX_BARS];      /* BARs mapped so far (0: not mapped) */
    uint64_t offered;                   /* the device's features */
    uint64_t features;                  /* negotiated: what both sides use */
    unsigned msix_vectors;              /* MSI-X vectors set up; 0: INTx */
};

/* Bring-up and reset (above). 0, or -1 after a message naming the step. */
int virtio_pci_attach(struct virtio_dev *vd, struct pci_dev *pci, const char *name);
int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted);
int virtio_irq_setup(struct virtio_dev *vd, unsigned nqueues);
int virtio_queue_setup(struct virtio_dev *vd, struct virtqueue *vq, unsigned index, unsigned max_size);
/* The interrupt (pci_irq_request's index) queue `index` raises. */
unsigned virtio_queue_vector(const struct virtio_dev *vd, unsigned index);
void virtio_driver_ok(struct virtio_dev *vd);
void virtio_reset(struct virtio_dev *vd);
/* After virtio_reset: ACKNOWLEDGE, DRIVER and the features negotiated before. */
int virtio_pci_restart(struct virtio_dev *vd);
/* After virtio_pci_restart: the queue emptied and given to the device again. */
int virtio_queue_restart(struct virtio_dev *vd, struct virtqueue *vq);
/* Tell the device it failed to set up (FAILED): it stays quiet. */
void virtio_fail(struct virtio_dev *vd);

/* Kick queue vq: its new available entries are there to read. */
void virtio_notify(struct virtio_dev *vd, const struct virtqueue *vq);
/* INTx: the ISR byte (bit 0 a queue, bit 1 the configuration), cleared by the read. */
uint8_t virtio_isr(struct virtio_dev *vd);

/* The device-specific configuration, read consistently (generation counter). */
uint8_t virtio_cfg_read8(struct virtio_dev *vd, unsigned off);
uint16_t virtio_cfg_read16(struct virtio_dev *vd, unsigned off);
uint32_t virtio_cfg_read32(struct virtio_dev *vd, unsigned off);
uint64_t virtio_cfg_read64(struct virtio_dev *vd, unsigned off);

static inline int virtio_has(const struct virtio_dev *vd, unsigned feature)
{
    return (vd->features & VIRTIO_BIT(feature)) != 0;
}
