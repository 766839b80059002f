/*
 * ahci.h - the AHCI driver's shared view (AHCI 1.3.1 specification): the
 * HBA's registers, the structures it reads and writes in memory, and the
 * driver's own records of a controller, a port and a command slot.
 *
 * The driver, one concept per file:
 *   ahci_hba.c       the PCI function: BAR 5 (ABAR), taking the HBA from
 *                    the firmware, AHCI mode, the interrupt, every
 *                    implemented port (PI); PCI_DRIVER, class 01.06.01
 *   ahci_port.c      one port's engines: stop and start, COMRESET, the
 *                    command list and FIS receive area, polled commands
 *   ahci_disk.c      from IDENTIFY to a registered block device (sda...)
 *   ahci_cmd.c       a block request made into a command: the H2D FIS,
 *                    PRDs from dma_map's segments, slots, issue, the
 *                    port's wait list
 *   ahci_complete.c  the interrupt handler, the completion thread, the
 *                    per-command timeout callouts
 *   ahci_recover.c   errors and timeouts: the port reset, the retry, the
 *                    failure with the sector in the log
 *
 * Memory of one port (one dma_alloc, below the HBA's reach: dma_limit):
 *     +0       command list: 32 command headers of 32 bytes (1 KiB aligned)
 *     +1024    received FIS area: 256 bytes (256-byte aligned)
 *     +1280    32 command tables of AHCI_CMD_TABLE_SIZE (128-byte aligned):
 *              the command FIS, then AHCI_PRDS PRD entries
 *
 * Locking: a port's lock (a spinlock, taken in threads only) guards its
 * slot bitmaps, its slots and its wait list. The interrupt handler and the
 * timeout callouts never take it: they OR bits into irq_status and
 * timed_out (atomics) and sem_up the port's completion thread, which does
 * all the work.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ata/ata_identify.h"
#include "block/blockdev.h"
#include "mm/dma.h"
#include "pci/pci.h"
#include "sched/callout.h"
#include "sync/semaphore.h"
#include "sync/spinlock.h"

/* ---- HBA registers: generic host control (AHCI 3.1), offsets into ABAR ---- */
#define AHCI_ABAR           5           /* the PCI BAR of the registers */
#define AHCI_CAP            0x00
#define AHCI_GHC            0x04
#define AHCI_IS             0x08
#define AHCI_PI             0x0C
#define AHCI_VS             0x10
#define AHCI_CAP2           0x24
#define AHCI_BOHC           0x28

#define AHCI_CAP_NP(c)      (((c) & 0x1F) + 1)          /* ports the HBA has */
#define AHCI_CAP_NCS(c)     ((((c) >> 8) & 0x1F) + 1)   /* command slots per port */
#define AHCI_CAP_SSS        (1u << 27)  /* staggered spin-up: PxCMD.SUD spins a drive up */
#define AHCI_CAP_SNCQ       (1u << 30)  /* native command queuing */
#define AHCI_CAP_S64A       (1u << 31)  /* 64-bit addresses in PRDs and list bases */

#define AHCI_GHC_HR         (1u << 0)   /* HBA reset */
#define AHCI_GHC_IE         (1u << 1)   /* interrupts on */
#define AHCI_GHC_AE         (1u << 31)  /* AHCI mode (not legacy IDE) */

#define AHCI_CAP2_BOH       (1u << 0)   /* BIOS/OS hand-off supported */
#define AHCI_BOHC_BOS       (1u << 0)   /* the BIOS owns the HBA */
#define AHCI_BOHC_OOS       (1u << 1)   /* the OS asks for it */
#define AHCI_BOHC_BB        (1u << 4)   /* the BIOS is busy finishing */

/* ---- Port registers (AHCI 3.3): port n at ABAR + 0x100 + n * 0x80 ---- */
#define AHCI_PORT_BASE(n)   (0x100 + (n) * 0x80)
#define AHCI_MAX_PORTS      32
#define AHCI_PxCLB          0x00
#define AHCI_PxCLBU         0x04
#define AHCI_PxFB           0x08
#define AHCI_PxFBU          0x0C
#define AHCI_PxIS           0x10
#define AHCI_PxIE           0x14
#define AHCI_PxCMD          0x18
#define AHCI_PxTFD          0x20
#define AHCI_PxSIG          0x24
#define AHCI_PxSSTS         0x28
#define AHCI_PxSCTL         0x2C
#define AHCI_PxSERR         0x30
#define AHCI_PxSACT         0x34
#define AHCI_PxCI           0x38

