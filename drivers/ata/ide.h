/*
 * ide.h - the parallel ATA (IDE) driver's own view of its controllers,
 * channels and drives, shared by its files and by nothing else:
 *
 *   ide_pci.c       binding to a PCI IDE function (class 01.01.xx): which
 *                   channel is in compatibility or native mode, its ports,
 *                   its interrupt, the bus master block (BAR4);
 *   ide_probe.c     a channel's reset and the search for its two drives
 *                   (master and slave) with IDENTIFY DEVICE, parsed by the
 *                   ATA code the AHCI driver shares (ata_identify.c), then
 *                   each disk registered with the block layer;
 *   ide_taskfile.c  the task-file registers: select a drive, wait while it
 *                   is busy, load an LBA28 or LBA48 address, soft reset;
 *   ide_pio.c       programmed I/O: sectors moved through the data port;
 *   ide_dma.c       bus-master DMA: the PRD table and the BMIDE registers;
 *   ide_cmd.c       one command at a time per channel: issue, the
 *                   interrupt, the channel thread that completes it, the
 *                   timeout with its reset and single retry, errors.
 *
 * Rules: a channel has one command in flight (both its drives share the
 * wires); its thread alone touches the channel's registers once probing
 * is over. ch->lock guards what the interrupt handler, the timeout
 * callout and the submitters hand to the thread (the queue and the
 * events); everything under "the thread's" belongs to the thread.
 *
 * The ATA command set itself (opcodes, status and error bits, LBA28
 * limits) is ata.h's; this header names only what is parallel ATA's: the
 * I/O ports, the device and control registers, the bus master block.
 */
#pragma once

#include <stdint.h>

#include "ata/ata.h"
#include "ata/ata_identify.h"
#include "block/blockdev.h"
#include "mm/dma.h"
#include "sched/callout.h"
#include "sync/semaphore.h"
#include "sync/spinlock.h"

struct pci_dev;
struct thread;

/* Command block registers, from the channel's command base (ATA/ATAPI-6 section 7). */
#define IDE_REG_DATA        0       /* 16-bit data port (PIO) */
#define IDE_REG_ERROR       1       /* read: error; write: features */
#define IDE_REG_COUNT       2       /* sector count */
#define IDE_REG_LBA0        3       /* LBA bits 0-7 (24-31 with HOB) */
#define IDE_REG_LBA1        4       /* LBA bits 8-15 (32-39) */
#define IDE_REG_LBA2        5       /* LBA bits 16-23 (40-47) */
#define IDE_REG_DEVICE      6       /* drive select, LBA bit, LBA28 bits 24-27 */
#define IDE_REG_STATUS      7       /* read: status (clears INTRQ); write: command */
#define IDE_REG_COMMAND     7

/* Control block: one register, at the control base (0x3F6 / 0x376 in compatibility mode). */
#define IDE_CTL_NIEN        0x02    /* device control: no interrupts */
#define IDE_CTL_SRST        0x04    /* device control: software reset of both drives */
#define IDE_CTL_HOB         0x80    /* device control: read the high LBA48 bytes */

/* The device register: bit 4 selects the slave; 0xA0 are obsolete bits set by tradition. */
#define IDE_DEV_OBS         0xA0
#define IDE_DEV_SLAVE       0x10

/* Bus master IDE registers, 8 per channel from BAR4 (PCI IDE Bus Master spec 1.0). */
#define IDE_BM_COMMAND      0       /* bit 0 start, bit 3 direction: 1 = to memory */
#define IDE_BM_STATUS       2
#define IDE_BM_PRDT         4       /* 32-bit physical address of the PRD table */
#define IDE_BM_CMD_START    0x01
#define IDE_BM_CMD_TO_MEM   0x08
#define IDE_BM_STS_ACTIVE   0x01
#define IDE_BM_STS_ERROR    0x02    /* write 1 to clear */
#define IDE_BM_STS_IRQ      0x04    /* the channel's INTRQ was raised; write 1 to clear */
#define IDE_BM_STS_SIMPLEX  0x80    /* only one channel may do DMA at a time */

#define IDE_SECTOR          512     /* what PIO and DMA move: the only logical sector size taken */
#define IDE_TIMEOUT_NS      (5ull * 1000000000ull)  /* one command, before reset and retry */
#define IDE_STALL_TIMEOUT_NS (500ull * 1000000ull)  /* the same on a channel under ide_stall=N */

