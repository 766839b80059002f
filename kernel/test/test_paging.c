/*
 * test_paging.c - ktests on the mapping the loader built for the kernel:
 * each segment with its own permissions (text R+X, rodata R, data R+W, no
 * page both writable and executable) and bootinfo.kernel_phys really being
 * where kernel_virt points.
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "mm/vmm.h"
#include "test/ktest.h"

/* kernel/arch/x86_64/kernel.ld */
extern const char __kernel_start[], __text_start[], __text_end[], __rodata_start[],
    __rodata_end[], __data_start[], __bss_end[];

/* Every page of [start, end) has the given permissions (executable -1: either). */
static void expect_range(struct ktest *t, const char *what, const char *start,
                         const char *end, int writable, int executable)
{
    struct page_mapping m;

    for (uint64_t va = (uint64_t)(uintptr_t)start & ~0xFFFULL; va < (uint64_t)(uintptr_t)end;
         va += 4096) {
        if (pagewalk(va, &m) != 0) {
            ktest_fail(t, __FILE__, __LINE__, "%s: 0x%llx not mapped", what,
                       (unsigned long long)va);
            return;
        }
        if (m.writable != writable || (executable >= 0 && m.executable != executable)) {
            ktest_fail(t, __FILE__, __LINE__, "%s: 0x%llx is %s%s, expected %s%s", what,
                       (unsigned long long)va, m.writable ? "W" : "-", m.executable ? "X" : "-",
                       writable ? "W" : "-", executable ? "X" : "-");
            return;
        }
    }
}

/* Without NX (the CPU lacks it, or the firmware hides it) every page executes: W is still checked. */
void ktest_kernel_segment_permissions(struct ktest *t)
{
    int nx = vmm_features().nx, no_exec = nx ? 0 : -1;

    expect_range(t, "text", __text_start, __text_end, 0, 1);
    expect_range(t, "rodata", __rodata_start, __rodata_end, 0, no_exec);
    expect_range(t, "data+bss", __data_start, __bss_end, 1, no_exec);
    if (!nx)
        KTEST_SKIP(t, "no NX: every page executes (only W checked)");
}

void ktest_kernel_phys_matches_mapping(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    struct page_mapping m;

    KTEST_ASSERT_EQ(t, bi->kernel_virt, (uint64_t)(uintptr_t)__kernel_start);
    if (!KTEST_ASSERT(t, pagewalk((uint64_t)(uintptr_t)__kernel_start, &m) == 0))
        return;
    KTEST_ASSERT_EQ(t, m.phys, bi->kernel_phys);
    KTEST_ASSERT(t, (uint64_t)(uintptr_t)__bss_end - (uint64_t)(uintptr_t)__kernel_start
                    <= bi->kernel_size);
}
