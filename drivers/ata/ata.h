/*
 * ata.h - the ATA command set as the disk drivers use it (ATA/ATAPI-8 ACS,
 * ACS-3): command opcodes, the status and error register bits, and the
 * limits of a command's address and count. Shared by the AHCI driver
 * (drivers/ata/ahci*.c) and the IDE driver (drivers/ata/ide*.c); no code,
 * only names.
 */
#pragma once

/* Command opcodes (ACS-3 section 7). */
#define ATA_CMD_READ_SECTORS        0x20    /* LBA28 PIO read (IDE) */
#define ATA_CMD_READ_SECTORS_EXT    0x24    /* LBA48 PIO read (IDE) */
#define ATA_CMD_READ_DMA_EXT        0x25    /* LBA48 DMA read */
#define ATA_CMD_WRITE_SECTORS       0x30    /* LBA28 PIO write (IDE) */
#define ATA_CMD_WRITE_SECTORS_EXT   0x34    /* LBA48 PIO write (IDE) */
#define ATA_CMD_WRITE_DMA_EXT       0x35    /* LBA48 DMA write */
#define ATA_CMD_READ_FPDMA_QUEUED   0x60    /* NCQ read (tag in the count field) */
#define ATA_CMD_WRITE_FPDMA_QUEUED  0x61    /* NCQ write */
#define ATA_CMD_PACKET              0xA0
#define ATA_CMD_IDENTIFY_PACKET     0xA1    /* ATAPI devices answer this, not 0xEC */
#define ATA_CMD_READ_DMA            0xC8    /* LBA28 DMA read */
#define ATA_CMD_WRITE_DMA           0xCA    /* LBA28 DMA write */
#define ATA_CMD_FLUSH_CACHE         0xE7    /* LBA28 devices */
#define ATA_CMD_FLUSH_CACHE_EXT     0xEA
#define ATA_CMD_IDENTIFY            0xEC    /* IDENTIFY DEVICE: 512 bytes, ata_identify.h */

/* Status register (the task file's STS, AHCI PxTFD bits 7:0). */
#define ATA_STS_ERR                 0x01    /* the error register says why */
#define ATA_STS_DRQ                 0x08    /* the device wants to transfer data */
#define ATA_STS_DF                  0x20    /* device fault */
#define ATA_STS_DRDY                0x40
#define ATA_STS_BSY                 0x80

/* Error register (PxTFD bits 15:8). */
#define ATA_ERR_ABRT                0x04    /* command aborted */
#define ATA_ERR_IDNF                0x10    /* sector not found */
#define ATA_ERR_UNC                 0x40    /* uncorrectable data */

/* The device register: LBA addressing (bit 6), as every LBA command sets it. */
#define ATA_DEV_LBA                 0x40

/* The IDENTIFY block: 256 little-endian 16-bit words. */
#define ATA_IDENTIFY_WORDS          256

/* Largest sector count one command carries: LBA48 (0 means 65536, never used). */
#define ATA_MAX_SECTORS_LBA48       65535u
#define ATA_MAX_SECTORS_LBA28       255u
#define ATA_LBA28_LIMIT             (1ULL << 28)
