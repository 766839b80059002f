/*
 * partition.c - MBR and GPT partition tables (partition.h says which is
 * chosen and the rules). Pure code: the disk is read through the caller's
 * part_read_fn, one block at a time, into the table's own buffers; every
 * field read is checked before it is used.
 *
 * Layouts (little-endian on disk):
 *   MBR / EBR  bytes 440..443 the disk signature, 446.. four 16-byte
 *              entries (type at +4, first LBA at +8, sectors at +12),
 *              0x55 0xAA at 510 (MBR_SIG_OFF).
 *   GPT header "EFI PART", its size at +12, its CRC-32 at +16 (computed
 *              with that field zero), my LBA +24, first and last usable
 *              LBA +40 / +48, entry array LBA +72, entry count +80, entry
 *              size +84, the array's CRC-32 +88 (UEFI 2.10, 5.3.2).
 *   GPT entry  type GUID +0, unique GUID +16, first LBA +32, last LBA +40.
 */
#include <string.h>

#include "block/crc32.h"
#include "block/partition.h"
#include "format.h"

#define MBR_SIG_OFF         510
#define MBR_DISKSIG_OFF     440
#define MBR_ENTRY_OFF       446
#define MBR_ENTRY_SIZE      16
#define MBR_TYPE_GPT        0xEE        /* protective MBR */

#define GPT_HDR_MIN         92          /* header bytes the CRC covers at least */
#define GPT_ENTRY_MIN       128

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Keep the first warning, count them all. */
static void warn(struct part_table *t, const char *fmt, uint64_t a, uint64_t b)
{
    if (t->warnings++ == 0)
        format_snprintf(t->warning, sizeof t->warning, fmt, (unsigned long long)a,
                        (unsigned long long)b);
}

static int has_signature(const uint8_t *b)
{
    return b[MBR_SIG_OFF] == 0x55 && b[MBR_SIG_OFF + 1] == 0xAA;
}

static int is_extended(uint8_t type)
{
    return type == 0x05 || type == 0x0F || type == 0x85;
}

/* Add a partition when it lies inside the disk; 1 when added. */
static int add_part(struct part_table *t, unsigned index, uint64_t first, uint64_t count,
                    uint64_t first_ok, uint64_t end_ok)
{
    if (count == 0 || first < first_ok || first > end_ok || count > end_ok - first) {
        warn(t, "partition %llu (first block %llu) is not inside the disk: left out", index, first);
        return 0;
    }
    if (t->count == PART_MAX) {
        warn(t, "more than %llu partitions: partition %llu and later left out", PART_MAX, index);
        return 0;
    }
    memset(&t->part[t->count], 0, sizeof t->part[0]);
    t->part[t->count].index = index;
    t->part[t->count].first = first;
    t->part[t->count].count = count;
    t->count++;
    return 1;
}

/* ---- MBR ---- */

static const uint8_t *mbr_entry(const uint8_t *block, unsigned i)
{
    return block + MBR_ENTRY_OFF + i * MBR_ENTRY_SIZE;
}

/*
 * The logical partitions of the extended partition [ext, ext + ext_count):
 * EBR n at ext + (link of EBR n - 1), its first entry the partition
 * (relative to the EBR), its second the next link (relative to ext).
 */
