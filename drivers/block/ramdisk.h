/*
 * ramdisk.h - a block device over memory (ramdisk.c): the disk images the
 * loader brings as boot modules (storage.c registers every module whose
 * name ends in ".img" as ram0, ram1, ... in boot.cfg order), and the disks
 * the ktests make in the heap to drive the queue (blkqueue.c) where they
 * can see every request.
 *
 * It behaves as a driver does: ops->start only queues the request and
 * wakes the disk's completion thread, which copies the bytes and calls
 * block_complete; FLUSH completes at once (memory is the stable medium).
 * Writes change the memory (a module's too: nothing goes back to the file).
 *
 * For tests: ramdisk_hold stops the thread before the next request (so
 * requests pile up in the queue and merge), ramdisk_release lets it go on;
 * fail_block makes any request touching that block complete with
 * BLOCK_EIO; the counters say what the "hardware" was given; `written`
 * sees the disk after every write, one write at a time.
 */
#pragma once

#include <stdint.h>

#include "block/blockdev.h"
#include "sync/semaphore.h"

struct thread;

#define RAMDISK_LOG_MAX     16

struct ramdisk {
    struct block_device dev;
    uint8_t *data;
    struct thread *thread;
    struct semaphore work;              /* one unit per started request (and the stop) */
    struct semaphore gate;              /* held by ramdisk_hold */
    struct spinlock lock;               /* guards queue_head/queue_tail, stopping */
    struct block_request *queue_head, *queue_tail;
    int stopping;
    /* for tests */
    uint64_t fail_block;                /* a request touching it fails; ~0: none */
    volatile uint32_t starts, max_in_flight;
    uint32_t start_count[RAMDISK_LOG_MAX];      /* blocks of each request started, the first few */
    uint8_t start_op[RAMDISK_LOG_MAX];          /* and its op */
    /* Called by the disk's thread after each write reached the memory, before it completes:
     * the disk as a crash right then would leave it (kernel/test/test_fat_order.c). */
    void (*written)(struct ramdisk *rd, uint64_t block, uint32_t count);
    void *test;                                 /* for `written` */
};

/*
 * Make a RAM disk over data[0 .. blocks * block_size) and start its
 * completion thread; model is copied. Not registered: block_register(&rd->dev,
 * "ram", BLOCK_NAME_NUMBER0) names it and reads its partitions. 0 or BLOCK_E*.
 */
int ramdisk_init(struct ramdisk *rd, void *data, uint64_t blocks, uint32_t block_size,
                 const char *model, uint32_t max_blocks, uint32_t queue_depth);
/* Stop and join the thread of an unregistered disk (tests); no request may be in flight. */
void ramdisk_stop(struct ramdisk *rd);

void ramdisk_hold(struct ramdisk *rd);
void ramdisk_release(struct ramdisk *rd);
