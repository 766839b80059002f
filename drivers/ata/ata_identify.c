/*
 * ata_identify.c - IDENTIFY DEVICE parsing (ata_identify.h): which words
 * mean what, from ACS-3 section 7.12.7.
 *
 * Words this file reads, and why:
 *    0        bit 15 set: an ATAPI device (it answers IDENTIFY PACKET)
 *    10-19    serial number     23-26  firmware     27-46  model
 *    49       bit 9: LBA addressing (a disk without it is not for us)
 *    60-61    LBA28 capacity
 *    75       bits 4:0: NCQ queue depth - 1
 *    76       bit 8: NCQ supported (0x0000/0xFFFF: not a SATA device)
 *    82, 85   bit 5: volatile write cache supported, enabled
 *    83       bit 10: LBA48, bit 13: FLUSH CACHE EXT
 *    100-103  LBA48 capacity
 *    106      bit 14 set, 15 clear: the word is valid; bit 12: logical
 *             sectors longer than 256 words (size in 117-118); bit 13:
 *             2^(bits 3:0) logical sectors per physical one
 *    117-118  words per logical sector (when 106 bit 12)
 *    255      low byte 0xA5: signed, all 512 bytes sum to 0 mod 256
 * A "feature word" (76, 82..87) of 0x0000 or 0xFFFF was never filled in:
 * its bits are read as clear.
 */
#include "ata/ata_identify.h"

#define W_CONFIG        0
#define W_SERIAL        10
#define W_FIRMWARE      23
#define W_MODEL         27
#define W_CAPS          49
#define W_LBA28         60
#define W_QUEUE_DEPTH   75
#define W_SATA_CAPS     76
#define W_CMDSET1       82
#define W_CMDSET2       83
#define W_CMDSET1_EN    85
#define W_LBA48         100
#define W_SECTOR_SIZE   106
#define W_LOGICAL_SIZE  117
#define W_INTEGRITY     255

#define CONFIG_ATAPI            (1u << 15)
#define CAPS_LBA                (1u << 9)
#define SATA_CAPS_NCQ           (1u << 8)
#define CMDSET1_WRITE_CACHE     (1u << 5)
#define CMDSET2_LBA48           (1u << 10)
#define CMDSET2_FLUSH_EXT       (1u << 13)
#define SECSZ_VALID_MASK        0xC000u
#define SECSZ_VALID             0x4000u
#define SECSZ_LONG_LOGICAL      (1u << 12)
#define SECSZ_MULTI_LOGICAL     (1u << 13)
#define SECSZ_LOG2_MASK         0x000Fu
#define INTEGRITY_SIGNED        0xA5u

#define MAX_SECTOR_SIZE         (1u << 20)      /* beyond any disk sold: a corrupt word */

/* A feature word, or 0 when the device left it unfilled. */
static unsigned feature_word(const uint16_t *w, unsigned i)
{
    return (w[i] == 0x0000 || w[i] == 0xFFFF) ? 0 : w[i];
}

static int integrity_ok(const uint16_t *w)
{
    uint8_t sum = 0;

    if ((w[W_INTEGRITY] & 0xFF) != INTEGRITY_SIGNED)
        return 1;                               /* unsigned: nothing to check */
    for (unsigned i = 0; i < ATA_IDENTIFY_WORDS; i++)
        sum = (uint8_t)(sum + (w[i] & 0xFF) + (w[i] >> 8));
    return sum == 0;
}

void ata_identify_string(const uint16_t *words, unsigned first, unsigned nwords, char *out)
{
    unsigned n = 0, start = 0;

    for (unsigned i = 0; i < nwords; i++) {
        out[n++] = (char)(words[first + i] >> 8);
        out[n++] = (char)(words[first + i] & 0xFF);
    }
    for (unsigned i = 0; i < n; i++)
        if (out[i] < 0x20 || out[i] > 0x7E)
            out[i] = (out[i] == 0) ? ' ' : '?';
    while (n > 0 && out[n - 1] == ' ')
        n--;
    while (start < n && out[start] == ' ')
        start++;
    for (unsigned i = start; i < n; i++)
        out[i - start] = out[i];
    out[n - start] = 0;
}