struct ide_channel;

struct ide_drive {
    struct block_device bdev;   /* registered as sdX; driver_data is this drive */
    struct ide_channel *ch;
    unsigned unit;              /* 0 master, 1 slave */
    struct ata_identity id;     /* what IDENTIFY DEVICE said (ata_identify_parse) */
};

/* The command the channel's thread runs (the thread's). */
struct ide_cmd {
    struct block_request *req;  /* NULL: the channel is idle */
    struct ide_drive *drive;
    int dma;                    /* through the bus master, else PIO */
    uint8_t opcode;
    int lba48;                  /* the EXT form of the command */
    uint32_t done;              /* PIO: sectors moved so far */
    int retried;                /* the one retry after a timeout was spent */
    struct dma_map map;
};

struct ide_channel {
    struct ide_controller *ctl;
    unsigned index;             /* 0 primary, 1 secondary */
    const char *name;           /* "primary", "secondary" */
    uint16_t cmd, ctrl;         /* command block base; the device control / alt status port */
    uint16_t bm;                /* this channel's bus master registers, 0: PIO only */
    int native;                 /* native PCI mode (BARs 0-3, the PCI interrupt) */
    int irq_handle;
    struct ide_drive *drive[2];
    struct dma_buf prdt;        /* the PRD table, one page below 4 GiB */

    struct spinlock lock;       /* guards: */
    struct block_request *queue_head, *queue_tail;  /* started, not yet issued */
    int irq_seen;               /* an interrupt came since the thread last looked */
    uint8_t irq_status, irq_bm_status;              /* what the handler read */
    int timed_out;              /* the timeout callout fired */

    struct semaphore wake;      /* upped by start, the interrupt and the timeout */
    struct callout timeout;
    struct thread *thread;
    struct ide_cmd cur;         /* the thread's */
    uint64_t stall_cmds;        /* the thread's: commands left unsent (ide_stall=N, fault injection) */
    uint64_t timeout_ns;        /* a command's time: IDE_TIMEOUT_NS, or IDE_STALL_TIMEOUT_NS */
    uint64_t irqs, timeouts, resets;
};

struct ide_controller {
    struct pci_dev *pci;
    int has_bm;                 /* a bus master block (BAR4) */
    int pio_only;               /* no bus master block, or ide=pio: ch->bm stays 0 */
    struct ide_channel ch[2];
};

/* ide_taskfile.c */
uint8_t ide_status(const struct ide_channel *ch);           /* the alternate status: clears nothing */
void ide_select(struct ide_channel *ch, unsigned unit);
int ide_wait_idle(struct ide_channel *ch, uint64_t timeout_ns, uint8_t *status);
int ide_wait_drq(struct ide_channel *ch, uint64_t timeout_ns, uint8_t *status);
void ide_load_lba(struct ide_channel *ch, unsigned unit, uint64_t lba, uint32_t count, int lba48);
uint64_t ide_read_lba(struct ide_channel *ch, int lba48);
int ide_soft_reset(struct ide_channel *ch, int irq_on);
void ide_describe_error(uint8_t error, char *out, unsigned size);

/* ide_pio.c */
void ide_pio_read_sector(struct ide_channel *ch, void *buf);
void ide_pio_write_sector(struct ide_channel *ch, const void *buf);
int ide_pio_step(struct ide_channel *ch, uint8_t status);
int ide_pio_begin(struct ide_channel *ch);

/* ide_dma.c */
int ide_dma_prepare(struct ide_channel *ch);
void ide_dma_setup(struct ide_channel *ch);
void ide_dma_start(struct ide_channel *ch);
uint8_t ide_dma_stop(struct ide_channel *ch);
void ide_dma_release(struct ide_channel *ch);

/* ide_probe.c */
void ide_probe_channel(struct ide_channel *ch);
void ide_register_drives(struct ide_channel *ch);

/* ide_cmd.c */
void ide_channel_init(struct ide_channel *ch);
int ide_channel_start(struct ide_channel *ch);
void ide_channel_irq(struct ide_channel *ch);
extern const struct block_ops ide_block_ops;