#define AHCI_PxCMD_ST       (1u << 0)   /* start: process the command list */
#define AHCI_PxCMD_SUD      (1u << 1)   /* spin-up device */
#define AHCI_PxCMD_POD      (1u << 2)   /* power on device */
#define AHCI_PxCMD_FRE      (1u << 4)   /* FIS receive enable */
#define AHCI_PxCMD_FR       (1u << 14)  /* FIS receive running */
#define AHCI_PxCMD_CR       (1u << 15)  /* command list running */

/* PxIS / PxIE bits (AHCI 3.3.5). */
#define AHCI_PxIS_DHRS      (1u << 0)   /* D2H register FIS: a non-queued command ended */
#define AHCI_PxIS_PSS       (1u << 1)   /* PIO setup FIS */
#define AHCI_PxIS_DSS       (1u << 2)   /* DMA setup FIS */
#define AHCI_PxIS_SDBS      (1u << 3)   /* set device bits FIS: NCQ commands ended */
#define AHCI_PxIS_UFS       (1u << 4)   /* unknown FIS */
#define AHCI_PxIS_DPS       (1u << 5)   /* a PRD with its I bit done */
#define AHCI_PxIS_OFS       (1u << 24)  /* overflow */
#define AHCI_PxIS_INFS      (1u << 26)  /* interface non-fatal error */
#define AHCI_PxIS_IFS       (1u << 27)  /* interface fatal error */
#define AHCI_PxIS_HBDS      (1u << 28)  /* host bus data error */
#define AHCI_PxIS_HBFS      (1u << 29)  /* host bus fatal error */
#define AHCI_PxIS_TFES      (1u << 30)  /* task file error: STS.ERR in a FIS */
#define AHCI_PxIS_DONE      (AHCI_PxIS_DHRS | AHCI_PxIS_PSS | AHCI_PxIS_DSS | AHCI_PxIS_SDBS | \
                             AHCI_PxIS_DPS)
#define AHCI_PxIS_ERRORS    (AHCI_PxIS_UFS | AHCI_PxIS_OFS | AHCI_PxIS_INFS | AHCI_PxIS_IFS | \
                             AHCI_PxIS_HBDS | AHCI_PxIS_HBFS | AHCI_PxIS_TFES)

#define AHCI_PxTFD_STS(t)   ((t) & 0xFF)            /* ata.h ATA_STS_* */
#define AHCI_PxTFD_ERR(t)   (((t) >> 8) & 0xFF)     /* ata.h ATA_ERR_* */

#define AHCI_SSTS_DET(s)    ((s) & 0xF)
#define AHCI_SSTS_DET_PHY   3           /* a device, and phy communication */
#define AHCI_SCTL_DET_INIT  1           /* DET = 1: send COMRESET */
#define AHCI_SCTL_IPM_NONE  (3u << 8)   /* no partial or slumber power states */

/* PxSIG (AHCI 3.3.9): what the device said after reset. */
#define AHCI_SIG_ATA        0x00000101u
#define AHCI_SIG_ATAPI      0xEB140101u
#define AHCI_SIG_SEMB       0xC33C0101u /* enclosure bridge */
#define AHCI_SIG_PM         0x96690101u /* port multiplier */

/* ---- In memory (AHCI 4.2) ---- */
#define AHCI_SLOTS          32          /* most an HBA has; CAP.NCS may say fewer */
#define AHCI_PRDS           DMA_MAX_SEGS    /* PRD entries per command table: one per segment */
#define AHCI_PRD_MAX        (4u << 20)  /* bytes one PRD describes at most (DBC: 22 bits) */

/* A command header (AHCI 4.2.2): one per slot in the command list. */
struct ahci_cmd_header {
    uint16_t flags;                     /* CFL (FIS dwords, 4:0), W (6: to the device), ... */
    uint16_t prdtl;                     /* PRD entries in the table */
    volatile uint32_t prdbc;            /* bytes transferred, written by the HBA */
    uint64_t ctba;                      /* command table's bus address, 128-byte aligned */
    uint32_t reserved[4];
};
#define AHCI_HDR_CFL_H2D    5           /* a register H2D FIS is 20 bytes: 5 dwords */
#define AHCI_HDR_WRITE      (1u << 6)
#define AHCI_HDR_CLEAR_BUSY (1u << 10)  /* C: clear PxTFD.BSY once sent (a reset FIS) */
_Static_assert(sizeof(struct ahci_cmd_header) == 32, "AHCI 4.2.2: 32-byte command header");

/* A PRD entry (AHCI 4.2.3.3): a piece of memory of an even byte count. */
struct ahci_prd {
    uint64_t dba;                       /* bus address; bit 0 must be 0 */
    uint32_t reserved;
    uint32_t dbc;                       /* byte count - 1 (bit 0 always 1), bit 31: interrupt */
};
_Static_assert(sizeof(struct ahci_prd) == 16, "AHCI 4.2.3.3: 16-byte PRD");

