/*
 * dma.h - memory a device reads and writes by itself (dma.c): what a
 * driver gives its controller as bus addresses.
 *
 * On a PC without an IOMMU a bus address is the physical address, and
 * DMA snoops the caches, so ordinary write-back memory is coherent: no
 * flush is needed, only the compiler and store order (dma_wmb before
 * telling the device a descriptor is ready, dma_rmb after reading that it
 * finished). A device that can only address 32 bits (limit
 * DMA_LIMIT_32BIT) gets memory below 4 GiB, or a bounce buffer.
 *
 * Two kinds of DMA memory:
 *   coherent buffers  long-lived, physically contiguous, zeroed: command
 *                     lists, queues, descriptor rings. dma_alloc / dma_free.
 *   mappings          a kernel buffer a request reads into or writes from
 *                     (a buffer-cache block, a page): dma_map turns it into
 *                     a scatter-gather list of physically contiguous pieces,
 *                     each within the device's limit; a piece above the limit
 *                     goes through a bounce buffer below it (copied before a
 *                     write to the device, after a read from it, at dma_unmap).
 * Every call is for threads, never interrupt handlers (they may allocate,
 * copy or free): the block layer completes requests in a thread
 * (blockdev.h), which is where a driver unmaps.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define DMA_LIMIT_32BIT     0xFFFFFFFFULL
#define DMA_LIMIT_64BIT     0xFFFFFFFFFFFFFFFFULL

/* Direction of a mapping: what the device does with the memory. */
#define DMA_TO_DEVICE       1           /* the device reads it (a disk write) */
#define DMA_FROM_DEVICE     2           /* the device writes it (a disk read) */

#define dma_wmb()   __asm__ volatile("sfence" ::: "memory")
#define dma_rmb()   __asm__ volatile("lfence" ::: "memory")

struct dma_buf {
    void *va;                           /* kernel address */
    uint64_t bus;                       /* the device's address */
    size_t size;
};

/* `size` bytes (rounded to pages), contiguous, zeroed, aligned to `align`
 * (a power of two, at least 4096), below `limit`: 0, or -1 when out. */
int dma_alloc(struct dma_buf *b, size_t size, size_t align, uint64_t limit, const char *name);
void dma_free(struct dma_buf *b);

#define DMA_MAX_SEGS        32

struct dma_seg {
    uint64_t bus;
    uint32_t len;
};

struct dma_map {
    unsigned nseg;
    struct dma_seg seg[DMA_MAX_SEGS];
    /* private */
    void *va;
    size_t len;
    unsigned dir;
    struct dma_buf bounce;              /* size 0: none */
};

/* Map [va, va + len) for one transfer: pieces split at page boundaries
 * where the memory is not contiguous, merged where it is; each piece at
 * most max_seg bytes (0: no limit) and below `limit`. 0, or -1 (more than
 * DMA_MAX_SEGS pieces, or no memory for a bounce buffer). */
int dma_map(struct dma_map *m, void *va, size_t len, unsigned dir, uint64_t limit, uint32_t max_seg);
void dma_unmap(struct dma_map *m);
