/*
 * bench_disk.c - bench=disk (see bench.h): what one read costs through the
 * block layer and a disk driver, the way the Linux anchor's diskbench
 * measures it (../shared/anchors/linux/diskbench.c): queue depth 1, on the
 * disk the command line names with bench_disk=NAME (vda, nvme0n1, sda; a
 * partition such as sda1 reads through its disk's driver), else the first
 * whole disk registered. The disk's driver (block_ops.driver: ahci,
 * virtio-blk, nvme, ata) names the rows, one bench: line each:
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
#include "boot/bootinfo_view.h"
#include "cmdline.h"
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

/*
 * The device the word bench_disk=NAME names, else the first whole disk.
 * NULL, with the reason in *why, when there is none or NAME is no device
 * (cmdline_number tells that the key is present: its value is no number).
 */
static struct block_device *chosen_disk(const char **why)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t unused;
    char word[48];

    for (struct block_device *d = block_first(); d; d = d->next) {
        format_snprintf(word, sizeof word, "bench_disk=%s", d->name);
        if (cmdline_has_word(cmdline, len, word))
            return d;
    }
    *why = "bench_disk= names no registered block device";
    if (cmdline_number(cmdline, len, "bench_disk", &unused) != 0)
        return 0;
    *why = "no block device registered";
    return first_disk();
}

int bench_disk_run(void)
{
    const char *why, *driver;
    char name[48];

    disk = chosen_disk(&why);
    buf = disk ? kmalloc_aligned(SEQ_BYTES, 4096) : 0;
    if (!buf) {
        printk(LOG_ERR, "bench_disk_run: bench=disk needs a disk and %u bytes: %s\n", SEQ_BYTES,
               disk ? "out of memory" : why);
        return -1;
    }
    driver = (disk->disk ? disk->disk : disk)->ops->driver;
    printk(LOG_INFO, "bench: disk %s (%s), %llu blocks of %u bytes\n", disk->name, driver,
           (unsigned long long)disk->blocks, disk->block_size);
    format_snprintf(name, sizeof name, "disk_seq64k_%s", driver);
    bench_measure(name, op_seq64k);
    format_snprintf(name, sizeof name, "disk_rand4k_%s", driver);
    bench_measure(name, op_rand4k);
    if (failures)
        printk(LOG_ERR, "bench_disk_run: %d of the reads failed\n", failures);
    kfree(buf);
    return failures ? -1 : 0;
}
