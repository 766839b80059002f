/*
 * nvme_prp.c - PRP1, PRP2 and the PRP list of one command from the pieces
 * dma_map gave (rules in nvme_prp.h). nvme_prp_fits says whether the
 * pieces can be named by PRPs at all; nvme_prp_build walks them page by
 * page. No allocation, no device access: the caller owns the list memory.
 */
#include "nvme/nvme_prp.h"
#include "nvme/nvme_spec.h"

#define PAGE_MASK   ((uint64_t)NVME_PAGE - 1)

int nvme_prp_fits(const struct dma_seg *seg, unsigned nseg)
{
    if (nseg == 0 || (seg[0].bus & 3) || seg[0].len == 0)
        return -1;                          /* PRP1 must be dword aligned */
    for (unsigned i = 0; i < nseg; i++) {
        uint64_t end = seg[i].bus + seg[i].len;

        if (i > 0 && (seg[i].bus & PAGE_MASK))
            return -1;                      /* a later piece must start a page */
        if (i + 1 < nseg && (end & PAGE_MASK))
            return -1;                      /* every piece but the last ends a page */
    }
    return 0;
}

/* Page i of the transfer (0: the first byte itself, mid-page or not). */
static void add_page(uint64_t page, unsigned n, uint64_t *prp1, uint64_t *pages2, uint64_t *list)
{
    if (n == 0)
        *prp1 = page;
    else if (n == 1)
        *pages2 = page;
    if (n >= 1 && n - 1 < NVME_PRP_LIST_ENTRIES)
        list[n - 1] = page;
}

int nvme_prp_build(const struct dma_seg *seg, unsigned nseg, uint64_t *prp1, uint64_t *prp2,
                   uint64_t *list, uint64_t list_bus)
{
    unsigned n = 0;
    uint64_t second = 0;

    for (unsigned i = 0; i < nseg; i++) {
        uint64_t end = seg[i].bus + seg[i].len;

        for (uint64_t p = seg[i].bus; p < end; p = (p & ~PAGE_MASK) + NVME_PAGE) {
            add_page(p, n, prp1, &second, list);
            n++;
        }
    }
    if (n - 1 > NVME_PRP_LIST_ENTRIES)
        return -1;
    *prp2 = n == 1 ? 0 : n == 2 ? second : list_bus;
    return (int)n;
}
