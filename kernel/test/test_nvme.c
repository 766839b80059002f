/*
 * test_nvme.c - ktests for the NVMe driver (drivers/nvme/), on the first
 * namespace of the first controller; each skips on a machine without one
 * (tests/qemu/ktest.sh knows from a cell's QEMU arguments which must).
 *
 *   nvme_queues_per_cpu      one I/O queue pair per CPU with MSI-X (the
 *                            CPU count is ACPI's): a read from a thread
 *                            pinned to each CPU goes through that CPU's pair
 *                            and its completion interrupt arrives on that CPU
 *   nvme_prp_paths_agree     the same 64 KiB read three ways: one command
 *                            with a PRP list from a mid-page start, one
 *                            block per command (PRP1 only), and from an odd
 *                            address (the bounce buffer, counted): the bytes
 *                            agree (the readback cells check them against the
 *                            host's file)
 *   nvme_read_error_reported nvme_bad_block=N on the command line: the cell's
 *                            blkdebug fails a read of sector N once; the read
 *                            returns BLOCK_EIO (the cell checks the reported
 *                            line names sector N), the next one succeeds
 */
#include <stdint.h>
#include <string.h>

#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/heap.h"
#include "nvme/nvme.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"

#define PATHS_BYTES     (64 * 1024)

/* 1 when key=N is on the command line (N in *value when value is not NULL). */
static int knob(const char *key, uint64_t *value)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    uint64_t v;

    if (cmdline_number(cmdline, len, key, &v) != 1)
        return 0;
    if (value)
        *value = v;
    return 1;
}

static struct nvme_ns *first_ns(struct ktest *t)
{
    struct nvme_ctrl *c = nvme_first();

    if (!c) {
        KTEST_SKIP(t, "no NVMe controller");
        return 0;
    }
    if (c->nns == 0) {
        KTEST_SKIP(t, "%s has no namespace the driver serves", c->name);
        return 0;
    }
    return c->ns[0];
}

struct cpu_read {
    struct nvme_ns *ns;
    void *buf;
    int status;
};

static void read_here(void *arg)
{
    struct cpu_read *r = arg;

    r->status = block_read(&r->ns->bdev, 0, 1, r->buf);
}

/* A one-block read from a thread pinned to cpu: 0, or a failure recorded. */
static int read_on_cpu(struct ktest *t, struct nvme_ns *ns, int cpu, void *buf)
{
    struct cpu_read r = { ns, buf, 1 };
    struct thread *th = thread_create_on("nvme ktest", read_here, &r, SCHED_PRIO_DEFAULT, cpu);

    if (!KTEST_ASSERT(t, th != 0))
        return -1;
    thread_join(th);
    return KTEST_ASSERT_EQ(t, r.status, 0) ? 0 : -1;
}

void ktest_nvme_queues_per_cpu(struct ktest *t)
{
    struct nvme_ns *ns = first_ns(t);
    struct nvme_ctrl *c;
    unsigned cpus = sched_cpus();
    void *buf;

    if (!ns)
        return;
    c = ns->ctrl;
    if (c->irq_kind != PCI_IRQ_MSIX) {
        KTEST_SKIP(t, "%s has no MSI-X: one queue pair", c->name);
        return;
    }
    if (!KTEST_ASSERT_EQ(t, c->nq, cpus < NVME_MAX_IO_QUEUES ? cpus : NVME_MAX_IO_QUEUES))
        return;
    if (!KTEST_ASSERT(t, (buf = kmalloc(ns->bdev.block_size)) != 0))
        return;
    for (unsigned cpu = 0; cpu < cpus && cpu < c->nq; cpu++) {
        struct nvme_queue *q = nvme_queue_of_cpu(c, (int)cpu);
        uint64_t done0 = q->stat_completions, irqs0 = q->stat_irqs;

        KTEST_ASSERT_EQ(t, q->cpu, cpu);
        if (read_on_cpu(t, ns, (int)cpu, buf) < 0)
            break;
        KTEST_ASSERT(t, q->stat_completions > done0);
        KTEST_ASSERT(t, q->stat_irqs > irqs0);
        KTEST_ASSERT_EQ(t, q->stat_irqs_elsewhere, 0);
    }
    kfree(buf);
}

/* Read the first PATHS_BYTES of ns into buf in `per` blocks a command: 0 or BLOCK_E*. */
static int read_in_pieces(struct nvme_ns *ns, uint8_t *buf, uint32_t per)
{
    uint32_t n = PATHS_BYTES / ns->bdev.block_size;

    for (uint32_t b = 0; b < n; b += per) {
        int rc = block_read(&ns->bdev, b, per, buf + (size_t)b * ns->bdev.block_size);

        if (rc != 0)
            return rc;
    }
    return 0;
}

void ktest_nvme_prp_paths_agree(struct ktest *t)
{
    struct nvme_ns *ns = first_ns(t);
    uint8_t *whole, *single;
    uint64_t bounces0;

    if (!ns)
        return;
    whole = kmalloc_aligned(PATHS_BYTES + 4096, 4096);
    single = kmalloc(PATHS_BYTES);
    if (!KTEST_ASSERT(t, whole && single))
        goto out;
    /* from 512 bytes into a page: PRP1 mid-page, then a PRP list */
    KTEST_ASSERT_EQ(t, read_in_pieces(ns, whole + 512, PATHS_BYTES / ns->bdev.block_size), 0);
    KTEST_ASSERT_EQ(t, read_in_pieces(ns, single, 1), 0);
    KTEST_ASSERT(t, memcmp(whole + 512, single, PATHS_BYTES) == 0);
    /* from an odd address: PRP1 must be dword aligned, so through the bounce buffer */
    bounces0 = ns->ctrl->stat_bounces;
    memset(whole, 0, PATHS_BYTES + 4096);
    KTEST_ASSERT_EQ(t, read_in_pieces(ns, whole + 1, PATHS_BYTES / ns->bdev.block_size), 0);
    KTEST_ASSERT(t, ns->ctrl->stat_bounces > bounces0);
    KTEST_ASSERT(t, memcmp(whole + 1, single, PATHS_BYTES) == 0);
out:
    kfree(whole);
    kfree(single);
}

void ktest_nvme_read_error_reported(struct ktest *t)
{
    uint64_t bad;
    struct nvme_ns *ns;
    void *buf;

    if (!knob("nvme_bad_block", &bad)) {
        KTEST_SKIP(t, "no nvme_bad_block= on the command line (no blkdebug disk)");
        return;
    }
    if (!(ns = first_ns(t)) || !KTEST_ASSERT(t, (buf = kmalloc(ns->bdev.block_size)) != 0))
        return;
    KTEST_ASSERT_EQ(t, block_read(&ns->bdev, bad, 1, buf), BLOCK_EIO);
    KTEST_ASSERT_EQ(t, block_read(&ns->bdev, bad, 1, buf), 0);      /* blkdebug fails it once */
    kfree(buf);
}