static int mbr_logical(struct part_table *t, part_read_fn *read, void *ctx, uint64_t ext,
                       uint64_t ext_count, uint64_t blocks)
{
    uint64_t seen[PART_EBR_MAX];
    uint64_t ebr = ext;
    unsigned index = 5;

    for (unsigned hop = 0; hop < PART_EBR_MAX; hop++) {
        for (unsigned i = 0; i < hop; i++)
            if (seen[i] == ebr) {
                warn(t, "the extended chain loops back to block %llu (link %llu): stopped", ebr, hop);
                return 0;
            }
        seen[hop] = ebr;
        int err = read(ctx, ebr, 1, t->buf);
        if (err < 0)
            return err;
        if (!has_signature(t->buf)) {
            warn(t, "the extended boot record at block %llu has no signature (link %llu): stopped",
                 ebr, hop);
            return 0;
        }
        const uint8_t *data = mbr_entry(t->buf, 0), *next = mbr_entry(t->buf, 1);
        if (data[4] != 0 && rd32(data + 12) != 0) {
            uint64_t end = ext + ext_count < blocks ? ext + ext_count : blocks;
            if (add_part(t, index, ebr + rd32(data + 8), rd32(data + 12), ebr + 1, end))
                t->part[t->count - 1].mbr_type = data[4];
            index++;
        }
        if (!is_extended(next[4]) || rd32(next + 8) == 0)
            return 0;
        if (rd32(next + 8) >= ext_count) {
            warn(t, "an extended link to block %llu is outside its partition (link %llu): stopped",
                 ext + rd32(next + 8), hop);
            return 0;
        }
        ebr = ext + rd32(next + 8);
    }
    warn(t, "the extended chain is longer than %llu links: stopped at block %llu", PART_EBR_MAX, ebr);
    return 0;
}

/* The four primary entries of block 0 (in t->buf), then the first extended partition's chain. */
static int mbr_parse(struct part_table *t, part_read_fn *read, void *ctx, uint64_t blocks)
{
    uint64_t ext = 0, ext_count = 0;

    t->scheme = PART_MBR;
    for (unsigned i = 0; i < 4; i++) {
        const uint8_t *e = mbr_entry(t->buf, i);
        uint64_t first = rd32(e + 8), count = rd32(e + 12);

        if (e[4] == 0 || count == 0)
            continue;
        if (is_extended(e[4])) {
            if (ext == 0 && first != 0 && first < blocks) {
                ext = first;
                ext_count = count;
            }
            continue;
        }
        if (add_part(t, i + 1, first, count, 1, blocks))
            t->part[t->count - 1].mbr_type = e[4];
    }
    return ext ? mbr_logical(t, read, ctx, ext, ext_count, blocks) : 0;
}

/* ---- GPT ---- */

/* Why the header in t->hdr, read from block `lba`, is bad, or NULL. */
static const char *gpt_header_bad(struct part_table *t, uint64_t lba, uint32_t bs, uint64_t blocks)
{
    const uint8_t *h = t->hdr;
    uint32_t size = rd32(h + 12), esize = rd32(h + 84), n = rd32(h + 80);
    uint64_t first = rd64(h + 40), last = rd64(h + 48), arr = rd64(h + 72);
    uint32_t crc;

    if (memcmp(h, "EFI PART", 8) != 0)
        return "no EFI PART signature";
    if (size < GPT_HDR_MIN || size > bs)
        return "header size";
    memcpy(t->buf, h, size);
    memset(t->buf + 16, 0, 4);
    crc = crc32_update(0, t->buf, size);
    if (crc != rd32(h + 16))
        return "header CRC";
    if (rd64(h + 24) != lba)
        return "its own LBA";
    if (first > last || last >= blocks)
        return "usable blocks";
    if (esize < GPT_ENTRY_MIN || esize > PART_GPT_ENTRY_MAX || (esize & (esize - 1)) || n > PART_GPT_ENTRIES_MAX)
        return "entry size or count";
    if (arr < 1 || arr >= blocks || ((uint64_t)n * esize + bs - 1) / bs > blocks - arr)
        return "entry array outside the disk";
    return NULL;
}

/* One entry of the array (its bytes at e) kept when in use. */
static void gpt_entry(struct part_table *t, const uint8_t *e, unsigned index)
{
    static const uint8_t unused[16];
    uint64_t first = rd64(e + 32), last = rd64(e + 40);

    if (memcmp(e, unused, 16) == 0)
        return;
    if (last < first) {
        warn(t, "GPT entry %llu ends before it starts (first block %llu): left out", index, first);
        return;
    }
    if (add_part(t, index, first, last - first + 1, rd64(t->hdr + 40), rd64(t->hdr + 48) + 1)) {
        memcpy(t->part[t->count - 1].type_guid, e, 16);
        memcpy(t->part[t->count - 1].guid, e + 16, 16);
    }
}

