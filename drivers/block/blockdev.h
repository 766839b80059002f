/*
 * blockdev.h - block devices and their requests (blockdev.c, the queue in
 * blkqueue.c, partitions in partition.c): what a disk driver offers and
 * what file systems and the buffer cache (bcache.h) use.
 *
 * A block device reads and writes whole logical blocks (512 or 4096
 * bytes) at a block number. Drivers register their disks; the block layer
 * names them as Linux does (sda, sdb for ATA and AHCI disks, nvme0n1 for
 * an NVMe namespace, vda for virtio, ram0), logs
 *     [blk] NAME: N sectors of N bytes, MODEL (DRIVER)
 * reads the partition table and registers each partition as a block
 * device of its own (sda1, nvme0n1p1: a "p" when the name ends in a
 * digit), whose requests are shifted by the partition's start.
 *
 * Requests are asynchronous: block_submit queues one and returns; when it
 * is done, req->done(req) runs with req->status (0 or a negative
 * BLOCK_E*). block_read / block_write / block_flush submit and wait.
 * The queue (blkqueue.c) keeps up to `queue_depth` requests in flight per
 * device, merges a request with the pending one it continues (same
 * direction, contiguous, both buffers contiguous in memory), and splits one
 * bigger than `max_blocks` into pieces, completing the caller's request
 * when the last piece completes.
 *
 * The driver's side: ops->start(dev, req) starts one request on the
 * hardware (in the submitter's thread, no spinlock held; it must not
 * sleep long: a full hardware queue means the block layer already held it
 * back). The driver calls block_complete(dev, req, status) exactly once per
 * started request, from a thread (its completion thread, woken by its
 * interrupt, so it may dma_unmap there; never from the interrupt itself).
 * Every command has a timeout in the driver: a device that stops
 * answering completes its requests with BLOCK_ETIMEDOUT.
 *
 * Flush: a FLUSH request completes when every write completed before it
 * was submitted is on stable media (the driver sends its cache flush).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sync/spinlock.h"

#define BLOCK_NAME_LEN      16
#define BLOCK_MODEL_LEN     41

/* Request operations. */
#define BLOCK_READ          0
#define BLOCK_WRITE         1
#define BLOCK_FLUSH         2

/* Request status: 0 or one of these. */
#define BLOCK_EIO           (-5)        /* the device reported an error */
#define BLOCK_EINVAL        (-22)       /* beyond the end, misaligned, no such op */
#define BLOCK_EROFS         (-30)       /* a write to a read-only device */
#define BLOCK_ETIMEDOUT     (-110)      /* the device did not answer */
#define BLOCK_ENOMEM        (-12)

struct block_device;

struct block_request {
    unsigned op;                        /* BLOCK_READ, BLOCK_WRITE, BLOCK_FLUSH */
    uint64_t block;                     /* first logical block, on this device */
    uint32_t count;                     /* logical blocks (0 for a flush) */
    void *buf;                          /* count * block_size bytes, kernel address */
    void (*done)(struct block_request *req);    /* thread context */
    void *ctx;                          /* for done */
    int status;                         /* set before done runs */

    /* private: the queue's */
    struct block_device *dev;
    struct block_request *next;         /* pending list, or a merge chain */
    struct block_request *parent;       /* a split piece's whole request */
    uint32_t pieces_left;
    uint64_t hw_block;                  /* block on the whole disk (partition shift applied) */
    void *driver_priv;                  /* for the driver while started */
};

struct block_ops {
    const char *driver;                 /* "ahci", "nvme", "ata", "virtio-blk", "ramdisk" */
    /* Start req on the hardware: 0, or a negative BLOCK_E* (then not started). */
    int (*start)(struct block_device *dev, struct block_request *req);
};

struct block_device {
    char name[BLOCK_NAME_LEN];          /* set by block_register */
    char model[BLOCK_MODEL_LEN];
    uint32_t block_size;                /* logical: 512 or 4096 */
    uint32_t physical_block_size;
    uint64_t blocks;                    /* capacity in logical blocks */
    int read_only;
    uint32_t max_blocks;                /* largest request the driver takes (0: no limit) */
    uint32_t queue_depth;               /* requests in flight at once, >= 1 */
    uint64_t dma_limit;                 /* highest bus address it reaches (dma.h) */
    const struct block_ops *ops;        /* NULL on a partition: its disk's are used */
    void *driver_data;

    /* a partition: its disk and first block there */
    struct block_device *disk;          /* NULL on a whole disk */
    uint64_t first_block;
    unsigned part_index;                /* 1-based */
    uint8_t part_guid[16];              /* GPT unique partition GUID, zero on MBR */
    uint32_t mbr_signature;             /* the disk's (whole disks and partitions) */

    /* private: the queue's, guarded by lock */
    struct spinlock lock;
    struct block_request *pending_head, *pending_tail;
    uint32_t in_flight;
    uint64_t stat_reads, stat_writes, stat_merges, stat_splits, stat_errors;
    struct block_device *next;          /* every device, in registration order */
};

/* Name prefixes block_register numbers from: "sd" -> sda, sdb; "vd" -> vda;
 * "nvme0n" -> nvme0n1 (numbered from 1); "ram" -> ram0. */
#define BLOCK_NAME_LETTER   0           /* sda, sdb, ... */
#define BLOCK_NAME_NUMBER0  1           /* ram0, ram1, ... */
#define BLOCK_NAME_NUMBER1  2           /* nvme0n1, nvme0n2, ... */

/* The name block_register gives the n-th (from 0) whole disk of prefix and
 * style, and partition `index` of the disk named disk_name ("sda" 1 ->
 * "sda1", "nvme0n1" 1 -> "nvme0n1p1"): 0, or -1 when it does not fit in
 * BLOCK_NAME_LEN. Exported for the ktests of the naming rules. */
int block_disk_name(char *out, const char *prefix, int style, unsigned n);
int block_part_name(char *out, const char *disk_name, unsigned index);

/* Register a whole disk: name it (`prefix` and `style`), log its line,
 * read its partition table and register each partition. 0 or BLOCK_E*. */
int block_register(struct block_device *dev, const char *prefix, int style);

/* Queue a request (fields op..ctx set); its done runs later. */
void block_submit(struct block_device *dev, struct block_request *req);
/* The driver's completion of a started request (thread context). */
void block_complete(struct block_device *dev, struct block_request *req, int status);

/* Synchronous forms: 0 or BLOCK_E*. */
int block_read(struct block_device *dev, uint64_t block, uint32_t count, void *buf);
int block_write(struct block_device *dev, uint64_t block, uint32_t count, const void *buf);
int block_flush(struct block_device *dev);

/* Lookups: by name ("sda1"); every device in registration order. */
struct block_device *block_find(const char *name);
struct block_device *block_first(void);
/* The text of dev's "[blk] NAME: N sectors of N bytes, MODEL (DRIVER)" line (the monitor's lsblk). */
#define BLOCK_DESCRIBE_MAX  (BLOCK_NAME_LEN + BLOCK_MODEL_LEN + 64)
int block_describe(const struct block_device *dev, char *buf, size_t size);

/* The boot partition the loader recorded (bootinfo's bootdev), or NULL. */
struct block_device *block_boot_device(void);
