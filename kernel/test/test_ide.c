/*
 * test_ide.c - the IDE driver's own ktest (drivers/ata/ide*.c); the
 * read-back and the scratch writes are the shared disk checks
 * (test_block_disks.c), run on the IDE cells (tests/qemu/ide-disks.sh).
 *
 *   ide_read_error   on an IDE disk whose block 0 begins with
 *                    "TESSERA-BADSECTOR N" (the host made it, and told
 *                    QEMU's blkdebug to fail every read of sector N):
 *                    sector N reads as BLOCK_EIO, sectors N-1 and N+1 read
 *                    fine before and after it (the driver reports the
 *                    error and goes on; the cell checks its log line names
 *                    sector N). Skipped when there is no such disk.
 *   ide_dma_above_4g   the first 64 KiB of an IDE disk read by DMA into a
 *                    buffer above 4 GiB (which the PIIX's 32-bit PRDs cannot
 *                    reach: the driver's DMA_LIMIT_32BIT must bounce it)
 *                    equal what a read into the heap gives. Skipped without
 *                    an IDE disk or free memory above 4 GiB.
 */
#include <string.h>

#include "arch.h"
#include "ata/ide.h"
#include "block/blockdev.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "test/ktest.h"
#include "test/test_high.h"

#define BAD_MAGIC "TESSERA-BADSECTOR "
#define SPAN      (64 * 1024)

/* The IDE whole disk whose block 0 names a bad sector: the disk, *sector set; or NULL. */
static struct block_device *find_marked(uint8_t *buf, uint64_t *sector)
{
    for (struct block_device *d = block_first(); d; d = d->next) {
        const char *p = (const char *)buf + sizeof BAD_MAGIC - 1;

        if (d->disk || d->ops != &ide_block_ops || block_read(d, 0, 1, buf) != 0 ||
            memcmp(buf, BAD_MAGIC, sizeof BAD_MAGIC - 1) != 0)
            continue;
        for (*sector = 0; *p >= '0' && *p <= '9'; p++)
            *sector = *sector * 10 + (uint64_t)(*p - '0');
        return d;
    }
    return NULL;
}

void ktest_ide_read_error(struct ktest *t)
{
    uint8_t *buf = kmalloc(IDE_SECTOR);
    struct block_device *d;
    uint64_t n = 0;

    if (!KTEST_ASSERT(t, buf != NULL))
        return;
    d = find_marked(buf, &n);
    if (!d) {
        KTEST_SKIP(t, "no IDE disk whose block 0 begins with " BAD_MAGIC "N");
    } else if (KTEST_ASSERT(t, n >= 1 && n + 1 < d->blocks)) {
        KTEST_ASSERT_EQ(t, block_read(d, n - 1, 1, buf), 0);
        KTEST_ASSERT_EQ(t, (int64_t)block_read(d, n, 1, buf), (int64_t)BLOCK_EIO);
        KTEST_ASSERT_EQ(t, block_read(d, n + 1, 1, buf), 0);
    }
    kfree(buf);
}

void ktest_ide_dma_above_4g(struct ktest *t)
{
    struct block_device *d = block_first();
    uint8_t *low, *high;
    uint64_t phys;

    while (d && (d->disk || d->ops != &ide_block_ops || d->blocks < SPAN / IDE_SECTOR))
        d = d->next;
    if (!d) {
        KTEST_SKIP(t, "no IDE disk");
        return;
    }
    if ((phys = ktest_block_above_4g()) == 0) {
        KTEST_SKIP(t, "no free memory above 4 GiB");
        return;
    }
    high = arch_phys_to_virt(phys);
    low = kmalloc(SPAN);
    if (KTEST_ASSERT(t, low != NULL)) {
        memset(high, 0xA5, SPAN);
        KTEST_ASSERT_EQ(t, block_read(d, 0, SPAN / IDE_SECTOR, low), 0);
        KTEST_ASSERT_EQ(t, block_read(d, 0, SPAN / IDE_SECTOR, high), 0);
        KTEST_ASSERT(t, memcmp(low, high, SPAN) == 0);
    }
    kfree(low);
    mm_frame_free_2m(phys);
}