/*
 * The entry array of the header in t->hdr: its CRC checked over every
 * byte while the entries in use are collected. 1 when the CRC matches, 0
 * when not (nothing kept), or a read error.
 */
static int gpt_entries(struct part_table *t, part_read_fn *read, void *ctx, uint32_t bs)
{
    uint32_t n = rd32(t->hdr + 80), esize = rd32(t->hdr + 84), crc = 0;
    uint64_t bytes = (uint64_t)n * esize, done = 0, lba = rd64(t->hdr + 72);
    unsigned warnings = t->warnings;

    for (; done < bytes; lba++) {
        uint32_t chunk = bytes - done < bs ? (uint32_t)(bytes - done) : bs;
        int err = read(ctx, lba, 1, t->buf);
        if (err < 0)
            return err;
        crc = crc32_update(crc, t->buf, chunk);
        for (uint32_t off = 0; off < chunk; off += esize < bs ? esize : bs)
            if ((done + off) % esize == 0)
                gpt_entry(t, t->buf + off, (unsigned)((done + off) / esize) + 1);
        done += chunk;
    }
    if (crc == rd32(t->hdr + 88))
        return 1;
    t->count = 0;
    t->warnings = warnings;             /* the entries' warnings were about data now refused */
    if (warnings == 0)
        t->warning[0] = '\0';
    return 0;
}

/* The header at `lba` and its entries: 1 when both are good (kept in t), 0 with *why, or a read error. */
static int gpt_try(struct part_table *t, part_read_fn *read, void *ctx, uint64_t lba, uint32_t bs,
                   uint64_t blocks, const char **why)
{
    int err = read(ctx, lba, 1, t->hdr);
    if (err < 0)
        return err;
    *why = gpt_header_bad(t, lba, bs, blocks);
    if (*why)
        return 0;
    err = gpt_entries(t, read, ctx, bs);
    if (err == 0)
        *why = "entry array CRC";
    return err;
}

static int gpt_parse(struct part_table *t, part_read_fn *read, void *ctx, uint32_t bs, uint64_t blocks)
{
    const char *why, *why_backup;
    int r;

    t->scheme = PART_GPT;
    r = gpt_try(t, read, ctx, 1, bs, blocks, &why);
    if (r != 0)
        return r < 0 ? r : 0;
    r = gpt_try(t, read, ctx, blocks - 1, bs, blocks, &why_backup);
    if (r < 0)
        return r;
    if (r == 0) {
        if (t->warnings++ == 0)
            format_snprintf(t->warning, sizeof t->warning, "GPT: the primary header (%s) and the "
                            "backup at block %llu (%s) are both damaged: no partitions", why,
                            (unsigned long long)(blocks - 1), why_backup);
        return 0;
    }
    t->gpt_backup_used = 1;
    if (t->warnings++ == 0)
        format_snprintf(t->warning, sizeof t->warning, "GPT: the primary header is damaged (%s): "
                        "using the backup at block %llu", why, (unsigned long long)(blocks - 1));
    return 0;
}

int part_parse(struct part_table *t, part_read_fn *read, void *ctx, uint32_t block_size,
               uint64_t blocks)
{
    int err;

    t->scheme = PART_NONE;
    t->mbr_signature = 0;
    t->gpt_backup_used = 0;
    t->count = 0;
    t->warnings = 0;
    t->warning[0] = '\0';
    if (block_size < 512 || block_size > PART_BLOCK_MAX || (block_size & (block_size - 1)) ||
        blocks < 2)
        return 0;
    err = read(ctx, 0, 1, t->buf);
    if (err < 0)
        return err;
    if (!has_signature(t->buf))
        return 0;
    t->mbr_signature = rd32(t->buf + MBR_DISKSIG_OFF);
    for (unsigned i = 0; i < 4; i++)
        if (mbr_entry(t->buf, i)[4] == MBR_TYPE_GPT)
            return gpt_parse(t, read, ctx, block_size, blocks);
    return mbr_parse(t, read, ctx, blocks);
}
