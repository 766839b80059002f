/*
 * paging.c - the 4-level page tables the kernel starts with: the same
 * shape the BIOS loader builds (bootloader-bios/paging.asm; Intel SDM
 * vol. 3A, 4.5 "4-Level Paging"). One block of 4 KiB tables, typed
 * LOADER_RECLAIM, in this order:
 *   PML4
 *   PDPT      shared by PML4[0] (identity) and PML4[256] (the HHDM at
 *             0xFFFF800000000000): its first N entries point to
 *   PD x N    2 MiB pages covering 0 .. N GiB, N = max(4, the end of the
 *             highest RAM descriptor and of the framebuffer, in GiB), at
 *             most 512. So the first 4 GiB, all RAM (the loader's own
 *             code and stack included: the jump in exit.c runs on these
 *             tables) and the framebuffer are identity mapped and at the
 *             HHDM; writable and executable, as on BIOS;
 *   PDPT_K    PML4[511]; its entry 510 (0xFFFFFFFF80000000) points to
 *   PD_K      whose entries for the kernel's 2 MiB slots point to
 *   PT x K    4 KiB pages mapping each PT_LOAD page at its link address
 *             to kernel_phys + (vaddr - vaddr_lo): writable only with
 *             PF_W, no-execute without PF_X (when the CPU has NX).
 * 2 MiB pages only: 1 GiB pages would need CPUID pdpe1gb and save a few
 * tables, not worth a second shape.
 *
 * OVMF runs in long mode on its own identity tables; these replace them
 * when exit.c loads CR3, after ExitBootServices.
 */
#include <efi.h>

#include "loader.h"

#define PTE_P           (1ULL << 0)
#define PTE_W           (1ULL << 1)
#define PTE_PS          (1ULL << 7)     /* in a PD entry: a 2 MiB page */
#define PTE_NX          (1ULL << 63)    /* needs EFER.NXE */
#define PML4_HHDM       256             /* 0xFFFF800000000000 >> 39 & 511 */
#define PML4_KERNEL     511             /* 0xFFFFFFFF80000000 >> 39 & 511 */
#define PDPT_KERNEL     510             /* 0xFFFFFFFF80000000 >> 30 & 511 */
#define MIN_GIB         4
#define MAX_GIB         512             /* one PDPT */
#define GIB_SHIFT       30
#define SLOT_SHIFT      21              /* 2 MiB */
#define CPUID_EXT_FEATURES  0x80000001U
#define CPUID_EDX_NX        (1U << 20)

struct tables {
    uint64_t *base;         /* the block: PML4, PDPT, PDs, PDPT_K, PD_K, PTs */
    unsigned gib;           /* N */
    unsigned pts;           /* K */
};

static int cpu_has_nx(void)
{
    uint32_t a, b, c, d;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000U));
    if (a < CPUID_EXT_FEATURES)
        return 0;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(CPUID_EXT_FEATURES));
    return (d & CPUID_EDX_NX) != 0;
}

static uint64_t *table(const struct tables *t, unsigned index)
{
    return t->base + (uint64_t)index * 512;
}

static uint64_t phys_of(const uint64_t *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* How many GiB the direct map covers: RAM and the framebuffer. */
static unsigned direct_map_gib(struct loader *ld)
{
    uint64_t top = memmap_ram_top(ld), fb_end = ld->bi->fb.addr + ld->fb_size;
    uint64_t gib;

    if (ld->bi->fb.type == BOOTINFO_FB_RGB && fb_end > top)
        top = fb_end;
    gib = (top + (1ULL << GIB_SHIFT) - 1) >> GIB_SHIFT;
    return gib < MIN_GIB ? MIN_GIB : gib > MAX_GIB ? MAX_GIB : (unsigned)gib;
}

/* PML4[0] = PML4[256] = PDPT -> N PDs of 2 MiB pages. */
static void map_direct(struct tables *t)
{
    uint64_t *pml4 = table(t, 0), *pdpt = table(t, 1);

    pml4[0] = pml4[PML4_HHDM] = phys_of(pdpt) | PTE_P | PTE_W;
    for (unsigned g = 0; g < t->gib; g++) {
        uint64_t *pd = table(t, 2 + g);

        pdpt[g] = phys_of(pd) | PTE_P | PTE_W;
        for (unsigned i = 0; i < 512; i++)
            pd[i] = (((uint64_t)g << GIB_SHIFT) + ((uint64_t)i << SLOT_SHIFT)) | PTE_P | PTE_W |
                    PTE_PS;
    }
}

/* PML4[511] -> PDPT_K[510] -> PD_K -> PTs -> each PT_LOAD page. */
static void map_kernel(struct tables *t, struct loader *ld)
{
    uint64_t *pml4 = table(t, 0), *pdpt_k = table(t, 2 + t->gib), *pd_k = pdpt_k + 512;
    uint64_t slot0 = ld->kernel.vaddr_lo >> SLOT_SHIFT;
    uint64_t *pts = pd_k + 512;
    uint64_t nx = ld->cpu_has_nx ? PTE_NX : 0;

    pml4[PML4_KERNEL] = phys_of(pdpt_k) | PTE_P | PTE_W;
    pdpt_k[PDPT_KERNEL] = phys_of(pd_k) | PTE_P | PTE_W;
    for (unsigned i = 0; i < t->pts; i++)
        pd_k[(slot0 + i) & 511] = phys_of(pts + (uint64_t)i * 512) | PTE_P | PTE_W;
    for (unsigned s = 0; s < ld->seg_count; s++) {
        const struct kernel_seg *seg = &ld->segs[s];
        uint64_t end = (seg->vaddr + seg->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

        for (uint64_t va = seg->vaddr & ~(PAGE_SIZE - 1); va < end; va += PAGE_SIZE) {
            uint64_t pte = (ld->bi->kernel_phys + (va - ld->kernel.vaddr_lo)) | PTE_P;

            pte |= seg->flags & PF_W ? PTE_W : 0;
            pte |= seg->flags & PF_X ? 0 : nx;
            pts[(va >> 12) - (slot0 << 9)] = pte;
        }
    }
}

EFI_STATUS paging_build(struct loader *ld)
{
    struct tables t;
    uint64_t phys, count;
    EFI_STATUS status;

    ld->cpu_has_nx = cpu_has_nx();
    t.gib = direct_map_gib(ld);
    t.pts = (unsigned)(((ld->kernel.vaddr_hi - 1) >> SLOT_SHIFT) -
                       (ld->kernel.vaddr_lo >> SLOT_SHIFT) + 1);
    count = 2 + t.gib + 2 + t.pts;
    status = alloc_pages(ld, count * PAGE_SIZE, BOOTINFO_MEM_LOADER_RECLAIM, &phys);
    if (EFI_ERROR(status)) {
        say("paging: error, no memory for %llu page tables (%s)", (unsigned long long)count,
            status_text(status));
        return status;
    }
    t.base = (uint64_t *)(uintptr_t)phys;
    map_direct(&t);
    map_kernel(&t, ld);
    ld->pml4 = phys;
    say("paging: %llu tables at 0x%llx, identity and direct map of %u GiB, kernel at 0x%llx%s",
        (unsigned long long)count, (unsigned long long)phys, t.gib,
        (unsigned long long)ld->kernel.vaddr_lo, ld->cpu_has_nx ? "" : " (no NX on this CPU)");
    step_done("paging");
    return EFI_SUCCESS;
}
