/*
 * nvme.h - the NVMe driver's own structures, shared by its files:
 *   nvme_ctrl.c      the PCI probe, CAP, the disable/enable handshake and
 *                    the admin queue (polled, one command at a time)
 *   nvme_identify.c  Identify Controller and Namespace, each namespace a
 *                    block device (nvme0n1, ...)
 *   nvme_queue.c     Set Features (number of queues), the I/O queue pairs
 *                    (one per CPU, as many as granted), their interrupts
 *   nvme_io.c        a block request into a READ/WRITE/FLUSH command on
 *                    this CPU's submission queue (nvme_prp.c: its PRPs)
 *   nvme_complete.c  each queue's completion thread: the phase bit, the
 *                    status reported with the sector, the timeout callout
 *   nvme_recover.c   a timed-out command: controller reset, retry once
 *
 * Locks: ctrl->admin_lock (a mutex) serialises admin commands;
 * ctrl->reset_lock (a mutex, taken before admin_lock) serialises resets;
 * each I/O queue's q->lock (a spinlock, a leaf but for the callout list
 * lock) guards its ring indices, its command slots' states and `stopped`.
 * A reset takes every queue's lock in qid order.
 */
#pragma once

#include <stdint.h>

#include "block/blockdev.h"
#include "mm/dma.h"
#include "nvme/nvme_spec.h"
#include "pci/pci.h"
#include "sched/callout.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"
#include "sync/spinlock.h"

#define NVME_ADMIN_SIZE     32          /* admin ring entries */
#define NVME_IO_SIZE        64          /* I/O ring entries (fewer if CAP.MQES says so) */
#define NVME_MAX_IO_QUEUES  16
#define NVME_MAX_NS         16
#define NVME_MAX_CPUS       64
#define NVME_ADMIN_TIMEOUT_MS   5000
#define NVME_IO_TIMEOUT_MS      10000   /* nvme_timeout_ms=N on the command line changes it */

struct nvme_ctrl;
struct nvme_queue;

/* One namespace: a block device. */
struct nvme_ns {
    struct nvme_ctrl *ctrl;
    uint32_t nsid;
    struct block_device bdev;
};

/* A command slot of an I/O queue; its index is the command identifier. */
enum nvme_slot_state {
    NVME_SLOT_FREE,
    NVME_SLOT_BUILDING,                 /* taken by nvme_io_start, not yet issued */
    NVME_SLOT_ISSUED,                   /* on the submission queue (or waiting for a restart) */
    NVME_SLOT_DONE,                     /* its completion was taken off the ring */
};

struct nvme_cmd {
    struct nvme_queue *q;
    uint16_t cid;
    enum nvme_slot_state state;         /* q->lock */
    struct block_request *req;
    struct block_device *dev;           /* the one ops->start was given */
    struct nvme_ns *ns;
    struct nvme_sqe sqe;                /* as built: a reset issues it again */
    struct dma_map map;
    struct dma_buf bounce;              /* size 0: the request's own memory is mapped */
    uint64_t *prp_list;                 /* NVME_PRP_LIST_ENTRIES, in q->prp_mem */
    uint64_t prp_list_bus;
    struct callout timeout;
    volatile int timed_out;             /* set by the callout */
    int retried;                        /* issued again after a reset already */
};

/* A queue pair: the admin queue (qid 0, polled) or an I/O queue. */
struct nvme_queue {
    struct nvme_ctrl *ctrl;
    uint16_t qid, size;                 /* size: entries of each ring */
    struct dma_buf sq_mem, cq_mem, prp_mem;
    volatile struct nvme_sqe *sq;
    volatile struct nvme_cqe *cq;
    volatile uint32_t *sq_db, *cq_db;   /* doorbells, at the controller's stride */
    unsigned vector;                    /* MSI-X/MSI vector index (I/O queues) */
    int cpu;                            /* the CPU its vector and thread are on, -1: any */

