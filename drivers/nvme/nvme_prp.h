/*
 * nvme_prp.h - Physical Region Page entries from a scatter-gather list
 * (nvme_prp.c): how an NVMe command names the memory of its transfer.
 * Pure code on struct dma_seg, so the host tests run it too
 * (tests/host/test_nvme_prp.c).
 *
 * The rules (NVMe 1.4, 4.3, memory page size 4 KiB): PRP1 is the address
 * of the first byte, which may sit anywhere in its page (dword aligned);
 * every later entry names a whole page from its start. So the pieces of a
 * transfer must join at page boundaries: the first piece may start mid-
 * page but must end at a page end (unless it is the only one), the middle
 * ones start and end on page boundaries, the last one starts on one. PRP2
 * is the second page when there are exactly two, else the bus address of a
 * PRP list holding pages 2..n (one list, no chaining: the driver caps a
 * transfer at NVME_PRP_LIST_ENTRIES + 1 pages).
 */
#pragma once

#include <stdint.h>

#include "mm/dma.h"

#define NVME_PRP_LIST_ENTRIES   32      /* entries of one command's list: 256 bytes */

/* 0 when seg[0..nseg) follows the rules above, else -1 (bounce the request). */
int nvme_prp_fits(const struct dma_seg *seg, unsigned nseg);

/*
 * Fill *prp1 and *prp2 for seg[0..nseg) (which nvme_prp_fits accepted),
 * writing list entries to `list` (bus address list_bus, room for
 * NVME_PRP_LIST_ENTRIES). Returns the number of pages, or -1 when they do
 * not fit in the list.
 */
int nvme_prp_build(const struct dma_seg *seg, unsigned nseg, uint64_t *prp1, uint64_t *prp2,
                   uint64_t *list, uint64_t list_bus);
