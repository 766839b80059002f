/*
 * pagewalk.c - software walk of the x86_64 page tables (see pagewalk.h).
 * Entry bits: Intel SDM Vol. 3A, 4.5 "4-Level Paging". The tables are
 * reached through the HHDM, which the loader maps for all memory.
 */
#include "arch.h"
#include "arch/x86_64/pagewalk.h"

#define PTE_PRESENT     (1ULL << 0)
#define PTE_WRITABLE    (1ULL << 1)
#define PTE_HUGE        (1ULL << 7)     /* PS: 1 GiB in a PDPTE, 2 MiB in a PDE */
#define PTE_NX          (1ULL << 63)
#define PTE_ADDR        0x000FFFFFFFFFF000ULL

int pagewalk(uint64_t va, struct page_mapping *m)
{
    uint64_t table = arch_read_cr3() & PTE_ADDR;

    m->writable = 1;
    m->executable = 1;
    for (int level = 3; level >= 0; level--) {
        unsigned shift = 12 + 9 * (unsigned)level;
        const uint64_t *t = arch_phys_to_virt(table);
        uint64_t e = t[(va >> shift) & 511];

        if (!(e & PTE_PRESENT))
            return -1;
        m->writable &= (e & PTE_WRITABLE) != 0;
        m->executable &= (e & PTE_NX) == 0;
        if (level == 0 || (level <= 2 && (e & PTE_HUGE))) {
            uint64_t span = 1ULL << shift;
            m->phys = (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1));
            return 0;
        }
        table = e & PTE_ADDR;
    }
    return -1;
}
