/*
 * fat_layout.h - the on-disk layout of FAT12/16/32 as the Microsoft FAT
 * Specification (Microsoft Corporation, August 30 2005, the edition given to
 * the SD Card Association; section numbers below are its) defines it: byte offsets of the boot
 * sector's BIOS parameter block (section 3), the FSInfo sector (section 5),
 * the 32-byte directory entry (section 6) and the long-name entry (section 7).
 *
 * Offsets, not C structs: every field is read and written with the
 * little-endian helpers below, so alignment and packing never matter and a
 * reader checks each offset against the spec's tables directly.
 */
#pragma once

#include <stdint.h>

/* ---- section 3.1-3.3: the boot sector and BPB ---- */
#define BPB_BytsPerSec      11      /* 2: 512, 1024, 2048 or 4096 */
#define BPB_SecPerClus      13      /* 1: a power of two, 1..128 */
#define BPB_RsvdSecCnt      14      /* 2: >= 1 */
#define BPB_NumFATs         16      /* 1: usually 2 */
#define BPB_RootEntCnt      17      /* 2: 0 on FAT32 */
#define BPB_TotSec16        19      /* 2: 0 means BPB_TotSec32 */
#define BPB_Media           21      /* 1: 0xF0, 0xF8..0xFF */
#define BPB_FATSz16         22      /* 2: 0 on FAT32 */
#define BPB_TotSec32        32      /* 4 */
#define BPB_FATSz32         36      /* 4: FAT32 only, from here on */
#define BPB_ExtFlags        40      /* 2: bit 7 = mirroring off, bits 0-3 = active FAT */
#define BPB_FSVer           42      /* 2: must be 0 */
#define BPB_RootClus        44      /* 4: the root directory's first cluster */
#define BPB_FSInfo          48      /* 2: the FSInfo sector */
#define BS_Signature        510     /* 0x55 0xAA (in the first 512 bytes whatever the sector size) */

/* ---- section 5: the FSInfo sector (FAT32) ---- */
#define FSI_LeadSig         0       /* 0x41615252 */
#define FSI_StrucSig        484     /* 0x61417272 */
#define FSI_Free_Count      488     /* free clusters, 0xFFFFFFFF unknown */
#define FSI_Nxt_Free        492     /* where to look for a free cluster, 0xFFFFFFFF unknown */
#define FSI_TrailSig        508     /* 0xAA550000 */
#define FSI_LEAD            0x41615252u
#define FSI_STRUC           0x61417272u
#define FSI_TRAIL           0xAA550000u
#define FSI_UNKNOWN         0xFFFFFFFFu

/* ---- section 3.5 and 4: FAT entries ---- */
#define FAT_FREE            0u
#define FAT12_EOC           0xFF8u  /* >= this: the chain ends */
#define FAT16_EOC           0xFFF8u
#define FAT32_EOC           0x0FFFFFF8u
#define FAT32_MASK          0x0FFFFFFFu  /* the high 4 bits are reserved: kept as found */
#define FAT12_MAX_CLUSTERS  4084u   /* section 3.5: fewer than 4085 clusters is FAT12 */
#define FAT16_MAX_CLUSTERS  65524u  /* fewer than 65525 is FAT16, else FAT32 */
#define FAT_FIRST_CLUSTER   2u      /* entries 0 and 1 are reserved */

/* ---- section 6: the 32-byte directory entry ---- */
#define DIR_ENTRY_SIZE      32
#define DIR_Name            0       /* 11: 8.3, space padded; [0] 0xE5 free, 0x00 free and last */
#define DIR_Attr            11
#define DIR_NTRes           12      /* Windows NT's case bits: 0x08 base lower, 0x10 extension lower */
#define DIR_CrtTimeTenth    13      /* 0..199: tenths of a second beyond DIR_CrtTime's even seconds */
#define DIR_CrtTime         14
#define DIR_CrtDate         16
#define DIR_LstAccDate      18
#define DIR_FstClusHI       20
#define DIR_WrtTime         22
#define DIR_WrtDate         24
#define DIR_FstClusLO       26
#define DIR_FileSize        28

#define ATTR_READ_ONLY      0x01
#define ATTR_HIDDEN         0x02
#define ATTR_SYSTEM         0x04
#define ATTR_VOLUME_ID      0x08
#define ATTR_DIRECTORY      0x10
#define ATTR_ARCHIVE        0x20
#define ATTR_LONG_NAME      0x0F    /* READ_ONLY|HIDDEN|SYSTEM|VOLUME_ID */
#define ATTR_LONG_NAME_MASK 0x3F

#define DIR_FREE            0xE5    /* DIR_Name[0] of a deleted entry */
#define DIR_END             0x00    /* DIR_Name[0]: free, and so is every entry after it */
#define DIR_KANJI_E5        0x05    /* DIR_Name[0] 0x05 stands for a first byte 0xE5 */
#define NTRES_BASE_LOWER    0x08
#define NTRES_EXT_LOWER     0x10
#define DIR_MAX_ENTRIES     65536u  /* section 6: a directory holds at most 2^16 entries */

/* ---- section 7: the long-name entry ---- */
#define LDIR_Ord            0       /* 1..20, LAST_LONG_ENTRY on the first one stored */
#define LDIR_Name1          1       /* 5 UTF-16 units */
#define LDIR_Attr           11      /* ATTR_LONG_NAME */
#define LDIR_Type           12      /* 0 */
#define LDIR_Chksum         13      /* of the short entry's 11 name bytes */
#define LDIR_Name2          14      /* 6 units */
#define LDIR_FstClusLO      26      /* 0 */
#define LDIR_Name3          28      /* 2 units */
#define LAST_LONG_ENTRY     0x40
#define LFN_CHARS           13      /* UTF-16 units per long-name entry */
#define LFN_MAX_UNITS       255     /* section 7: a long name is at most 255 UTF-16 units */
#define LFN_MAX_ENTRIES     20      /* ceil(255 / 13) */

static inline uint16_t fat_rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t fat_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void fat_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void fat_wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
