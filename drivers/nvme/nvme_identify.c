/*
 * nvme_identify.c - what the controller and its namespaces are (Identify,
 * NVMe 1.4 5.15), and each usable namespace registered as a block device.
 *
 * Identify Controller gives the model, serial and firmware strings, MDTS
 * (the largest transfer) and NN. The active namespace list (CNS 02h) names
 * the namespaces; Identify Namespace gives each one's size and its LBA
 * formats, FLBAS saying which is in use: 512 or 4096 bytes per block are
 * served, other sizes and metadata interleaved with the data are skipped
 * with a message. A namespace is named nvme<controller>n<k> (block_register,
 * BLOCK_NAME_NUMBER1), k counting the namespaces registered, from 1, as Linux
 * names them.
 *
 * The largest request (bdev.max_blocks) is the smallest of: MDTS, what one
 * PRP list names (nvme_prp.h), and what dma_map can give in DMA_MAX_SEGS
 * pieces when no two pages are contiguous and the buffer starts mid-page.
 */
#include <string.h>

#include "format.h"
#include "mm/heap.h"
#include "nvme/nvme.h"
#include "nvme/nvme_prp.h"
#include "printk.h"

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* An Identify into a 4 KiB buffer: 0, or -1. */
static int identify(struct nvme_ctrl *c, uint32_t cns, uint32_t nsid, struct dma_buf *buf)
{
    struct nvme_sqe cmd = { 0 };

    cmd.opcode = NVME_ADMIN_IDENTIFY;
    cmd.nsid = nsid;
    cmd.prp1 = buf->bus;
    cmd.cdw10 = cns;
    return nvme_admin(c, &cmd, 0) == 0 ? 0 : -1;
}

/* An ASCII field of the identify data, its trailing spaces dropped. */
static void copy_string(char *dst, const uint8_t *src, unsigned n)
{
    while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == 0))
        n--;
    for (unsigned i = 0; i < n; i++)
        dst[i] = (src[i] >= 0x20 && src[i] < 0x7F) ? (char)src[i] : '?';
    dst[n] = 0;
}

static uint32_t max_transfer(const struct nvme_ctrl *c, uint8_t mdts)
{
    uint32_t most = (DMA_MAX_SEGS - 1) * NVME_PAGE;

    if ((NVME_PRP_LIST_ENTRIES + 1) * NVME_PAGE < most)
        most = (NVME_PRP_LIST_ENTRIES + 1) * NVME_PAGE;
    if (mdts != 0 && mdts < 20 && ((NVME_PAGE << NVME_CAP_MPSMIN(c->cap)) << mdts) < most)
        most = (NVME_PAGE << NVME_CAP_MPSMIN(c->cap)) << mdts;
    return most;
}

int nvme_identify_controller(struct nvme_ctrl *c)
{
    struct dma_buf buf;
    const uint8_t *id;

    if (dma_alloc(&buf, NVME_PAGE, NVME_PAGE, DMA_LIMIT_64BIT, "nvme identify") < 0)
        return -1;
    if (identify(c, NVME_CNS_CONTROLLER, 0, &buf) < 0) {
        dma_free(&buf);
        return -1;
    }
    id = buf.va;
    copy_string(c->serial, id + NVME_ID_CTRL_SN, 20);
    copy_string(c->model, id + NVME_ID_CTRL_MN, 40);
    copy_string(c->firmware, id + NVME_ID_CTRL_FR, 8);
    c->max_transfer = max_transfer(c, id[NVME_ID_CTRL_MDTS]);
    c->nn = get32(id + NVME_ID_CTRL_NN);
    c->write_cache = id[NVME_ID_CTRL_VWC] & 1;
    printk(LOG_INFO, "[nvme] %s: %s, serial %s, firmware %s, NVMe %u.%u, up to %u namespaces, %u KiB per command%s\n",
           c->name, c->model, c->serial, c->firmware, c->version >> 16, (c->version >> 8) & 0xFF,
           c->nn, c->max_transfer / 1024, c->write_cache ? ", write cache" : "");
    dma_free(&buf);
    return 0;
}