/* Logical and physical sector sizes from words 106 and 117-118; -1 when nonsense. */
static int parse_sector_sizes(const uint16_t *w, struct ata_identity *id)
{
    unsigned secsz = w[W_SECTOR_SIZE];

    id->logical_size = 512;
    id->physical_size = 512;
    if ((secsz & SECSZ_VALID_MASK) != SECSZ_VALID)
        return 0;                               /* not reported: 512 both */
    if (secsz & SECSZ_LONG_LOGICAL) {
        uint32_t words = (uint32_t)w[W_LOGICAL_SIZE] | (uint32_t)w[W_LOGICAL_SIZE + 1] << 16;
        if (words < 256 || words > MAX_SECTOR_SIZE / 2 || words % 256)
            return -1;
        id->logical_size = words * 2;
    }
    id->physical_size = id->logical_size;
    if (secsz & SECSZ_MULTI_LOGICAL) {
        unsigned log2 = secsz & SECSZ_LOG2_MASK;
        if (log2 > 7 || (id->logical_size << log2) > MAX_SECTOR_SIZE)
            return -1;
        id->physical_size = id->logical_size << log2;
    }
    return 0;
}

static void parse_capacity(const uint16_t *w, struct ata_identity *id)
{
    id->lba48 = (feature_word(w, W_CMDSET2) & CMDSET2_LBA48) != 0;
    if (id->lba48) {
        id->sectors = 0;
        for (int i = 3; i >= 0; i--)
            id->sectors = id->sectors << 16 | w[W_LBA48 + i];
        id->sectors &= (1ULL << 48) - 1;
    } else {
        id->sectors = (uint64_t)w[W_LBA28] | (uint64_t)w[W_LBA28 + 1] << 16;
    }
}

static void parse_features(const uint16_t *w, struct ata_identity *id)
{
    id->flush_ext = id->lba48 && (feature_word(w, W_CMDSET2) & CMDSET2_FLUSH_EXT);
    id->write_cache = (feature_word(w, W_CMDSET1) & CMDSET1_WRITE_CACHE) &&
                      (feature_word(w, W_CMDSET1_EN) & CMDSET1_WRITE_CACHE);
    id->ncq = (feature_word(w, W_SATA_CAPS) & SATA_CAPS_NCQ) != 0;
    id->ncq_depth = id->ncq ? (w[W_QUEUE_DEPTH] & 0x1F) + 1u : 0;
}

int ata_identify_parse(const uint16_t *w, struct ata_identity *id, const char **why)
{
    struct ata_identity got;

    if (!integrity_ok(w))
        return *why = "bad integrity checksum (word 255)", -1;
    if (w[W_CONFIG] & CONFIG_ATAPI)
        return *why = "ATAPI device (word 0 bit 15)", -1;
    if (!(w[W_CAPS] & CAPS_LBA))
        return *why = "no LBA addressing (word 49 bit 9)", -1;
    if (parse_sector_sizes(w, &got) != 0)
        return *why = "impossible sector size (words 106, 117-118)", -1;
    parse_capacity(w, &got);
    if (got.sectors == 0)
        return *why = "capacity of 0 sectors (words 60-61, 100-103)", -1;
    parse_features(w, &got);
    ata_identify_string(w, W_MODEL, ATA_MODEL_LEN / 2, got.model);
    ata_identify_string(w, W_SERIAL, ATA_SERIAL_LEN / 2, got.serial);
    ata_identify_string(w, W_FIRMWARE, ATA_FIRMWARE_LEN / 2, got.firmware);
    *id = got;
    return 0;
}
