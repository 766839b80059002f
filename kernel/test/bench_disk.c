/*
 * bench_disk.c - bench=disk (see bench.h): what one read costs through the
 * block layer and a disk driver, the way the Linux anchor's diskbench
 * measures it (../shared/anchors/linux/diskbench.c): queue depth 1, the
 * first whole disk registered (sda on an AHCI cell, the driver names the
 * rows), one bench: line each:
 *   disk_seq64k_DRIVER   64 KiB reads one after the other, continuing
 *                        through the disk (wrapping at its end)
 *   disk_rand4k_DRIVER   4 KiB reads at 4 KiB-aligned places from the
 *                        anchor's xorshift64 (seed 0x9E3779B97F4A7C15)
 * each the median of BENCH_TRIALS trials (bench_measure). The waiting
 * thread spins with sched_yield instead of sleeping, as Linux does with
 * idle=poll: under -icount shift=0,sleep=off a halted CPU would make QEMU
 * jump to the next timer deadline and count that, not the read
 * (the anchor's RESULTS.md explains). The tick keeps running (the
 * driver's timeouts need it), as Linux's does.
 */
#include <stdint.h>

#include "arch.h"
#include "block/blockdev.h"
#include "format.h"
#include "mm/heap.h"
#include "printk.h"
#include "sched/sched.h"
#include "test/bench.h"

#define SEQ_BYTES       (64 * 1024)
#define RAND_BYTES      4096
#define XORSHIFT_SEED   0x9E3779B97F4A7C15ULL

static struct block_device *disk;
static uint8_t *buf;
static uint64_t seq_next, rng = XORSHIFT_SEED;
static volatile int done;
static int failures;

static void on_done(struct block_request *req)
{
    (void)req;
    done = 1;
}

/* One read, queue depth 1, waited for by yielding (never halting). */
static void read_one(uint64_t block, uint32_t bytes)
{
    struct block_request req = { .op = BLOCK_READ, .block = block,
                                 .count = bytes / disk->block_size, .buf = buf,
                                 .done = on_done };

    done = 0;
    block_submit(disk, &req);
    while (!done) {
        arch_cpu_relax();               /* PAUSE: also lets QEMU's TCG loop take the I/O completion */
        sched_yield();
    }
    if (req.status)
        failures++;
}

static void op_seq64k(void)
{
    uint64_t per = SEQ_BYTES / disk->block_size;

    if (seq_next + per > disk->blocks)
        seq_next = 0;
    read_one(seq_next, SEQ_BYTES);
    seq_next += per;
}

static void op_rand4k(void)
{
    uint64_t places = disk->blocks * disk->block_size / RAND_BYTES;

    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    read_one(rng % places * (RAND_BYTES / disk->block_size), RAND_BYTES);
}

static struct block_device *first_disk(void)
{
    for (struct block_device *d = block_first(); d; d = d->next)
        if (!d->disk)
            return d;
    return 0;
}

int bench_disk_run(void)
{
    char name[48];

    disk = first_disk();
    buf = kmalloc_aligned(SEQ_BYTES, 4096);
    if (!disk || !buf) {
        printk(LOG_ERR, "bench: bench=disk needs a disk and %u bytes: %s\n", SEQ_BYTES,
               disk ? "out of memory" : "no block device registered");
        return -1;
    }
    printk(LOG_INFO, "bench: disk %s (%s), %llu blocks of %u bytes\n", disk->name,
           disk->ops->driver, (unsigned long long)disk->blocks, disk->block_size);
    format_snprintf(name, sizeof name, "disk_seq64k_%s", disk->ops->driver);
    bench_measure(name, op_seq64k);
    format_snprintf(name, sizeof name, "disk_rand4k_%s", disk->ops->driver);
    bench_measure(name, op_rand4k);
    if (failures)
        printk(LOG_ERR, "bench: %d reads failed\n", failures);
    kfree(buf);
    return failures ? -1 : 0;
}
