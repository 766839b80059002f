/*
 * nvme_spec.h - what the NVM Express specification defines and the driver
 * uses: controller registers, the 64-byte submission and 16-byte
 * completion entries, opcodes, Identify fields and status codes. Section
 * numbers are those of NVM Express Base Specification 1.4 (NVM Command Set
 * opcodes: its chapter 6). Nothing here is Tessera's choice; the driver's
 * own structures are in nvme.h.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Controller registers (3.1), byte offsets in BAR0. */
#define NVME_REG_CAP        0x00        /* Controller Capabilities, 64 bits */
#define NVME_REG_VS         0x08        /* Version */
#define NVME_REG_INTMS      0x0C        /* Interrupt Mask Set (INTx and MSI only) */
#define NVME_REG_INTMC      0x10        /* Interrupt Mask Clear */
#define NVME_REG_CC         0x14        /* Controller Configuration */
#define NVME_REG_CSTS       0x1C        /* Controller Status */
#define NVME_REG_AQA        0x24        /* Admin Queue Attributes */
#define NVME_REG_ASQ        0x28        /* Admin Submission Queue base, 64 bits */
#define NVME_REG_ACQ        0x30        /* Admin Completion Queue base, 64 bits */
#define NVME_REG_DOORBELLS  0x1000      /* SQ y tail at 0x1000 + 2y * stride, CQ y head one stride later */

/* CAP fields (3.1.1). */
#define NVME_CAP_MQES(cap)      ((uint32_t)((cap) & 0xFFFF))        /* largest queue, 0-based */
#define NVME_CAP_TO(cap)        ((uint32_t)(((cap) >> 24) & 0xFF))  /* ready timeout, 500 ms units */
#define NVME_CAP_DSTRD(cap)     ((uint32_t)(((cap) >> 32) & 0xF))   /* doorbell stride: 4 << DSTRD bytes */
#define NVME_CAP_CSS_NVM(cap)   ((uint32_t)(((cap) >> 37) & 1))     /* the NVM command set */
#define NVME_CAP_MPSMIN(cap)    ((uint32_t)(((cap) >> 48) & 0xF))   /* smallest page: 4 KiB << MPSMIN */
#define NVME_TO_UNIT_MS         500

/* CC fields (3.1.5). */
#define NVME_CC_EN              (1u << 0)
#define NVME_CC_CSS_NVM         (0u << 4)
#define NVME_CC_MPS_4K          (0u << 7)   /* memory page size 4 KiB << 0 */
#define NVME_CC_AMS_RR          (0u << 11)  /* round-robin arbitration */
#define NVME_CC_IOSQES          (6u << 16)  /* 2^6 = 64-byte submission entries */
#define NVME_CC_IOCQES          (4u << 20)  /* 2^4 = 16-byte completion entries */

/* CSTS fields (3.1.6). */
#define NVME_CSTS_RDY           (1u << 0)
#define NVME_CSTS_CFS           (1u << 1)   /* Controller Fatal Status */

#define NVME_PAGE               4096u       /* the memory page size CC.MPS selects */

/* A submission queue entry (4.2): 64 bytes. */
struct nvme_sqe {
    uint8_t opcode;
    uint8_t flags;                      /* FUSE, PSDT = 0: PRPs */
    uint16_t cid;                       /* command identifier, echoed in the completion */
    uint32_t nsid;
    uint64_t rsvd;
    uint64_t mptr;
    uint64_t prp1, prp2;
    uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

/* A completion queue entry (4.6): 16 bytes. */
struct nvme_cqe {
    uint32_t result;                    /* DW0, command specific */
    uint32_t rsvd;
    uint16_t sq_head, sq_id;
    uint16_t cid;
    uint16_t status;                    /* bit 0 the phase tag, bits 15:1 the status field */
};

_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe submission entries are 64 bytes");
_Static_assert(offsetof(struct nvme_sqe, prp1) == 24, "PRP1 is DW6");
_Static_assert(offsetof(struct nvme_sqe, cdw10) == 40, "CDW10 is DW10");
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe completion entries are 16 bytes");
_Static_assert(offsetof(struct nvme_cqe, status) == 14, "the status field is DW3 bits 31:16");

/* The status field (4.6.1.2), as struct nvme_cqe.status >> 1. */
#define NVME_STATUS_SC(st)      ((st) & 0xFF)           /* Status Code */
#define NVME_STATUS_SCT(st)     (((st) >> 8) & 0x7)     /* Status Code Type */
#define NVME_STATUS_DNR(st)     (((st) >> 14) & 1)      /* Do Not Retry */
#define NVME_SCT_GENERIC        0
#define NVME_SCT_COMMAND        1
#define NVME_SCT_MEDIA          2

/* Admin opcodes (5). */
#define NVME_ADMIN_DELETE_SQ    0x00
#define NVME_ADMIN_CREATE_SQ    0x01
#define NVME_ADMIN_DELETE_CQ    0x04
#define NVME_ADMIN_CREATE_CQ    0x05
#define NVME_ADMIN_IDENTIFY     0x06
#define NVME_ADMIN_SET_FEATURES 0x09

/* Create I/O queue CDW11 bits (5.3, 5.4). */
#define NVME_QUEUE_CONTIG       (1u << 0)   /* physically contiguous */
#define NVME_CQ_IRQ_ENABLED     (1u << 1)

/* Identify CNS values (5.15.1) and the fields read. */
#define NVME_CNS_NAMESPACE      0x00
#define NVME_CNS_CONTROLLER     0x01
#define NVME_CNS_ACTIVE_NS_LIST 0x02
#define NVME_ID_CTRL_SN         4           /* 20 ASCII bytes, space padded */
#define NVME_ID_CTRL_MN         24          /* 40 */
#define NVME_ID_CTRL_FR         64          /* 8 */
#define NVME_ID_CTRL_MDTS       77          /* max transfer: 2^MDTS pages of CAP.MPSMIN, 0: none */
#define NVME_ID_CTRL_NN         516         /* number of namespaces, 32 bits */
#define NVME_ID_CTRL_VWC        525         /* bit 0: a volatile write cache */
#define NVME_ID_NS_NSZE         0           /* size in logical blocks, 64 bits */
#define NVME_ID_NS_NSFEAT       24          /* bit 4: NPWG and friends are valid */
#define NVME_ID_NS_NLBAF        25          /* number of LBA formats, 0-based */
#define NVME_ID_NS_FLBAS        26          /* bits 3:0 the format in use; bit 4 metadata inline */
#define NVME_ID_NS_NPWG         64          /* preferred write granularity, blocks, 0-based */
#define NVME_ID_NS_LBAF         128         /* LBA formats, 4 bytes each: MS (16), LBADS (8), RP */
#define NVME_ID_NS_OPTPERF      (1u << 4)

/* Set Features (5.21): Number of Queues (5.21.1.7). */
#define NVME_FEAT_NUM_QUEUES    0x07

/* NVM command set opcodes (6). */
#define NVME_CMD_FLUSH          0x00
#define NVME_CMD_WRITE          0x01
#define NVME_CMD_READ           0x02