/* The block size of the LBA format in use, or 0 when the driver cannot serve it. */
static uint32_t lba_size(struct nvme_ctrl *c, uint32_t nsid, const uint8_t *id)
{
    unsigned fmt = id[NVME_ID_NS_FLBAS] & 0xF;
    const uint8_t *lbaf = id + NVME_ID_NS_LBAF + 4 * fmt;
    unsigned lbads = lbaf[2];

    if (fmt > id[NVME_ID_NS_NLBAF] || get16(lbaf) != 0 || (lbads != 9 && lbads != 12)) {
        printk(LOG_WARN, "nvme_identify_namespaces: %s: namespace %u: LBA format %u (2^%u bytes, %u bytes of metadata) "
               "not served (512 or 4096 bytes without metadata): skipped\n",
               c->name, nsid, fmt, lbads, get16(lbaf));
        return 0;
    }
    return 1u << lbads;
}

/* nactive: the namespaces that share the queues' slots. */
static void ns_fill(struct nvme_ns *ns, const uint8_t *id, uint32_t bsize, unsigned nactive)
{
    struct nvme_ctrl *c = ns->ctrl;
    struct block_device *b = &ns->bdev;
    uint32_t depth = 0;

    for (unsigned i = 0; i < c->nq; i++)
        depth += c->io[i]->size - 1u;
    memcpy(b->model, c->model, sizeof(b->model));
    b->block_size = bsize;
    b->physical_block_size = bsize;
    if ((id[NVME_ID_NS_NSFEAT] & NVME_ID_NS_OPTPERF) && get16(id + NVME_ID_NS_NPWG) < 16)
        b->physical_block_size = bsize * (get16(id + NVME_ID_NS_NPWG) + 1u);
    b->blocks = get64(id + NVME_ID_NS_NSZE);
    b->max_blocks = c->max_transfer / bsize;
    b->queue_depth = depth / nactive;
    if (b->queue_depth == 0)
        b->queue_depth = 1;
    b->dma_limit = DMA_LIMIT_64BIT;
    b->ops = &nvme_block_ops;
    b->driver_data = ns;
}

/* Identify namespace nsid and register it: 0, or -1 (skipped). */
static int ns_add(struct nvme_ctrl *c, uint32_t nsid, struct dma_buf *buf, unsigned nactive)
{
    struct nvme_ns *ns;
    uint32_t bsize;
    char prefix[16];

    if (identify(c, NVME_CNS_NAMESPACE, nsid, buf) < 0 || !(bsize = lba_size(c, nsid, buf->va)))
        return -1;
    if (c->nns == NVME_MAX_NS || !(ns = kmalloc(sizeof(*ns)))) {
        printk(LOG_WARN, "nvme_identify_namespaces: %s: namespace %u: no room: skipped\n", c->name, nsid);
        return -1;
    }
    memset(ns, 0, sizeof(*ns));
    ns->ctrl = c;
    ns->nsid = nsid;
    ns_fill(ns, buf->va, bsize, nactive);
    format_snprintf(prefix, sizeof(prefix), "%sn", c->name);
    c->ns[c->nns++] = ns;
    return block_register(&ns->bdev, prefix, BLOCK_NAME_NUMBER1) == 0 ? 0 : -1;
}

void nvme_identify_namespaces(struct nvme_ctrl *c)
{
    struct dma_buf list, buf;

    if (dma_alloc(&list, NVME_PAGE, NVME_PAGE, DMA_LIMIT_64BIT, "nvme ns list") < 0)
        return;
    if (dma_alloc(&buf, NVME_PAGE, NVME_PAGE, DMA_LIMIT_64BIT, "nvme identify") < 0) {
        dma_free(&list);
        return;
    }
    if (identify(c, NVME_CNS_ACTIVE_NS_LIST, 0, &list) == 0) {
        const uint32_t *ids = list.va;
        unsigned n = 0;

        while (n < NVME_PAGE / 4 && ids[n] != 0)
            n++;
        for (unsigned i = 0; i < n; i++)
            ns_add(c, ids[i], &buf, n < NVME_MAX_NS ? n : NVME_MAX_NS);
    }
    if (c->nns == 0)
        printk(LOG_INFO, "[nvme] %s: no namespace to serve\n", c->name);
    dma_free(&buf);
    dma_free(&list);
}
