/*
 * partition.h - the partition table parser (partition.c): MBR (four
 * primary entries and the chain of logical partitions in an extended one)
 * and GPT (header and entry array, each with its CRC-32, the backup copy
 * at the disk's last block when the primary is damaged).
 *
 * Pure code, no kernel header: it reads the disk only through the caller's
 * part_read_fn, so the kernel (blockdev.c), the host unit tests
 * (tests/host/test_partition.c) and the fuzzer (tests/fuzz/
 * fuzz_partition.c) run the same file. Everything read is outside data:
 * every field is checked before it is used, a chain of extended boot
 * records is followed at most PART_EBR_MAX links, never outside its
 * extended partition and never into a record it already read.
 *
 * Which table a disk has (as Linux decides):
 *   - no 0x55AA signature at the end of block 0: none;
 *   - an MBR entry of type 0xEE (the protective MBR of a GPT disk): GPT,
 *     the primary header at block 1, or the backup at the last block when
 *     the primary (or its entry array) fails a check, with a warning; both
 *     damaged: no partitions, and a warning;
 *   - otherwise MBR: entries 1..4 are numbered 1..4 (an empty slot keeps
 *     its number), logical partitions 5, 6, ... in chain order.
 * A partition that does not lie inside the disk is left out with a
 * warning. Numbers follow Linux too: GPT partition N is entry N - 1.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PART_MAX            32          /* partitions kept per disk */
#define PART_EBR_MAX        64          /* links of an extended chain followed */
#define PART_BLOCK_MAX      4096        /* largest logical block */
#define PART_GPT_ENTRIES_MAX 1024       /* a GPT entry array no bigger than this many... */
#define PART_GPT_ENTRY_MAX  1024        /* ...entries of at most this many bytes */
#define PART_WARN_LEN       160

#define PART_NONE           0
#define PART_MBR            1
#define PART_GPT            2

/* Read `count` blocks from block `block` into buf: 0, or negative (an I/O error). */
typedef int part_read_fn(void *ctx, uint64_t block, uint32_t count, void *buf);

struct part_entry {
    unsigned index;                     /* 1-based, as Linux numbers it */
    uint64_t first;                     /* first block */
    uint64_t count;                     /* blocks */
    uint8_t mbr_type;                   /* MBR: the type byte; GPT: 0 */
    uint8_t type_guid[16];              /* GPT: as stored on disk; MBR: zero */
    uint8_t guid[16];                   /* GPT: the unique partition GUID; MBR: zero */
};

struct part_table {
    int scheme;                         /* PART_NONE, PART_MBR, PART_GPT */
    uint32_t mbr_signature;             /* bytes 440..443 of block 0 (0 when none) */
    int gpt_backup_used;                /* the primary GPT was damaged */
    unsigned count;
    struct part_entry part[PART_MAX];
    unsigned warnings;
    char warning[PART_WARN_LEN];        /* the first warning, "" when none */
    /* private: the parser's block buffers */
    uint8_t buf[PART_BLOCK_MAX];
    uint8_t hdr[PART_BLOCK_MAX];
};

/*
 * Read the table of a disk of `blocks` blocks of `block_size` bytes (512
 * to PART_BLOCK_MAX, a power of two) into *t. 0 (t->scheme says what was
 * found, PART_NONE included), or the read function's negative error.
 */
int part_parse(struct part_table *t, part_read_fn *read, void *ctx, uint32_t block_size,
               uint64_t blocks);