/* A register host-to-device FIS (SATA 3.x 10.5.5): how a command is sent. */
struct ahci_fis_h2d {
    uint8_t type;                       /* AHCI_FIS_H2D */
    uint8_t flags;                      /* bit 7: a command (not a device control) */
    uint8_t command;
    uint8_t feature_lo;
    uint8_t lba0, lba1, lba2, device;
    uint8_t lba3, lba4, lba5, feature_hi;
    uint8_t count_lo, count_hi, icc, control;
    uint8_t reserved[4];
};
#define AHCI_FIS_H2D        0x27
#define AHCI_FIS_D2H        0x34
#define AHCI_FIS_H2D_CMD    0x80
_Static_assert(sizeof(struct ahci_fis_h2d) == 20, "SATA: 20-byte register FIS");

/* A command table (AHCI 4.2.3): the FIS, an ATAPI command, then the PRDs. */
struct ahci_cmd_table {
    uint8_t cfis[64];
    uint8_t acmd[16];
    uint8_t reserved[48];
    struct ahci_prd prd[AHCI_PRDS];
};
#define AHCI_CMD_TABLE_SIZE sizeof(struct ahci_cmd_table)
_Static_assert(offsetof(struct ahci_cmd_table, prd) == 0x80, "AHCI 4.2.3: PRDs at 0x80");
_Static_assert(AHCI_CMD_TABLE_SIZE % 128 == 0, "AHCI 4.2.3: tables 128-byte aligned");

/* The received FIS area (AHCI 4.2.1): where the HBA puts what the device sent. */
#define AHCI_RFIS_D2H       0x40        /* the last register D2H FIS */
#define AHCI_RFIS_SIZE      256

#define AHCI_MEM_CLB        0
#define AHCI_MEM_FB         1024
#define AHCI_MEM_CTBA       (AHCI_MEM_FB + AHCI_RFIS_SIZE)
#define AHCI_MEM_SIZE       (AHCI_MEM_CTBA + AHCI_SLOTS * AHCI_CMD_TABLE_SIZE)
_Static_assert(AHCI_MEM_CTBA % 128 == 0, "command tables 128-byte aligned");

/* ---- The driver's records ---- */

/* How long a command may take, and a port's engines to stop or start. */
#define AHCI_CMD_TIMEOUT_MS     5000
#define AHCI_ENGINE_TIMEOUT_MS  500     /* AHCI 10.1.2: CR and FR clear within 500 ms */
#define AHCI_LINK_TIMEOUT_MS    1000    /* SSTS.DET = 3 after COMRESET */
#define AHCI_COMRESET_NS        (2 * NS_PER_MS) /* SATA: COMRESET held at least 1 ms */
#define AHCI_EMPTY_MS           20      /* SSTS.DET = 0 that long after COMRESET: no device */
#define AHCI_BUSY_TIMEOUT_MS    5000    /* BSY/DRQ clear after a reset (a disk spinning up) */

/* A request's AHCI flags, kept in req->driver_priv while it waits or runs. */
#define AHCI_RQ_SOLO        (1u << 0)   /* run it non-queued and alone (after an NCQ error) */
#define AHCI_RQ_RETRIED     (1u << 1)   /* a timeout already reset the port for it once */

struct ahci_hba;
struct thread;

struct ahci_port;

struct ahci_slot {
    struct ahci_port *port;
    unsigned index;                     /* the slot number, the NCQ tag */
    struct block_request *req;          /* NULL: free */
    struct dma_map map;
    struct callout timeout;             /* fires AHCI_CMD_TIMEOUT_MS after issue */
    uint64_t deadline_ns;
    int ncq;                            /* sent as READ/WRITE FPDMA QUEUED */
};

struct ahci_port {
    struct ahci_hba *hba;
    unsigned index;                     /* 0..31 */
    volatile uint8_t *regs;             /* ABAR + AHCI_PORT_BASE(index) */
    struct dma_buf mem;                 /* list, received FIS, tables (layout above) */
    struct ahci_cmd_header *list;
    struct ahci_cmd_table *tables;
    struct ata_identity id;
    struct block_device bdev;
    unsigned nslots;                    /* slots used: min(CAP.NCS, NCQ depth) */
    int ncq;                            /* the HBA and the device both queue */
    uint8_t flush_cmd;                  /* FLUSH CACHE EXT, or FLUSH CACHE */

