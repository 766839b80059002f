/*
 * pagewalk.h - look up how the current page tables (CR3) map a virtual
 * address, the way the CPU would: 4-level paging, 1 GiB and 2 MiB pages
 * included. Read-only; used by the ktests to check the loader's mapping.
 */
#pragma once

#include <stdint.h>

struct page_mapping {
    uint64_t phys;          /* the physical address va maps to */
    int writable;           /* R/W set at every level */
    int executable;         /* NX clear at every level (EFER.NXE is on) */
};

/* 0 and *m filled when va is mapped; -1 when some level is not present. */
int pagewalk(uint64_t va, struct page_mapping *m);
