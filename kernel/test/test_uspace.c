/*
 * test_uspace.c - in-kernel tests of address spaces (kernel/mm/uspace.c):
 * copy-on-write fork, shared memory across fork, mprotect, MADV_DONTNEED,
 * faults in one copy-on-write page on every CPU at once, and frames
 * counted before and after (no leak).
 *
 * The tests drive uspace_fault directly, the call the page-fault path
 * makes, from kernel threads: no process is needed, and a thread per CPU
 * can hit one page at the same moment.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "errno.h"
#include "mm/frame_ref.h"
#include "mm/mm.h"
#include "mm/uspace.h"
#include "mm/vma_tree.h"
#include "mm/vmm.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"

#define PAGE        4096ULL
#define AREA        0x10000000ULL         /* private, read-write */
#define AREA_PAGES  8
#define TEXT        0x20000000ULL         /* private, read-only */
#define SHARED      0x30000000ULL         /* MAP_SHARED */
#define WRITE_FAULT (MMU_FAULT_PRESENT | MMU_FAULT_WRITE | MMU_FAULT_USER)

/* The byte at va as the space maps it, or -1 when the page is not mapped. */
static int peek(struct uspace *us, uint64_t va)
{
    uint64_t pa = vmm_translate(us->vm, va);

    return pa ? *(volatile uint8_t *)arch_phys_to_virt(pa) : -1;
}

static void poke(struct uspace *us, uint64_t va, uint8_t val)
{
    *(volatile uint8_t *)arch_phys_to_virt(vmm_translate(us->vm, va)) = val;
}

/* 1 when the page at va is mapped writable by the user. */
static int writable(struct uspace *us, uint64_t va)
{
    uint64_t size, e = vmm_entry(us->vm, va, &size);

    return e && vmm_entry_grants(e, VMM_USER | VMM_WRITE);
}

/* A parent with eight written private pages, a read-only page, a shared page written. */
static struct uspace *parent_create(struct ktest *t)
{
    struct uspace *us = uspace_create();
    uint8_t b;

    if (!KTEST_ASSERT(t, us != NULL))
        return NULL;
    KTEST_ASSERT_EQ(t, uspace_map(us, AREA, AREA_PAGES * PAGE, USPACE_R | USPACE_W, USPACE_MMAP), 0);
    KTEST_ASSERT_EQ(t, uspace_map(us, TEXT, PAGE, USPACE_R | USPACE_X, USPACE_ELF), 0);
    KTEST_ASSERT_EQ(t, uspace_map(us, SHARED, 2 * PAGE, USPACE_R | USPACE_W | USPACE_SHARED, USPACE_MMAP), 0);
    for (unsigned i = 0; i < AREA_PAGES; i++) {
        b = (uint8_t)(0x40 + i);
        KTEST_ASSERT_EQ(t, uspace_write(us, AREA + i * PAGE + 5, &b, 1), 0);
    }
    b = 0x7E;
    KTEST_ASSERT_EQ(t, uspace_write(us, TEXT, &b, 1), 0);
    b = 0x5A;
    KTEST_ASSERT_EQ(t, uspace_write(us, SHARED, &b, 1), 0);
    return us;
}

/*
 * fork shares every page read-only; the child's first write copies the
 * page (the parent still reads its byte), the parent's write then lands in
 * place (it is the last sharer); a read-only page stays one frame; a
 * shared page is one frame, and a page of it touched first by the child
 * after the fork is the parent's too. Frames all back after both go.
 */