    struct spinlock lock;               /* guards everything below it */
    uint32_t busy;                      /* slots holding a request */
    uint32_t issued;                    /* of those, the ones the HBA was told of (PxCI) */
    uint32_t queued;                    /* of busy, the NCQ ones (PxSACT set by us) */
    unsigned issuing;                   /* slots reserved, registers not yet written */
    int recovering;                     /* a reset is under way: issue nothing */
    int dead;                           /* the reset found no device: fail everything */
    unsigned test_drop;                 /* tests: commands to "lose" (ahci_test_drop) */
    uint64_t test_drop_lba;             /* ... those that start at this LBA */
    uint32_t test_lost;                 /* slots "lost": read as still in PxCI until a reset */
    uint64_t timeout_ms;                /* a command's time (AHCI_CMD_TIMEOUT_MS; tests shorten it) */
    struct block_request *wait[AHCI_SLOTS];     /* started, not yet issued: a ring */
    unsigned wait_first, wait_count;
    struct ahci_slot slot[AHCI_SLOTS];

    /* from the interrupt handler and callouts to the completion thread */
    uint32_t irq_status;                /* PxIS bits seen (atomic OR) */
    uint32_t timed_out;                 /* slots whose callout fired (atomic OR) */
    struct semaphore wake;
    struct thread *thread;
    uint64_t err_lba;                   /* recovery: the LBA the device named before the reset */
    uint64_t stat_resets, stat_retries, stat_errors;
    unsigned stat_max_out;              /* most commands on the hardware at once */
};

struct ahci_hba {
    struct pci_dev *pci;
    volatile uint8_t *abar;
    uint32_t cap, pi;
    uint64_t dma_limit;                 /* DMA_LIMIT_64BIT when CAP.S64A */
    struct ahci_port *port[AHCI_MAX_PORTS];     /* NULL: not implemented, empty or skipped */
};

/* Register access (MMIO, 32 bits). */
static inline uint32_t ahci_read(volatile uint8_t *base, unsigned off)
{
    return *(volatile uint32_t *)(base + off);
}

static inline void ahci_write(volatile uint8_t *base, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

/* Bits set in v (slots in a bitmap). */
static inline unsigned ahci_bits(uint32_t v)
{
    unsigned n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

/* A request's AHCI_RQ_* flags, kept in its driver_priv (not a pointer) while the driver has it. */
static inline unsigned ahci_rq_flags(const struct block_request *req)
{
    return (unsigned)(uintptr_t)req->driver_priv;
}

static inline void ahci_rq_set_flags(struct block_request *req, unsigned flags)
{
    req->driver_priv = (void *)(uintptr_t)(ahci_rq_flags(req) | flags);
}

/* ahci_port.c */
struct ahci_link_wait {                 /* the wait for a link after COMRESET */
    uint64_t start, empty_since;        /* clock_ns() of its start, of DET's last non-zero */
};
int ahci_port_prepare(struct ahci_port *p);
void ahci_port_release(struct ahci_port *p);
void ahci_port_comreset_begin(struct ahci_port *p);
void ahci_port_comreset_end(struct ahci_port *p, struct ahci_link_wait *w);
int ahci_port_link_poll(struct ahci_port *p, struct ahci_link_wait *w);
void ahci_port_link_up(struct ahci_port *p);
int ahci_port_reset(struct ahci_port *p);
void ahci_port_stop(struct ahci_port *p);
int ahci_port_start(struct ahci_port *p);
int ahci_port_exec_polled(struct ahci_port *p, const struct ahci_fis_h2d *fis, void *buf,
                          uint32_t len, uint32_t *tfd);

/* ahci_disk.c */
int ahci_disk_attach(struct ahci_port *p);

/* ahci_cmd.c */
void ahci_fis_lba(struct ahci_fis_h2d *fis, uint8_t command, uint64_t lba, uint32_t count);
int ahci_cmd_prepare(struct ahci_port *p, unsigned s, const struct ahci_fis_h2d *fis,
                     const struct dma_map *map, int write);
int ahci_start(struct block_device *dev, struct block_request *req);
void ahci_kick(struct ahci_port *p);
void ahci_wait_push_front(struct ahci_port *p, struct block_request *req);
void ahci_slot_release(struct ahci_port *p, unsigned s);

/* ahci_complete.c */
void ahci_irq(void *ctx);
int ahci_complete_start(struct ahci_port *p);
void ahci_timeout_init(struct ahci_port *p);

/*
 * Tests only: the next n commands issued on dev's port that start at lba
 * are "lost" (their slot is taken and their timeout armed, but PxCI is
 * never written), as if the device had stopped answering: the timeout,
 * reset and retry path. timeout_ms replaces the port's command timeout
 * (AHCI_CMD_TIMEOUT_MS puts it back).
 */
void ahci_test_drop(struct block_device *dev, uint64_t lba, unsigned n, uint64_t timeout_ms);

/* ahci_recover.c */
void ahci_recover(struct ahci_port *p, uint32_t tfd, uint32_t is, uint32_t timed_out);
void ahci_fail(struct ahci_port *p, struct block_request *req, int status, const char *what,
               uint32_t tfd);
