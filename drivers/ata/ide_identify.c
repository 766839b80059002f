/*
 * ide_identify.c - the IDENTIFY DEVICE words the IDE driver needs (ATA/
 * ATAPI-6 section 8.15, ACS-3 7.12.7): the model, the capacity in LBA28
 * or LBA48 sectors, the 48-bit feature set and FLUSH CACHE EXT, the
 * logical sector size.
 *
 * Written for the IDE driver while the shared parser (ata_identify.[ch],
 * from the AHCI work) was not yet on main; the two are to become one.
 *
 * Pure code over the 256 little-endian words as the drive sent them: no
 * hardware. It checks before it trusts: the integrity word when signed,
 * an ATA (not ATAPI) device, LBA addressing, a capacity above zero, and
 * 512-byte logical sectors (what the PIO and DMA paths move).
 */
#include <string.h>

#include "ata/ide.h"

#define W0_ATAPI            0x8000      /* word 0 bit 15: not an ATA device */
#define W49_LBA             0x0200      /* word 49 bit 9: LBA supported */
#define W83_LBA48           0x0400      /* word 83 bit 10: 48-bit address feature set */
#define W83_FLUSH_EXT       0x2000      /* word 83 bit 13: FLUSH CACHE EXT */
#define W106_VALID_MASK     0xC000      /* word 106 bits 15:14 == 01: the word is valid */
#define W106_VALID          0x4000
#define W106_LONG_LOGICAL   0x1000      /* bit 12: words 117-118 give the logical size */
#define W255_SIGNED         0xA5        /* word 255 low byte: the checksum is present */

/* Words 27..46, two characters each, high byte first; trailing spaces cut. */
static void model_of(const uint16_t *w, char *out)
{
    unsigned n = 0;

    for (unsigned i = 27; i <= 46; i++) {
        char hi = (char)(w[i] >> 8), lo = (char)w[i];
        out[n++] = hi >= 0x20 && hi < 0x7F ? hi : '?';
        out[n++] = lo >= 0x20 && lo < 0x7F ? lo : '?';
    }
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = 0;
}

/* The integrity word: when signed, all 512 bytes sum to 0 modulo 256. */
static int checksum_ok(const uint16_t *w)
{
    uint8_t sum = 0;

    if ((w[255] & 0xFF) != W255_SIGNED)
        return 1;
    for (unsigned i = 0; i < 256; i++)
        sum = (uint8_t)(sum + (w[i] & 0xFF) + (w[i] >> 8));
    return sum == 0;
}

static uint32_t logical_size_of(const uint16_t *w)
{
    if ((w[106] & W106_VALID_MASK) != W106_VALID || !(w[106] & W106_LONG_LOGICAL))
        return IDE_SECTOR;
    return 2 * ((uint32_t)w[117] | (uint32_t)w[118] << 16);
}

int ide_identify_parse(const uint16_t *w, struct ide_identity *id, const char **why)
{
    struct ide_identity r;

    memset(&r, 0, sizeof r);
    if (!checksum_ok(w))
        return *why = "bad integrity checksum", -1;
    if (w[0] & W0_ATAPI)
        return *why = "ATAPI device", -1;
    if (!(w[49] & W49_LBA))
        return *why = "no LBA addressing", -1;
    r.lba48 = (w[83] & W83_LBA48) != 0;
    r.flush_ext = r.lba48 && (w[83] & W83_FLUSH_EXT);
    r.sectors = (uint32_t)w[60] | (uint32_t)w[61] << 16;
    if (r.lba48)
        r.sectors = (uint64_t)w[100] | (uint64_t)w[101] << 16 | (uint64_t)w[102] << 32 |
                    (uint64_t)w[103] << 48;
    if (r.sectors == 0)
        return *why = "capacity of 0 sectors", -1;
    r.logical_size = logical_size_of(w);
    if (r.logical_size != IDE_SECTOR)
        return *why = "logical sectors are not 512 bytes", -1;
    model_of(w, r.model);
    *id = r;
    return 0;
}
