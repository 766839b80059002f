/*
 * fuzz_partition.c - libFuzzer target for the partition table parser
 * (drivers/block/partition.c, as the kernel runs it).
 *
 * Input: byte 0 chooses the block size (512 << (b & 3)) and whether to fix
 * up the primary GPT's CRCs (b & 4: so the fuzzer gets past the CRC checks
 * into the entry array and the backup path without finding two CRC-32s),
 * bytes 1..8 the disk's size in blocks (little-endian, any value: huge ones
 * test the bounds arithmetic), the rest the disk's first bytes (blocks
 * beyond read as zeros). Besides ASan and UBSan, the parser must never read
 * outside the disk, and every partition it reports must lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "block/crc32.h"
#include "block/partition.h"

#define PARAM_BYTES 9

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fdisk {
    uint8_t *data;
    size_t size;
    uint32_t bs;
    uint64_t blocks;
};

static int fdisk_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
    const struct fdisk *d = ctx;
    uint64_t off = block * d->bs, len = (uint64_t)count * d->bs;

    if (count == 0 || block >= d->blocks || count > d->blocks - block)
        abort();                        /* a read outside the disk */
    memset(buf, 0, len);
    if (block < d->size / d->bs + 1 && off < d->size)
        memcpy(buf, d->data + off, d->size - off < len ? d->size - off : len);
    return 0;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Make the primary header's two CRCs right for what the input holds. */
static void fix_gpt_crcs(struct fdisk *d)
{
    uint8_t *h = d->data + d->bs;
    uint64_t arr, bytes;
    uint32_t hsize;

    if (d->size < 2 * (size_t)d->bs || memcmp(h, "EFI PART", 8) != 0)
        return;
    arr = (uint64_t)rd32(h + 72) | (uint64_t)rd32(h + 76) << 32;
    bytes = (uint64_t)rd32(h + 80) * rd32(h + 84);
    if (arr < d->size / d->bs && bytes <= d->size - arr * d->bs)
        wr32(h + 88, crc32_update(0, d->data + arr * d->bs, bytes));
    hsize = rd32(h + 12);
    if (hsize >= 20 && hsize <= d->bs) {
        wr32(h + 16, 0);
        wr32(h + 16, crc32_update(0, h, hsize));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct part_table t;
    struct fdisk d;
    uint64_t blocks = 0;

    if (size < PARAM_BYTES)
        return 0;
    for (int i = 8; i >= 1; i--)
        blocks = blocks << 8 | data[i];
    d.bs = 512u << (data[0] & 3);
    d.blocks = blocks;
    d.size = size - PARAM_BYTES;
    d.data = malloc(d.size + 1);
    memcpy(d.data, data + PARAM_BYTES, d.size);
    if (data[0] & 4)
        fix_gpt_crcs(&d);
    if (part_parse(&t, fdisk_read, &d, d.bs, d.blocks) == 0) {
        if (t.count > PART_MAX)
            abort();
        for (unsigned i = 0; i < t.count; i++)
            if (t.part[i].count == 0 || t.part[i].first >= blocks || t.part[i].count > blocks - t.part[i].first)
                abort();
    }
    free(d.data);
    return 0;
}
