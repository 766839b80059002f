/*
 * test_mm.c - the kernel's memory on the machine it runs on: the frame
 * allocator's totals against the boot memory map and a count of the
 * frames it hands out until it has none, 2 MiB blocks, the heap
 * under a million mixed allocations with its counters back where they
 * started, W^X proven by faults (a write to text, a jump into the heap),
 * the identity map gone, a lazy region filled on touch (also by every CPU
 * at once, each first touch racing the others), guard pages unmapped, and
 * the CPU protections the VMM turned on.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/x86_64/cpuid.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/msr.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/trap.h"
#include "x86/lapic.h"
#include "boot/bootinfo_view.h"
#include "mm/heap.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "printk.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"

extern const char __text_start[], __boot_stack_guard[];


/* Whether [phys, phys + 4096) lies in memory the boot map gives the kernel (usable or loader's). */
static int in_managed_entry(uint64_t phys)
{
    const struct bootinfo *bi = bootinfo_get();

    for (unsigned i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = bootinfo_mmap_entry(i);
        if ((e->type == BOOTINFO_MEM_USABLE || e->type == BOOTINFO_MEM_LOADER_RECLAIM) &&
            e->base <= phys && phys + 4096 <= e->base + e->length)
            return 1;
    }
    return 0;
}

/*
 * The free frames counted without the allocator's own counter: every frame
 * mm_frame_alloc hands out until there is none, noted in a bitmap of our
 * own (writing into 2 million frames cost a minute under TCG on 8 GiB),
 * then all given back. *free_before is the allocator's count once the
 * bitmap is allocated; *outside counts frames outside the boot map's
 * usable memory, which must never be handed out. Returns the count, -1
 * without a bitmap.
 */
static int64_t count_by_allocating(uint64_t *free_before, uint64_t *outside)
{
    uint64_t frames = mm_frames()->frames, words = (frames + 63) / 64, n = 0, f;
    uint64_t *taken = kmalloc(words * 8);

    *outside = 0;
    if (!taken)
        return -1;
    memset(taken, 0, words * 8);
    *free_before = mm_frames_free();
    while ((f = mm_frame_alloc()) != 0 && f != PMM_NONE) {
        uint64_t i = f / 4096;

        *outside += !in_managed_entry(f);
        if (i < frames)
            taken[i / 64] |= 1ULL << (i % 64);
        n++;
    }
    for (uint64_t i = 0; i < frames; i++)
        if (taken[i / 64] & (1ULL << (i % 64)))
            mm_frame_free(i * 4096);
    kfree(taken);
    return (int64_t)n;
}

/*
 * The allocator's totals against values it did not compute: the managed
 * frames by a walk of the boot map (whole pages of usable and loader
 * memory, frame 0 left out), the free frames by allocating them all.
 */
void ktest_mm_frames_match_bootinfo(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    struct pmm *p = mm_frames();
    uint64_t managed = 0, free_before = mm_frames_free(), outside;
    int64_t counted;

    for (unsigned i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = bootinfo_mmap_entry(i);
        if (e->type == BOOTINFO_MEM_USABLE || e->type == BOOTINFO_MEM_LOADER_RECLAIM) {
            uint64_t first = (e->base + 4095) / 4096, end = (e->base + e->length) / 4096;
            if (first == 0)
                first = 1;
            managed += end > first ? end - first : 0;
        }
    }
    KTEST_ASSERT_EQ(t, p->managed_frames, managed);
    KTEST_ASSERT(t, free_before < p->managed_frames);
    KTEST_ASSERT(t, free_before > p->managed_frames / 2);
    /* Frames in the other CPUs' caches are free but out of this CPU's reach. */
    counted = count_by_allocating(&free_before, &outside);
    if (!KTEST_ASSERT(t, counted >= 0))
        return;
    KTEST_ASSERT(t, (uint64_t)counted <= free_before);
    KTEST_ASSERT(t, (uint64_t)counted + (uint64_t)(sched_cpus() - 1) * PMM_CPU_FRAMES >= free_before);
    KTEST_ASSERT_EQ(t, outside, 0);
    KTEST_ASSERT(t, mm_frames_free() >= free_before);   /* the bitmap's frames back too */
    KTEST_ASSERT_EQ(t, mm_frames_check(), 0);
    KTEST_ASSERT_EQ(t, p->errors, 0);
}

