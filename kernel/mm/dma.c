/*
 * dma.c - memory a device reads and writes by itself (dma.h): coherent
 * buffers and scatter-gather mappings with a bounce path.
 *
 *   dma_alloc   contiguous frames below the device's limit from the frame
 *               allocator (mm_frames_alloc_contig), zeroed, reached through
 *               the direct map; bus address = physical address (no IOMMU).
 *   dma_map     walks the buffer a page at a time (its physical address
 *               from the direct map, or from the kernel's page tables for
 *               kva memory: stacks, vmalloc-like areas), merging pages that
 *               are contiguous into one segment and cutting segments at
 *               max_seg. When any byte lies above the limit the whole
 *               buffer goes through one bounce buffer below it (dma_alloc):
 *               copied in now for DMA_TO_DEVICE, copied out at dma_unmap for
 *               DMA_FROM_DEVICE. One bounce for the whole transfer keeps a
 *               map one contiguous run in either case.
 * Threads only: both may allocate and copy (dma.h).
 */
#include <string.h>

#include "arch.h"
#include "mm/dma.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "mutant.h"
#include "printk.h"

#define DMA_PAGE            4096ULL
#define DMA_SEG_MAX         0x80000000ULL       /* a segment's len is 32 bits: keep well inside */

int dma_alloc(struct dma_buf *b, size_t size, size_t align, uint64_t limit, const char *name)
{
    uint64_t pages = (size + DMA_PAGE - 1) / DMA_PAGE;
    uint64_t end = limit == DMA_LIMIT_64BIT ? limit : limit + 1;
    uint64_t phys;

    memset(b, 0, sizeof *b);
    if (align < DMA_PAGE)
        align = DMA_PAGE;
    if (pages == 0 || (align & (align - 1))) {
        printk(LOG_ERR, "dma_alloc: %s: %zu bytes aligned to %zu refused\n", name, size, align);
        return -1;
    }
    phys = mm_frames_alloc_contig(pages, align, end);
    if (phys == PMM_NONE) {
        printk(LOG_WARN, "dma_alloc: %s: no %llu contiguous pages below 0x%llx\n", name,
               (unsigned long long)pages, (unsigned long long)end);
        return -1;
    }
    b->va = arch_phys_to_virt(phys);
    b->bus = phys;
    b->size = pages * DMA_PAGE;
    memset(b->va, 0, b->size);
    return 0;
}

void dma_free(struct dma_buf *b)
{
    if (b->size)
        mm_frames_free_contig(b->bus, b->size / DMA_PAGE);
    memset(b, 0, sizeof *b);
}

/* The physical address of a kernel address: the direct map's, else the page tables'. 0: unmapped. */
static uint64_t phys_of(const char *va)
{
    uint64_t v = (uint64_t)(uintptr_t)va;

    if (v >= ARCH_HHDM_BASE && v - ARCH_HHDM_BASE < ARCH_HHDM_SIZE_MAX)
        return arch_virt_to_phys_hhdm(va);
    return vmm_translate(vmm_kernel_space(), v);
}

/* Append [bus, bus + len) to the list: into the last segment when it continues it, cut at max_seg. */
static int add_range(struct dma_map *m, uint64_t bus, uint64_t len, uint64_t max_seg)
{
    while (len) {
        struct dma_seg *last = m->nseg ? &m->seg[m->nseg - 1] : NULL;
        uint64_t take;

        if (last && last->bus + last->len == bus && last->len < max_seg) {
            take = len < max_seg - last->len ? len : max_seg - last->len;
            last->len += (uint32_t)take;
        } else {
            if (m->nseg == DMA_MAX_SEGS)
                return -1;
            take = len < max_seg ? len : max_seg;
            m->seg[m->nseg].bus = bus;
            m->seg[m->nseg].len = (uint32_t)take;
            m->nseg++;
        }
        bus += take;
        len -= take;
    }
    return 0;
}

/*
 * The segments of [va, va + len), page by page; 1 when a byte lies above
 * limit (nothing usable then), 0 when all fit, -1 for an unmapped page or
 * too many segments.
 */
static int walk(struct dma_map *m, const char *va, size_t len, uint64_t limit, uint64_t max_seg)
{
    for (size_t off = 0; off < len; ) {
        uint64_t pa = phys_of(va + off);
        uint64_t chunk = DMA_PAGE - (pa & (DMA_PAGE - 1));

        if (chunk > len - off)
            chunk = len - off;
        if (pa == 0)
            return -1;
        if (pa + chunk - 1 > limit)
            return 1;
        if (add_range(m, pa, chunk, max_seg) != 0)
            return -1;
        off += chunk;
    }
    return 0;
}

int dma_map(struct dma_map *m, void *va, size_t len, unsigned dir, uint64_t limit, uint32_t max_seg)
{
    uint64_t seg_max = max_seg && max_seg < DMA_SEG_MAX ? max_seg : DMA_SEG_MAX;
    int r;

    memset(m, 0, sizeof *m);
    m->va = va;
    m->len = len;
    m->dir = dir;
    r = walk(m, va, len, limit, seg_max);
    if (r <= 0)
        return r;
    if (MUTANT_ENABLED(dma_bounce))
        return -1;
    m->nseg = 0;                        /* something lies above the limit: bounce the lot */
    if (dma_alloc(&m->bounce, len, DMA_PAGE, limit, "bounce") != 0)
        return -1;
    if (dir & DMA_TO_DEVICE)
        memcpy(m->bounce.va, va, len);
    if (add_range(m, m->bounce.bus, len, seg_max) != 0) {
        dma_free(&m->bounce);
        return -1;
    }
    return 0;
}

void dma_unmap(struct dma_map *m)
{
    if (m->bounce.size) {
        if (m->dir & DMA_FROM_DEVICE)
            memcpy(m->va, m->bounce.va, m->len);
        dma_free(&m->bounce);
    }
    m->nseg = 0;
}
