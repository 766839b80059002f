/*
 * ata_identify.h - the IDENTIFY DEVICE block (ACS-3 section 7.12.7)
 * turned into what a disk driver needs (ata_identify.c): the model,
 * serial and firmware strings, the capacity, the logical and physical
 * sector sizes, the write cache, LBA48 and NCQ.
 *
 * Pure C over the 256 words as the device sent them (little-endian words,
 * as x86 stores them): no hardware, no allocation, the same code in the
 * kernel (the AHCI and IDE drivers) and in the host unit test
 * (tests/host/test_ata_identify.c, with identify blocks made by hand).
 *
 * ata_identify_parse checks before it trusts: the integrity word (255)
 * when the device signs it, an ATA (not ATAPI) device, LBA addressing, a
 * capacity above zero and sector sizes that make sense; a block that
 * fails gets its reason back and nothing else is filled in.
 */
#pragma once

#include <stdint.h>

#include "ata/ata.h"

#define ATA_MODEL_LEN       40      /* words 27..46 */
#define ATA_SERIAL_LEN      20      /* words 10..19 */
#define ATA_FIRMWARE_LEN    8       /* words 23..26 */
#define ATA_NCQ_MAX_DEPTH   32

struct ata_identity {
    char model[ATA_MODEL_LEN + 1];          /* byte-swapped, trimmed, NUL-ended */
    char serial[ATA_SERIAL_LEN + 1];
    char firmware[ATA_FIRMWARE_LEN + 1];
    uint64_t sectors;                       /* logical sectors the user may address */
    uint32_t logical_size;                  /* bytes per logical sector: 512, 4096, ... */
    uint32_t physical_size;                 /* bytes per physical sector (>= logical_size) */
    int lba48;                              /* 48-bit commands (READ DMA EXT, FLUSH CACHE EXT) */
    int flush_ext;                          /* FLUSH CACHE EXT supported */
    int write_cache;                        /* a volatile write cache, enabled: flushes matter */
    int ncq;                                /* native command queuing supported */
    unsigned ncq_depth;                     /* 1..32 tags when ncq, else 0 */
};

/*
 * Parse words[0..255]. Returns 0 and fills *id, or -1 with *why set to a
 * short reason ("ATAPI device", "bad integrity checksum", ...).
 */
int ata_identify_parse(const uint16_t *words, struct ata_identity *id, const char **why);

/*
 * An ATA string field (words [first, first + nwords)): each word holds two
 * characters, the first in its high byte; the result is trimmed of spaces
 * at both ends, with anything unprintable shown as '?'. out holds
 * 2 * nwords + 1 bytes.
 */
void ata_identify_string(const uint16_t *words, unsigned first, unsigned nwords, char *out);
