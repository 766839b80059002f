/*
 * bench_virtio.c - bench=virtio: reads from the first virtio-blk disk
 * (drivers/virtio/) at queue depth 1, as the Linux anchor's diskbench
 * (../shared/anchors/linux/diskbench.c) reads a raw disk with O_DIRECT:
 *   virtio_seq64k   64 KiB reads, sequential, on through the disk (from
 *                   block 0 again at its end)
 *   virtio_rand4k   4 KiB reads at 4 KiB-aligned offsets drawn by xorshift64
 *                   from the anchor's seed, 0x9E3779B97F4A7C15
 * one "bench: NAME tsc_per_op=N ns_per_op=M" line each (bench.h), then
 * "bench: virtio_errors N". The waiting thread never sleeps: it spins on
 * `pause` until the request's done has run (the interrupt's return switches
 * to the completion thread, a higher priority), as the anchor's idle=poll
 * does, so under -icount the count is the work of a request (submit, the
 * driver, the interrupt, the completion thread) plus a few instructions a
 * spin, not the virtual clock's jump to the next timer that a halted CPU
 * would take. tests/bench/virtio-bench.sh
 * boots it and prints the rows beside Linux's.
 */
#include <stdint.h>

#include "arch.h"
#include "block/blockdev.h"
#include "mm/heap.h"
#include "printk.h"
#include "test/bench.h"
#include "virtio/virtio_blk.h"

#define SEQ_BYTES   (64 * 1024)
#define RAND_BYTES  4096
#define RAND_SEED   0x9E3779B97F4A7C15ULL

static struct block_device *bench_disk;
static uint8_t *bench_buf;
static uint64_t bench_next, bench_rng = RAND_SEED;
static unsigned bench_errors;
static volatile int bench_done;

static void bench_on_done(struct block_request *req)
{
    (void)req;
    bench_done = 1;
}

static void bench_read(uint64_t block, uint32_t count)
{
    struct block_request req = { .op = BLOCK_READ, .block = block, .count = count, .buf = bench_buf,
                                 .done = bench_on_done };

    bench_done = 0;
    block_submit(bench_disk, &req);
    while (!bench_done)
        arch_cpu_relax();               /* the interrupt's return switches to the completion thread */
    bench_errors += req.status != 0;
}

static void op_seq64k(void)
{
    uint32_t n = SEQ_BYTES / bench_disk->block_size;

    if (bench_next + n > bench_disk->blocks)
        bench_next = 0;
    bench_read(bench_next, n);
    bench_next += n;
}

static void op_rand4k(void)
{
    uint32_t n = RAND_BYTES / bench_disk->block_size;

    bench_rng ^= bench_rng << 13;
    bench_rng ^= bench_rng >> 7;
    bench_rng ^= bench_rng << 17;
    bench_read(bench_rng % (bench_disk->blocks / n) * n, n);
}

int bench_virtio_run(void)
{
    struct virtio_blk *vb = virtio_blk_first();

    if (!vb || !(bench_buf = kmalloc(SEQ_BYTES))) {
        printk(LOG_WARN, "bench: virtio: %s\n", vb ? "no memory" : "no virtio-blk disk");
        return 1;
    }
    bench_disk = &vb->bdev;
    printk(LOG_INFO, "bench: virtio disk %s, %llu blocks of %u bytes\n", bench_disk->name,
           (unsigned long long)bench_disk->blocks, bench_disk->block_size);
    bench_measure("virtio_seq64k", op_seq64k);
    bench_measure("virtio_rand4k", op_rand4k);
    printk(LOG_INFO, "bench: virtio_errors %u\n", bench_errors);
    kfree(bench_buf);
    return bench_errors != 0;
}