void ktest_mm_2m_block(struct ktest *t)
{
    uint64_t before = mm_frames_free(), b = mm_frame_alloc_2m();

    if (!KTEST_ASSERT(t, b != PMM_NONE))
        return;
    KTEST_ASSERT_EQ(t, b % PMM_2M, 0);
    memset(arch_phys_to_virt(b), 0x5a, PMM_2M);
    mm_frame_free_2m(b);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/* A million mixed kmalloc/kfree, each object's ends checked at its free. */
void ktest_mm_heap_million(struct ktest *t)
{
    enum { LIVE = 1024 };
    static struct { uint8_t *p; uint32_t n; uint8_t tag; } live[LIVE];
    struct heap_stats before = heap_stats();
    uint64_t frames = mm_frames_free(), seed = 88172645463325252ULL;
    int bad = 0;

    for (uint32_t op = 0; op < 1000000 && !bad; op++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;     /* xorshift64 */
        unsigned k = seed % LIVE;
        if (live[k].p) {
            bad |= live[k].p[0] != live[k].tag || live[k].p[live[k].n - 1] != live[k].tag;
            kfree(live[k].p);
            live[k].p = NULL;
            continue;
        }
        uint32_t n = (seed >> 20) % 100 < 95 ? 1 + (uint32_t)(seed >> 32) % 512 : 1 + (uint32_t)(seed >> 32) % 9000;
        if (!(live[k].p = kmalloc(n))) {
            bad = 1;
            break;
        }
        live[k].n = n;
        live[k].tag = (uint8_t)op;
        live[k].p[0] = live[k].p[n - 1] = live[k].tag;
    }
    for (unsigned k = 0; k < LIVE; k++) {
        kfree(live[k].p);
        live[k].p = NULL;
    }
    for (unsigned i = 0; i < HEAP_CLASSES; i++)
        kmem_cache_shrink((struct kmem_cache *)heap_class(i));
    KTEST_ASSERT(t, !bad);
    KTEST_ASSERT_EQ(t, heap_stats().small_active, before.small_active);
    KTEST_ASSERT_EQ(t, heap_stats().large_active, before.large_active);
    KTEST_ASSERT(t, mm_frames_free() >= frames);
}

void ktest_mm_text_is_read_only(struct ktest *t)
{
    uint64_t target = (uint64_t)(uintptr_t)__text_start + 64;
    struct trap_catch c;

    trap_expect(14);
    __asm__ volatile(TRAP_ARM "movb $0x90, (%0)" TRAP_RESUME :: "r"(target) : "rax", "memory");
    c = trap_expect_done();
    KTEST_ASSERT(t, c.caught);
    KTEST_ASSERT_EQ(t, c.cr2, target);
    KTEST_ASSERT_EQ(t, c.error & 3, 3);                 /* present, write */
}

void ktest_mm_heap_is_not_executable(struct ktest *t)
{
    uint8_t *code;
    struct trap_catch c;

    if (!vmm_features().nx) {
        KTEST_SKIP(t, "no NX: the CPU (or the firmware's setting) cannot forbid execution");
        return;
    }
    if (!KTEST_ASSERT(t, (code = kmalloc(64)) != NULL))
        return;
    code[0] = 0xC3;                                     /* ret: it must never run */
    trap_expect(14);
    __asm__ volatile(TRAP_ARM "jmp *%0" TRAP_RESUME :: "r"(code) : "rax", "memory");
    c = trap_expect_done();
    KTEST_ASSERT(t, c.caught);
    KTEST_ASSERT_EQ(t, c.cr2, (uint64_t)(uintptr_t)code);
    KTEST_ASSERT_EQ(t, c.error & 0x11, 0x11);          /* present, instruction fetch */
    kfree(code);
}

void ktest_mm_identity_map_gone(struct ktest *t)
{
    struct page_mapping m;

    KTEST_ASSERT(t, pagewalk(0x100000, &m) != 0);
    KTEST_ASSERT(t, pagewalk(0x200000, &m) != 0);
    KTEST_ASSERT(t, pagewalk((uint64_t)(uintptr_t)__boot_stack_guard, &m) != 0);
    KTEST_ASSERT(t, (arch_read_cr3() & PTE_ADDR) == vmm_kernel_space()->pml4);
}

void ktest_mm_lazy_region_filled_on_touch(struct ktest *t)
{
    uint64_t va = kva_alloc(16 * 4096, KVA_LAZY, "lazy test");
    uint64_t faults = kva_stats().lazy_faults;
    struct page_mapping m;
    int zero = 1;

    if (!KTEST_ASSERT(t, va != 0))
        return;
    KTEST_ASSERT(t, pagewalk(va, &m) != 0);
    for (int i = 0; i < 16; i++) {
        volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(va + (uint64_t)i * 4096 + 8);
        zero &= *w == 0;
        *w = (uint64_t)i;
    }
    KTEST_ASSERT(t, zero);
    KTEST_ASSERT_EQ(t, kva_stats().lazy_faults, faults + 16);
    KTEST_ASSERT(t, pagewalk(va + 15 * 4096, &m) == 0 && m.writable && (!m.executable || !vmm_features().nx));
    kva_free(va);
    KTEST_ASSERT(t, pagewalk(va, &m) != 0);
}

/* --- a lazy region first touched by every CPU at once --- */

#define LAZY_PAGES      512             /* many first touches, each a race between all CPUs */
#define LAZY_MAX_CPUS   64

static volatile uint64_t lazy_va;
static volatile unsigned lazy_ready, lazy_written, lazy_cpus;
static volatile int lazy_lost;

static void lazy_barrier(volatile unsigned *count)
{
    __atomic_fetch_add(count, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < lazy_cpus)
        arch_cpu_relax();
}

/* Pinned to CPU `arg`: once every toucher is ready, write this CPU's word of
 * every page in the same order as all the others; once all have written,
 * check them (a page mapped twice would have lost the earlier words). */
static void lazy_toucher(void *arg)
{
    unsigned cpu = (unsigned)(uintptr_t)arg;

    lazy_barrier(&lazy_ready);
    for (uint64_t i = 0; i < LAZY_PAGES; i++)
        ((volatile uint64_t *)(uintptr_t)(lazy_va + i * 4096))[cpu] = i + 1;
    lazy_barrier(&lazy_written);
    for (uint64_t i = 0; i < LAZY_PAGES; i++)
        if (((volatile uint64_t *)(uintptr_t)(lazy_va + i * 4096))[cpu] != i + 1)
            lazy_lost = 1;
}

/*
 * Every CPU runs a pinned thread; all start at once and touch the same
 * LAZY_PAGES lazy pages. Whoever comes second to a page finds it mapped by
 * the first: that is a handled fault, not a panic. Each page is filled
 * exactly once (LAZY_PAGES lazy faults, however many CPUs raced for it)
 * and keeps every CPU's word. (Whether the CPUs meet depends on the host:
 * mm_lazy_fault_already_mapped makes the second comer's fault itself.)
 */
void ktest_mm_lazy_region_all_cpus(struct ktest *t)
{
    static struct thread *ts[LAZY_MAX_CPUS];
    unsigned cpus = sched_cpus();
    uint64_t faults = kva_stats().lazy_faults, raced = kva_stats().lazy_raced;

    if (!KTEST_ASSERT(t, cpus <= LAZY_MAX_CPUS))
        return;
    lazy_va = kva_alloc(LAZY_PAGES * 4096, KVA_LAZY, "lazy all-CPU test");
    if (!KTEST_ASSERT(t, lazy_va != 0))
        return;
    lazy_ready = lazy_written = 0;
    lazy_cpus = cpus;
    lazy_lost = 0;
    for (unsigned i = 0; i < cpus; i++)
        if (!KTEST_ASSERT(t, (ts[i] = thread_create_on("lazy toucher", lazy_toucher, (void *)(uintptr_t)i,
                                                       SCHED_PRIO_DEFAULT, (int)i)) != NULL))
            __atomic_fetch_sub(&lazy_cpus, 1, __ATOMIC_ACQ_REL);    /* the others need not wait for it */
    for (unsigned i = 0; i < cpus; i++)
        if (ts[i])
            thread_join(ts[i]);
    KTEST_ASSERT_EQ(t, lazy_lost, 0);
    KTEST_ASSERT_EQ(t, kva_stats().lazy_faults - faults, LAZY_PAGES);
    printk(LOG_INFO, "[ktest] mm_lazy_region_all_cpus: %llu raced faults\n",
           (unsigned long long)(kva_stats().lazy_raced - raced));
    kva_free(lazy_va);
}

/*
 * The second comer's fault, made on purpose: a lazy page already mapped
 * (by a touch) faults again as it would on a CPU whose walk saw it absent
 * a moment before. That is handled, maps nothing new, and the page keeps
 * its contents. The lazy_race mutant (the check removed) fails it every
 * time, whatever the host does with the vCPUs.
 */
void ktest_mm_lazy_fault_already_mapped(struct ktest *t)
{
    uint64_t va = kva_alloc(4096, KVA_LAZY, "lazy second comer"), faults;

    if (!KTEST_ASSERT(t, va != 0))
        return;
    *(volatile uint64_t *)(uintptr_t)va = 42;           /* the first comer */
    faults = kva_stats().lazy_faults;
    KTEST_ASSERT_EQ(t, kva_page_fault(va, MMU_FAULT_WRITE), 1);
    KTEST_ASSERT_EQ(t, kva_stats().lazy_faults, faults);
    KTEST_ASSERT_EQ(t, *(volatile uint64_t *)(uintptr_t)va, 42);
    kva_free(va);
}

/* The newest line of the log that holds `what` also names `who`. */
static int log_names(const char *what, const char *who)
{
    char *log = kmalloc(PRINTK_LOG_SIZE + 1), *line = NULL;
    size_t n;
    int found;

    if (!log)
        return 0;
    n = printk_log_read(log, PRINTK_LOG_SIZE);
    log[n] = 0;
    for (char *p = log; (p = strstr(p, what)); p++)
        line = p;
    if (line && strchr(line, '\n'))
        *strchr(line, '\n') = 0;
    found = line && strstr(line, who);
    kfree(log);
    return found;
}

/*
 * kva_free takes only what kva_alloc returned: an address inside a region
 * (or in no region) is refused, reported with the caller's name, and
 * every page stays mapped; the start then frees it.
 */
void ktest_mm_kva_free_interior(struct ktest *t)
{
    uint64_t va = kva_alloc(4 * 4096, KVA_GUARD, "interior test"), bad = kva_stats().bad_frees;
    uint64_t regions = kva_stats().regions;
    struct page_mapping m;

    if (!KTEST_ASSERT(t, va != 0))
        return;
    kva_free(va + 4096);
    kva_free(va + 8);
    kva_free(va - 8);                               /* its guard page */
    KTEST_ASSERT_EQ(t, kva_stats().bad_frees, bad + 3);
    KTEST_ASSERT_EQ(t, kva_stats().regions, regions);
    for (int i = 0; i < 4; i++)
        KTEST_ASSERT(t, pagewalk(va + (uint64_t)i * 4096, &m) == 0);
    KTEST_ASSERT(t, log_names("kva_free: inside 'interior test'", "ktest_mm_kva_free_interior"));
    kva_free(va);
    KTEST_ASSERT_EQ(t, kva_stats().regions, regions - 1);
    KTEST_ASSERT(t, pagewalk(va, &m) != 0);
    kva_free(va);                                   /* twice: it is no allocation any more */
    KTEST_ASSERT_EQ(t, kva_stats().bad_frees, bad + 4);
    KTEST_ASSERT(t, log_names("kva_free: not a kernel allocation", "ktest_mm_kva_free_interior"));
}

void ktest_mm_guard_pages(struct ktest *t)
{
    uint64_t stack = kva_alloc(8192, KVA_GUARD, "guard test");
    char why[160];
    struct page_mapping m;
    struct trap_catch c;

    if (!KTEST_ASSERT(t, stack != 0))
        return;
    KTEST_ASSERT(t, pagewalk(stack, &m) == 0);
    KTEST_ASSERT(t, pagewalk(stack - 4096, &m) != 0);
    trap_expect(14);
    __asm__ volatile(TRAP_ARM "movb $1, (%0)" TRAP_RESUME :: "r"(stack - 8) : "rax", "memory");
    c = trap_expect_done();
    KTEST_ASSERT(t, c.caught && c.cr2 == stack - 8);
    KTEST_ASSERT(t, kva_explain(stack - 8, why, sizeof why) != NULL);
    KTEST_ASSERT(t, strstr(why, "stack overflow on 'guard test'") != NULL);
    for (int i = 1; i <= IST_COUNT; i++)                /* the IST stacks have theirs */
        KTEST_ASSERT(t, pagewalk(gdt_ist_top(i) - IST_STACK_SIZE - 4096, &m) != 0);
    kva_free(stack);
}

#define CPUID_LEAF_EXT_FEATURES 0x80000001u
#define CPUID_EXT_EDX_NX        (1u << 20)      /* execute-disable: SDM vol. 2A, CPUID */

/* NX as CPUID reports it (a firmware that disables XD hides it there too). */
static int cpuid_has_nx(void)
{
    return arch_cpuid(CPUID_LEAF_EXT_MAX, 0).eax >= CPUID_LEAF_EXT_FEATURES &&
           (arch_cpuid(CPUID_LEAF_EXT_FEATURES, 0).edx & CPUID_EXT_EDX_NX) != 0;
}

void ktest_mm_cpu_protections(struct ktest *t)
{
    struct vmm_features f = vmm_features();
    uint64_t cr4 = arch_read_cr4();

    KTEST_ASSERT(t, arch_read_cr0() & CR0_WP);
    KTEST_ASSERT_EQ(t, (cr4 & CR4_SMEP) != 0, f.smep);
    KTEST_ASSERT_EQ(t, (cr4 & CR4_SMAP) != 0, f.smap);
    KTEST_ASSERT_EQ(t, (cr4 & CR4_UMIP) != 0, f.umip);
    KTEST_ASSERT_EQ(t, f.nx, cpuid_has_nx());
    KTEST_ASSERT_EQ(t, (arch_rdmsr(MSR_EFER) & EFER_NXE) != 0, f.nx);
}

/* 2 MiB pages for a large region; device memory uncached; the framebuffer write-combining. */
void ktest_mm_huge_mmio_and_caching(struct ktest *t)
{
    const struct bootinfo *bi = bootinfo_get();
    uint64_t big = kva_alloc(4 << 20, KVA_HUGE, "huge test"), size, e;
    uint64_t nx = vmm_features().nx ? PTE_NX : 0;
    uint64_t mmio = kva_map_mmio(arch_rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK, 4096, VMM_UNCACHED,
                                 "lapic test");

    if (!KTEST_ASSERT(t, big && mmio))
        return;
    e = vmm_entry(vmm_kernel_space(), big + (3 << 20), &size);
    KTEST_ASSERT_EQ(t, size, 2 << 20);
    KTEST_ASSERT(t, (e & (PTE_P | PTE_W | PTE_NX)) == (PTE_P | PTE_W | nx));
    ((volatile uint8_t *)(uintptr_t)big)[(4 << 20) - 1] = 7;
    KTEST_ASSERT_EQ(t, ((volatile uint8_t *)(uintptr_t)big)[(4 << 20) - 1], 7);
    e = vmm_entry(vmm_kernel_space(), mmio, &size);
    KTEST_ASSERT_EQ(t, e & (PTE_PCD | PTE_PWT), PTE_PCD | PTE_PWT);
    /* the local APIC (at IA32_APIC_BASE): its version register has 0x10..0x15 in its low byte */
    if (!lapic_is_x2apic())             /* in x2APIC mode its MMIO window is off */
        KTEST_ASSERT(t, (*(volatile uint32_t *)(uintptr_t)(mmio + 0x30) & 0xF0) == 0x10);
    if (bi->fb.type == BOOTINFO_FB_RGB && vmm_features().pat) {
        e = vmm_entry(vmm_kernel_space(), ARCH_HHDM_BASE + bi->fb.addr, &size);
        KTEST_ASSERT(t, e & (size == 4096 ? PTE_PAT_4K : PTE_PAT_LARGE));
        KTEST_ASSERT(t, !(e & (PTE_PCD | PTE_PWT)));            /* PAT entry 4: write-combining */
    }
    kva_free(big);
    kva_free(mmio);
    KTEST_ASSERT_EQ(t, vmm_entry(vmm_kernel_space(), big, &size), 0);
}

/*
 * An address space: an allocated object, the kernel half shared, the
 * lower half its own and closed to kernel-half ranges; a mapping costs its
 * three tables below the PML4; a second reference keeps it alive, the last
 * frees all four tables.
 */
void ktest_mm_address_space(struct ktest *t)
{
    uint64_t frame = mm_zeroed_frame(), size, before, live;
    struct vmm_space *s = vmm_space_create();
    uint64_t kernel_va = (uint64_t)(uintptr_t)&ktest_mm_address_space;

    if (!KTEST_ASSERT(t, s && frame))
        return;
    KTEST_ASSERT(t, s != vmm_kernel_space() && s->pml4 != vmm_kernel_space()->pml4);
    before = mm_frames_free();
    KTEST_ASSERT(t, vmm_map(s, 0x400000, frame, 4096, VMM_WRITE | VMM_USER) == 0);
    KTEST_ASSERT_EQ(t, before - mm_frames_free(), 3);              /* PDPT, PD, PT */
    KTEST_ASSERT(t, vmm_map(s, 0x400000, frame, 4096, VMM_WRITE | VMM_USER) != 0);   /* taken */
    KTEST_ASSERT(t, vmm_map(s, VMM_KERNEL_HALF, frame, 4096, VMM_WRITE) != 0);       /* not its half */
    KTEST_ASSERT_EQ(t, vmm_translate(s, 0x400123), frame + 0x123);
    KTEST_ASSERT(t, vmm_entry(s, 0x400000, &size) & PTE_U);
    KTEST_ASSERT_EQ(t, vmm_translate(s, kernel_va), vmm_translate(vmm_kernel_space(), kernel_va));
    KTEST_ASSERT_EQ(t, vmm_translate(vmm_kernel_space(), 0x400000), 0);    /* not in the kernel's */
    vmm_space_get(s);
    vmm_space_put(s);
    KTEST_ASSERT_EQ(t, vmm_translate(s, 0x400123), frame + 0x123);         /* still alive */
    live = mm_frames_free();
    vmm_space_put(s);
    KTEST_ASSERT_EQ(t, mm_frames_free() - live, 4);         /* PML4, PDPT, PD, PT all back */
    mm_frame_free(frame);
}