void ktest_uspace_fork_cow(struct ktest *t)
{
    uint64_t before = mm_frames_free(), pa, pa_child;
    struct uspace *parent, *child;

    if (!(parent = parent_create(t)))
        return;
    KTEST_ASSERT_EQ(t, parent->resident, AREA_PAGES + 2);
    child = uspace_fork(parent);
    if (!KTEST_ASSERT(t, child != NULL)) {
        uspace_put(parent);
        return;
    }
    KTEST_ASSERT_EQ(t, child->resident, AREA_PAGES + 2);
    pa = vmm_translate(parent->vm, AREA);
    KTEST_ASSERT_EQ(t, vmm_translate(child->vm, AREA), pa);
    KTEST_ASSERT(t, !writable(parent, AREA) && !writable(child, AREA));
    KTEST_ASSERT(t, frame_ref_shared(pa));
    KTEST_ASSERT_EQ(t, peek(child, AREA + 5), 0x40);

    /* The child writes: its own copy. */
    KTEST_ASSERT_EQ(t, uspace_fault(child, AREA + 5, WRITE_FAULT), 1);
    pa_child = vmm_translate(child->vm, AREA);
    KTEST_ASSERT(t, pa_child != pa);
    KTEST_ASSERT(t, writable(child, AREA));
    KTEST_ASSERT_EQ(t, peek(child, AREA + 5), 0x40);
    poke(child, AREA + 5, 0x99);
    KTEST_ASSERT_EQ(t, peek(parent, AREA + 5), 0x40);
    KTEST_ASSERT(t, !frame_ref_shared(pa));
    /* The parent, the last sharer, writes in place. */
    KTEST_ASSERT_EQ(t, uspace_fault(parent, AREA + 5, WRITE_FAULT), 1);
    KTEST_ASSERT_EQ(t, vmm_translate(parent->vm, AREA), pa);
    KTEST_ASSERT(t, writable(parent, AREA));

    /* Read-only: one frame, and a write is refused. */
    KTEST_ASSERT_EQ(t, vmm_translate(child->vm, TEXT), vmm_translate(parent->vm, TEXT));
    KTEST_ASSERT_EQ(t, uspace_fault(child, TEXT, WRITE_FAULT), 0);
    KTEST_ASSERT_EQ(t, peek(child, TEXT), 0x7E);

    /* Shared: one frame, writable in both; a page touched after the fork is found by the other. */
    KTEST_ASSERT_EQ(t, vmm_translate(child->vm, SHARED), vmm_translate(parent->vm, SHARED));
    KTEST_ASSERT(t, writable(child, SHARED) && writable(parent, SHARED));
    KTEST_ASSERT_EQ(t, uspace_fault(child, SHARED + PAGE, MMU_FAULT_WRITE | MMU_FAULT_USER), 1);
    poke(child, SHARED + PAGE, 0x33);
    KTEST_ASSERT_EQ(t, uspace_fault(parent, SHARED + PAGE, MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, peek(parent, SHARED + PAGE), 0x33);

    /* The child goes first (its frames held by the parent stay), then the parent. */
    uspace_put(child);
    KTEST_ASSERT_EQ(t, peek(parent, AREA + PAGE + 5), 0x41);
    KTEST_ASSERT_EQ(t, peek(parent, SHARED + PAGE), 0x33);
    uspace_put(parent);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/*
 * uspace_get/put: the space lives until the last reference goes; fork of a
 * fork; the parent exits first, and a grandchild's write still copies.
 */
void ktest_uspace_fork_chain(struct ktest *t)
{
    uint64_t before = mm_frames_free();
    struct uspace *a, *b, *c;

    if (!(a = parent_create(t)))
        return;
    b = uspace_fork(a);
    c = b ? uspace_fork(b) : NULL;
    if (!KTEST_ASSERT(t, b && c))
        return;
    uspace_get(a);
    uspace_put(a);                      /* one reference left: a still works */
    KTEST_ASSERT_EQ(t, peek(a, AREA + 5), 0x40);
    uspace_put(a);
    KTEST_ASSERT_EQ(t, uspace_fault(c, AREA + 5, WRITE_FAULT), 1);
    poke(c, AREA + 5, 1);
    KTEST_ASSERT_EQ(t, peek(b, AREA + 5), 0x40);
    KTEST_ASSERT(t, vmm_translate(b->vm, AREA) != vmm_translate(c->vm, AREA));
    uspace_put(b);
    KTEST_ASSERT_EQ(t, uspace_fault(c, AREA + PAGE, WRITE_FAULT), 1);   /* the last sharer: in place */
    KTEST_ASSERT_EQ(t, peek(c, AREA + PAGE + 5), 0x41);
    uspace_put(c);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/*
 * mprotect: read-only refuses a write, and back to read-write a page still
 * shared with a child stays copy-on-write (the write copies); PROT_NONE
 * refuses a read. MADV_DONTNEED: a private page reads as zeros after, a
 * shared one keeps its bytes. A range with a hole is -ENOMEM.
 */
void ktest_uspace_protect_discard(struct ktest *t)
{
    uint64_t before = mm_frames_free(), pa;
    struct uspace *us, *child;

    if (!(us = parent_create(t)))
        return;
    KTEST_ASSERT_EQ(t, uspace_protect(us, AREA, 2 * PAGE, USPACE_R), 0);
    KTEST_ASSERT(t, !writable(us, AREA));
    KTEST_ASSERT_EQ(t, uspace_fault(us, AREA, WRITE_FAULT), 0);
    KTEST_ASSERT(t, writable(us, AREA + 2 * PAGE));                     /* the split: the rest unchanged */
    child = uspace_fork(us);
    if (!KTEST_ASSERT(t, child != NULL))
        return;
    KTEST_ASSERT_EQ(t, uspace_protect(us, AREA, 2 * PAGE, USPACE_R | USPACE_W), 0);
    KTEST_ASSERT(t, !writable(us, AREA));                               /* shared with the child still */
    pa = vmm_translate(us->vm, AREA);
    KTEST_ASSERT_EQ(t, uspace_fault(us, AREA, WRITE_FAULT), 1);
    KTEST_ASSERT(t, vmm_translate(us->vm, AREA) != pa);
    uspace_put(child);
    KTEST_ASSERT_EQ(t, uspace_protect(us, AREA + 3 * PAGE, PAGE, 0), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, AREA + 3 * PAGE, MMU_FAULT_PRESENT | MMU_FAULT_USER), 0);
    KTEST_ASSERT_EQ(t, uspace_protect(us, AREA, 0x20000, USPACE_R), -ENOMEM);     /* past the VMA */
    KTEST_ASSERT_EQ(t, us->resident, AREA_PAGES + 2);
    KTEST_ASSERT_EQ(t, uspace_discard(us, AREA + 4 * PAGE, 2 * PAGE), 0);
    KTEST_ASSERT_EQ(t, us->resident, AREA_PAGES);
    KTEST_ASSERT_EQ(t, peek(us, AREA + 4 * PAGE + 5), -1);
    KTEST_ASSERT_EQ(t, uspace_fault(us, AREA + 4 * PAGE + 5, MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, peek(us, AREA + 4 * PAGE + 5), 0);
    KTEST_ASSERT_EQ(t, peek(us, AREA + 6 * PAGE + 5), 0x46);
    KTEST_ASSERT_EQ(t, uspace_discard(us, SHARED, PAGE), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, SHARED, MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, peek(us, SHARED), 0x5A);
    uspace_put(us);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/* --- one copy-on-write page, every CPU at once ---------------------------------------- */

#define COW_SPACES  4                   /* the parent and three children */
#define COW_ROUNDS  20
#define COW_MAX_CPUS 64

static struct uspace *cow_space[COW_SPACES];
static volatile unsigned cow_waiting, cow_go, cow_failed;

/* Thread i writes every page of the area in space i % COW_SPACES, all CPUs together. */
static void cow_writer(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    struct uspace *us = cow_space[i % COW_SPACES];

    __atomic_fetch_add(&cow_waiting, 1, __ATOMIC_ACQ_REL);
    while (!__atomic_load_n(&cow_go, __ATOMIC_ACQUIRE))
        sched_yield();
    for (unsigned p = 0; p < AREA_PAGES; p++)
        if (uspace_fault(us, AREA + p * PAGE + 5, WRITE_FAULT) != 1)
            __atomic_fetch_add(&cow_failed, 1, __ATOMIC_RELAXED);
}

/*
 * The parent and three children share eight pages; on every CPU a thread
 * writes all eight in one of the four spaces, at once, twenty rounds. After
 * each round every space has each page writable, on a frame of its own
 * holding the byte written before the fork, no frame is left counted as
 * shared, and once all four go every frame is back.
 */
void ktest_uspace_cow_all_cpus(struct ktest *t)
{
    static struct thread *ts[COW_MAX_CPUS];
    unsigned cpus = sched_cpus();
    uint64_t before = mm_frames_free();

    if (cpus > COW_MAX_CPUS)
        cpus = COW_MAX_CPUS;
    for (unsigned round = 0; round < COW_ROUNDS && !t->failures; round++) {
        if (!(cow_space[0] = parent_create(t)))
            return;
        for (unsigned s = 1; s < COW_SPACES; s++)
            if (!KTEST_ASSERT(t, (cow_space[s] = uspace_fork(cow_space[0])) != NULL))
                return;
        cow_waiting = cow_go = cow_failed = 0;
        for (unsigned i = 0; i < cpus; i++)
            ts[i] = thread_create_on("cow writer", cow_writer, (void *)(uintptr_t)(i + round), SCHED_PRIO_DEFAULT,
                                     (int)i);
        for (unsigned i = 0; i < cpus; i++)
            if (!ts[i])
                __atomic_fetch_add(&cow_waiting, 1, __ATOMIC_ACQ_REL);
        while (__atomic_load_n(&cow_waiting, __ATOMIC_ACQUIRE) < cpus)
            sched_yield();
        __atomic_store_n(&cow_go, 1, __ATOMIC_RELEASE);
        for (unsigned i = 0; i < cpus; i++)
            if (ts[i])
                thread_join(ts[i]);
        KTEST_ASSERT_EQ(t, cow_failed, 0);
        /* The spaces no thread wrote (fewer CPUs than spaces) write now, one after another. */
        for (unsigned s = 0; s < COW_SPACES; s++)
            for (unsigned p = 0; p < AREA_PAGES; p++)
                KTEST_ASSERT_EQ(t, uspace_fault(cow_space[s], AREA + p * PAGE + 5, WRITE_FAULT), 1);
        for (unsigned p = 0; p < AREA_PAGES; p++) {
            uint64_t va = AREA + p * PAGE;
            for (unsigned s = 0; s < COW_SPACES; s++) {
                uint64_t pa = vmm_translate(cow_space[s]->vm, va);
                KTEST_ASSERT(t, writable(cow_space[s], va));
                KTEST_ASSERT_EQ(t, peek(cow_space[s], va + 5), 0x40 + p);
                KTEST_ASSERT(t, !frame_ref_shared(pa));
                for (unsigned o = 0; o < s; o++)
                    KTEST_ASSERT(t, vmm_translate(cow_space[o]->vm, va) != pa);
            }
        }
        for (unsigned s = 0; s < COW_SPACES; s++)
            uspace_put(cow_space[s]);
    }
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/* The lowest address of the VMA holding va, or 0. */
static uint64_t vma_start(struct uspace *us, uint64_t va)
{
    for (struct uvma *v = us->vmas; v; v = v->next)
        if (v->start <= va && va < v->end)
            return v->start;
    return 0;
}

/*
 * The stack: its VMA covers USPACE_STACK_INIT at first and grows down on a
 * touch below, to USPACE_STACK_SIZE below its top and never to within
 * USPACE_STACK_GAP of the VMA below. A stack placed 1.5 MiB above another
 * mapping stops growing 1 MiB above it.
 */
void ktest_uspace_stack_grows(struct ktest *t)
{
    const uint64_t top = 0x40800000ULL, limit = top - USPACE_STACK_SIZE, below_end = limit - 0x80000;
    uint64_t before = mm_frames_free();
    struct uspace *us = uspace_create();
    char b = 1;

    if (!KTEST_ASSERT(t, us != NULL))
        return;
    KTEST_ASSERT_EQ(t, uspace_map(us, limit, USPACE_STACK_SIZE, USPACE_R | USPACE_W, USPACE_STACK), 0);
    KTEST_ASSERT_EQ(t, uspace_map(us, below_end - 0x100000, 0x100000, USPACE_R | USPACE_W, USPACE_MMAP), 0);
    KTEST_ASSERT_EQ(t, vma_start(us, top - PAGE), top - USPACE_STACK_INIT);
    KTEST_ASSERT_EQ(t, vma_start(us, top - USPACE_STACK_INIT - PAGE), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, top - 0x300000 + 8, MMU_FAULT_WRITE | MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, vma_start(us, top - PAGE), top - 0x300000);
    KTEST_ASSERT_EQ(t, uspace_write(us, top - 0x400000, &b, 1), 0);           /* the loader's writes grow it too */
    KTEST_ASSERT_EQ(t, vma_start(us, top - PAGE), top - 0x400000);
    /* Into the gap: 1 MiB above the mapping below, refused; just above it, taken. */
    KTEST_ASSERT_EQ(t, uspace_fault(us, below_end + USPACE_STACK_GAP - PAGE, MMU_FAULT_WRITE | MMU_FAULT_USER), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, below_end + USPACE_STACK_GAP, MMU_FAULT_WRITE | MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, vma_start(us, top - PAGE), below_end + USPACE_STACK_GAP);
    /* Past the limit nothing: the mapping below is gone, the limit still holds. */
    KTEST_ASSERT_EQ(t, uspace_unmap(us, below_end - 0x100000, 0x100000), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, limit + PAGE, MMU_FAULT_WRITE | MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, uspace_fault(us, limit - PAGE, MMU_FAULT_WRITE | MMU_FAULT_USER), 0);
    uspace_put(us);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/* The page size mapping va (4 KiB, 2 MiB), or 0 when unmapped. */
static uint64_t page_size(struct uspace *us, uint64_t va)
{
    uint64_t size = 0;

    return vmm_entry(us->vm, va, &size) ? size : 0;
}

/*
 * 2 MiB pages: a fault in a large private anonymous mapping maps the
 * aligned 2 MiB around it whole (zeroed, 512 pages resident); mprotect of
 * one 4 KiB page in it splits it into 512 small pages of the same bytes,
 * only that one read-only; fork copies a whole one; MADV_NOHUGEPAGE keeps
 * faults small; munmap of part of one leaves the rest; no frame lost.
 */
void ktest_uspace_huge_pages(struct ktest *t)
{
    const uint64_t base = 0x40000000ULL, mib2 = 2ULL << 20;
    uint64_t before = mm_frames_free();
    struct uspace *us = uspace_create(), *child;
    uint8_t b = 0x77;

    uint64_t probe = mm_frame_alloc_2m();

    if (probe == PMM_NONE) {
        if (us)
            uspace_put(us);
        KTEST_SKIP(t, "no free 2 MiB frame");
        return;
    }
    mm_frame_free_2m(probe);
    if (!KTEST_ASSERT(t, us != NULL))
        return;
    KTEST_ASSERT_EQ(t, uspace_map(us, base, 3 * mib2, USPACE_R | USPACE_W, USPACE_MMAP), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, base + 5, MMU_FAULT_WRITE | MMU_FAULT_USER), 1);
    if (!KTEST_ASSERT_EQ(t, page_size(us, base), mib2)) {
        uspace_put(us);
        return;
    }
    KTEST_ASSERT_EQ(t, us->resident, 512);
    KTEST_ASSERT_EQ(t, peek(us, base + mib2 - 1), 0);
    poke(us, base + PAGE + 9, b);
    /* fork copies it whole */
    child = uspace_fork(us);
    if (KTEST_ASSERT(t, child != NULL)) {
        KTEST_ASSERT_EQ(t, page_size(child, base), mib2);
        KTEST_ASSERT(t, vmm_translate(child->vm, base) != vmm_translate(us->vm, base));
        KTEST_ASSERT_EQ(t, peek(child, base + PAGE + 9), b);
        uspace_put(child);
    }
    /* mprotect of one page splits it */
    KTEST_ASSERT_EQ(t, uspace_protect(us, base + PAGE, PAGE, USPACE_R), 0);
    KTEST_ASSERT_EQ(t, page_size(us, base), PAGE);
    KTEST_ASSERT_EQ(t, page_size(us, base + mib2 - PAGE), PAGE);
    KTEST_ASSERT_EQ(t, peek(us, base + PAGE + 9), b);
    KTEST_ASSERT(t, !writable(us, base + PAGE) && writable(us, base) && writable(us, base + 2 * PAGE));
    KTEST_ASSERT_EQ(t, us->resident, 512);
    /* munmap of part: the rest stays */
    KTEST_ASSERT_EQ(t, uspace_unmap(us, base + 4 * PAGE, 4 * PAGE), 0);
    KTEST_ASSERT_EQ(t, us->resident, 508);
    KTEST_ASSERT_EQ(t, peek(us, base + PAGE + 9), b);
    /* MADV_NOHUGEPAGE: the next 2 MiB faults in small pages */
    KTEST_ASSERT_EQ(t, uspace_advise_huge(us, base + mib2, mib2, 0), 0);
    KTEST_ASSERT_EQ(t, uspace_fault(us, base + mib2, MMU_FAULT_WRITE | MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, page_size(us, base + mib2), PAGE);
    /* the last 2 MiB: huge again; MADV_DONTNEED of part of it splits and drops */
    KTEST_ASSERT_EQ(t, uspace_fault(us, base + 2 * mib2 + 3 * PAGE, MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, page_size(us, base + 2 * mib2), mib2);
    KTEST_ASSERT_EQ(t, uspace_discard(us, base + 2 * mib2, PAGE), 0);
    KTEST_ASSERT_EQ(t, page_size(us, base + 2 * mib2), 0);
    KTEST_ASSERT_EQ(t, page_size(us, base + 2 * mib2 + PAGE), PAGE);
    uspace_put(us);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/* VMAs on the list, counted. */
static long list_count(struct uspace *us)
{
    long n = 0;

    for (struct uvma *v = us->vmas; v; v = v->next, n++)
        if (v->next && v->next->start < v->end)
            return -1;
    return n;
}

/*
 * The VMA tree with 301 regions mapped in a scattered order: the AVL rules
 * hold and the tree has what the list has after the maps, after unmapping
 * every third (and one unmap across many), and after mprotect splits; a
 * fault finds each mapped page and none of the holes; a fork's tree too.
 */
static void vma_tree_round(struct ktest *t)
{
    const uint64_t base = 0x50000000ULL;
    const unsigned n = 301;             /* 301 = 7 * 43 and 11 are coprime: i * 11 % n visits every slot */
    struct uspace *us = uspace_create(), *child;
    char b = 3;

    if (!KTEST_ASSERT(t, us != NULL))
        return;
    for (unsigned i = 0; i < n; i++) {
        uint64_t at = base + (uint64_t)(i * 11 % n) * 2 * PAGE;
        KTEST_ASSERT_EQ(t, uspace_map(us, at, PAGE, USPACE_R | USPACE_W, USPACE_MMAP), 0);
    }
    KTEST_ASSERT_EQ(t, vma_tree_check(us->tree), n);
    KTEST_ASSERT_EQ(t, list_count(us), n);
    for (unsigned i = 0; i < n; i++)
        KTEST_ASSERT_EQ(t, uspace_write(us, base + i * 2 * PAGE, &b, 1), 0);
    KTEST_ASSERT_EQ(t, uspace_write(us, base + PAGE, &b, 1), -EFAULT);                     /* a hole */
    for (unsigned i = 0; i < n; i += 3)
        KTEST_ASSERT_EQ(t, uspace_unmap(us, base + i * 2 * PAGE, PAGE), 0);
    KTEST_ASSERT_EQ(t, vma_tree_check(us->tree), n - 101);
    KTEST_ASSERT_EQ(t, list_count(us), n - 101);
    KTEST_ASSERT_EQ(t, uspace_fault(us, base + 3 * 2 * PAGE, MMU_FAULT_USER), 0);         /* unmapped */
    KTEST_ASSERT_EQ(t, uspace_fault(us, base + 4 * 2 * PAGE, MMU_FAULT_USER), 1);
    KTEST_ASSERT_EQ(t, uspace_unmap(us, base + 100 * 2 * PAGE, 50 * 2 * PAGE), 0);         /* 34 at once */
    KTEST_ASSERT_EQ(t, vma_tree_check(us->tree), n - 101 - 34);
    KTEST_ASSERT_EQ(t, uspace_map(us, base + 300 * 2 * PAGE + PAGE, 4 * PAGE, USPACE_R, USPACE_MMAP), 0);
    KTEST_ASSERT_EQ(t, uspace_protect(us, base + 300 * 2 * PAGE + 2 * PAGE, PAGE, USPACE_R | USPACE_W), 0);
    KTEST_ASSERT_EQ(t, vma_tree_check(us->tree), n - 101 - 34 + 3);                        /* split in three */
    child = uspace_fork(us);
    if (KTEST_ASSERT(t, child != NULL)) {
        KTEST_ASSERT_EQ(t, vma_tree_check(child->tree), n - 101 - 34 + 3);
        KTEST_ASSERT_EQ(t, peek(child, base + 4 * 2 * PAGE), 3);
        uspace_put(child);
    }
    uspace_put(us);
}

/* The second round keeps no frame (the first warms the heap's slabs for 300 VMAs). At least as
 * many free after as before: another CPU may free one meanwhile (uefi/q35-ahci-512m-8cpu saw one
 * more free after, 0x1ef24 against 0x1ef23). */
void ktest_uspace_vma_tree(struct ktest *t)
{
    uint64_t before;

    vma_tree_round(t);
    before = mm_frames_free();
    vma_tree_round(t);
    KTEST_ASSERT(t, mm_frames_free() >= before);
}