    struct spinlock lock;               /* guards the fields below (I/O queues) */
    uint16_t sq_tail, cq_head;
    uint8_t phase;                      /* the phase tag a new completion carries */
    int stopped;                        /* a reset is under way: issue nothing */
    struct nvme_cmd *cmds;              /* size - 1 slots */
    uint16_t *free_cids;                /* a stack of free slot indices */
    unsigned nfree;

    struct semaphore wake;              /* its interrupt and its timeouts wake the thread */
    volatile int timeouts;              /* a callout fired since the thread last looked */
    uint64_t stat_cmds, stat_completions, stat_wakes;
    volatile uint64_t stat_irqs, stat_irqs_elsewhere;  /* interrupts; those on another CPU than `cpu` */
    struct thread *thread;
};

struct nvme_ctrl {
    struct pci_dev *pci;
    unsigned index;                     /* nvme0, nvme1, ... */
    char name[12];
    volatile uint8_t *regs;
    uint64_t cap;
    uint32_t stride;                    /* doorbell stride, bytes */
    uint64_t ready_timeout_ns;          /* CAP.TO */
    uint64_t io_timeout_ns;
    uint32_t version;

    struct mutex admin_lock;
    struct nvme_queue admin;

    char model[BLOCK_MODEL_LEN], serial[21], firmware[9];
    uint32_t max_transfer;              /* bytes a command may move (MDTS, PRP list, dma_map) */
    uint32_t nn;                        /* namespaces the controller may have */
    int write_cache;

    unsigned nq;                        /* I/O queue pairs */
    struct nvme_queue *io[NVME_MAX_IO_QUEUES];
    uint8_t cpu_queue[NVME_MAX_CPUS];   /* CPU -> index into io[] */
    unsigned irq_kind;                  /* PCI_IRQ_MSIX, _MSI or _INTX */

    unsigned nns;
    struct nvme_ns *ns[NVME_MAX_NS];

    struct mutex reset_lock;
    uint64_t resets;
    volatile uint64_t stat_bounces;     /* requests that went through a bounce buffer */
    volatile int dead;                  /* a reset failed: every request fails */
    struct nvme_ctrl *next;
};

/* nvme_ctrl.c */
struct nvme_ctrl *nvme_first(void);     /* every controller probed, in probe order */
uint32_t nvme_reg_read32(struct nvme_ctrl *c, unsigned off);
int nvme_ctrl_enable(struct nvme_ctrl *c);          /* disable, admin queue, enable: 0 or -1 */
int nvme_ctrl_disable(struct nvme_ctrl *c);
int nvme_admin(struct nvme_ctrl *c, struct nvme_sqe *cmd, uint32_t *result);  /* status field, -1: timeout */
void nvme_queue_rings_reset(struct nvme_queue *q);
void nvme_doorbell(struct nvme_ctrl *c, volatile uint32_t *db, uint32_t value);

/* nvme_identify.c */
int nvme_identify_controller(struct nvme_ctrl *c);
void nvme_identify_namespaces(struct nvme_ctrl *c);

/* nvme_queue.c */
int nvme_queues_setup(struct nvme_ctrl *c);
int nvme_queues_create(struct nvme_ctrl *c);        /* (again) on the controller: 0 or -1 */
struct nvme_queue *nvme_queue_of_cpu(struct nvme_ctrl *c, int cpu);

/* nvme_io.c */
extern const struct block_ops nvme_block_ops;
void nvme_io_issue_locked(struct nvme_cmd *cmd);    /* caller holds cmd->q->lock */
void nvme_io_unmap(struct nvme_cmd *cmd);
void nvme_io_finish(struct nvme_cmd *cmd, int status);

/* nvme_complete.c */
void nvme_complete_thread(void *arg);
void nvme_complete_irq(void *arg);
void nvme_complete_timeout(void *arg);
void nvme_report_error(struct nvme_cmd *cmd, unsigned status);
void nvme_report_timeout(struct nvme_cmd *cmd, const char *what);

/* nvme_recover.c */
void nvme_recover(struct nvme_ctrl *c);
