/*
 * test_smp.c - the application processors smp_init started (smp.c): as
 * many online as the MADT and the harness (cpus=N) say, each on its own
 * struct percpu (reached through its own GS base and local APIC), each
 * with guarded stacks; a range freed costs one TLB shootdown round; an
 * address space's shootdown goes only to the CPUs that have it loaded.
 * A CPU left out is parked in the start-up page and stays there, even when
 * an NMI comes.
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "acpi/acpi_kernel.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/irqflags.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/kva.h"
#include "mm/mm.h"
#include "mm/vmm.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "timer/clock.h"
#include "x86/lapic.h"

#define PAGE 4096ULL

/*
 * smp_delay_ap=MS (a test cell's knob, smp.c) makes the first AP claim its
 * start-up block MS late: far past SMP_ANSWER_NS it must be left out, well
 * within it counted; near the limit either, never half. 1 left out, 0 in,
 * -1 either.
 */
static int late_ap_expected(const char *cmdline, size_t len)
{
    const uint64_t limit_ms = SMP_ANSWER_NS / 1000000, margin_ms = 300;
    uint64_t ms;

    if (cmdline_number(cmdline, len, "smp_delay_ap", &ms) != 1 || ms + margin_ms < limit_ms)
        return 0;
    return ms > limit_ms + margin_ms ? 1 : -1;
}

/* The first enabled MADT CPU after the boot CPU: the one smp_delay_ap slows. */
static uint32_t first_ap_id(const struct acpi_info *a)
{
    for (unsigned i = 0; i < a->cpu_count; i++)
        if (a->cpus[i].enabled && a->cpus[i].apic_id != smp_cpu(0)->apic_id)
            return a->cpus[i].apic_id;
    return ~0u;
}

/* Each CPU online is counted by the scheduler too, and nobody else is: never
 * half in. A left-out AP is nowhere. */
static void check_whole(struct ktest *t, const struct acpi_info *a, int late)
{
    KTEST_ASSERT_EQ(t, sched_cpus(), smp_cpus_online());
    for (unsigned id = 0; id < smp_cpus_online(); id++) {
        KTEST_ASSERT(t, smp_cpu(id)->online);
        KTEST_ASSERT(t, !late || smp_cpu(id)->apic_id != first_ap_id(a));
    }
    KTEST_ASSERT(t, smp_cpu(smp_cpus_online()) == NULL);
}

#define PARK_NMI_WAIT_NS    (5 * NS_PER_SEC)   /* a bound on failure only (the host may hold the parked vCPU back) */

/*
 * Each CPU left out parked in the start-up page (smp.c, park), and an NMI
 * (a panic sends one to every other CPU) lands in the park loop's own
 * vector table and leaves it there: smp_park_traps counts it. Before the
 * park, a left-out CPU sat in wait-for-SIPI, where QEMU's TCG ran it from
 * the reset vector on this NMI and the firmware rebooted the machine.
 */
static void check_parked(struct ktest *t)
{
    for (unsigned i = 0; i < smp_cpus_left_out(); i++) {
        uint32_t id = smp_left_out_apic_id(i);
        unsigned before = smp_park_traps();
        uint64_t end = clock_ns() + PARK_NMI_WAIT_NS;

        if (smp_parked(id) < 0)
            continue;                   /* an x2APIC id beyond the park map's 256 bits */
        KTEST_ASSERT_EQ(t, smp_parked(id), 1);
        lapic_send_ipi(id, LAPIC_ICR_NMI | LAPIC_ICR_ASSERT);
        while (smp_park_traps() == before && clock_ns() < end)
            arch_cpu_relax();
        KTEST_ASSERT_EQ(t, smp_park_traps(), before + 1);
    }
}

void ktest_smp_cpus_online(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    unsigned enabled = 0;
    uint64_t cpus;
    int late;

    if (!a || !a->has_madt) {
        KTEST_ASSERT_EQ(t, smp_cpus_online(), 1);
        KTEST_SKIP(t, "no MADT: the boot CPU alone");
        return;
    }
    for (unsigned i = 0; i < a->cpu_count; i++)
        enabled += a->cpus[i].enabled;
    late = enabled > 1 ? late_ap_expected(cmdline, len) : 0;
    if (late < 0)
        late = (int)smp_cpus_left_out();
    if (!KTEST_ASSERT(t, late == 0 || late == 1))
        return;
    KTEST_ASSERT_EQ(t, smp_cpus_left_out(), late);
    KTEST_ASSERT_EQ(t, smp_cpus_online(), enabled - late);
    if (cmdline_number(cmdline, len, "cpus", &cpus) == 1)
        KTEST_ASSERT_EQ(t, smp_cpus_online(), cpus - late);
    check_whole(t, a, late);
    check_parked(t);
}

/* Listed, enabled, and only once among the CPUs online. */
static int madt_lists_once(const struct acpi_info *a, uint32_t apic_id, unsigned upto)
{
    int listed = 0;

    for (unsigned i = 0; i < a->cpu_count; i++)
        listed |= a->cpus[i].apic_id == apic_id && a->cpus[i].enabled;
    for (unsigned id = 0; id < upto; id++)
        if (smp_cpu(id)->apic_id == apic_id)
            return 0;
    return listed;
}

void ktest_smp_percpu_apic_ids(struct ktest *t)
{
    const struct acpi_info *a = acpi_get();

    KTEST_ASSERT(t, percpu_this() == smp_cpu(0));
    for (unsigned id = 0; id < smp_cpus_online(); id++) {
        const struct percpu *c = smp_cpu(id);

        KTEST_ASSERT(t, c->self == c);
        KTEST_ASSERT_EQ(t, c->cpu_id, id);
        KTEST_ASSERT(t, c->online);
        KTEST_ASSERT_EQ(t, c->apic_id_seen, c->apic_id);    /* the AP wrote it through its GS base */
        if (a && a->has_madt)               /* else the boot CPU alone */
            KTEST_ASSERT(t, madt_lists_once(a, c->apic_id, id));
    }
}

/* A guarded stack: its top page and bottom page mapped, the page below not. */
static int guarded(uint64_t top, uint64_t size)
{
    struct vmm_space *k = vmm_kernel_space();
    uint64_t base = top - size;

    return vmm_translate(k, top - PAGE) && vmm_translate(k, base) && !vmm_translate(k, base - PAGE);
}

void ktest_smp_stacks_guarded(struct ktest *t)
{
    for (unsigned id = 1; id < smp_cpus_online(); id++) {
        const struct percpu *c = smp_cpu(id);

        KTEST_ASSERT(t, guarded(c->stack_top, PERCPU_STACK_SIZE));
        for (int i = 0; i < IST_COUNT; i++) {
            KTEST_ASSERT(t, guarded(c->ist_top[i], IST_STACK_SIZE));
            KTEST_ASSERT_EQ(t, c->gdt.tss.ist[i], c->ist_top[i]);
        }
    }
}

/* Free a region of `size` bytes after touching each page (so each is mapped):
 * the shootdown rounds that cost; *frames_back the frames it gave back. */
static uint64_t rounds_to_free(uint64_t va, uint64_t size, uint64_t *frames_back)
{
    uint64_t sent, frames;

    for (uint64_t off = 0; off < size; off += PAGE)
        *(volatile uint8_t *)(uintptr_t)(va + off) = 1;
    sent = tlb_stats().sent;
    frames = mm_frames_free();
    kva_free(va);
    *frames_back = mm_frames_free() - frames;
    return tlb_stats().sent - sent;
}

/*
 * Freeing a region is one shootdown round, however many pages it has (a
 * thread stack, a lazy region, 2 MiB pages): the entries are all cleared
 * first, then one request names the range. With one CPU there is nobody
 * to send it to: none. Every frame comes back, counted from the sizes.
 */
void ktest_smp_tlb_one_round_per_range(struct ktest *t)
{
    uint64_t one = smp_cpus_online() > 1 ? 1 : 0, back;
    uint64_t stack = kva_alloc(THREAD_STACK_SIZE, KVA_GUARD, "round test stack");
    uint64_t lazy = kva_alloc(32 * PAGE, KVA_LAZY, "round test lazy");
    uint64_t huge = kva_alloc(4 << 20, KVA_HUGE, "round test huge");

    if (!KTEST_ASSERT(t, stack && lazy && huge))
        return;
    KTEST_ASSERT_EQ(t, rounds_to_free(stack, THREAD_STACK_SIZE, &back), one);
    KTEST_ASSERT_EQ(t, back, THREAD_STACK_SIZE / PAGE);
    KTEST_ASSERT_EQ(t, rounds_to_free(lazy, 32 * PAGE, &back), one);
    KTEST_ASSERT_EQ(t, back, 32);
    KTEST_ASSERT_EQ(t, rounds_to_free(huge, 4 << 20, &back), one);
    KTEST_ASSERT_EQ(t, back, 2 * 512);
}

/* --- an address space's shootdown: only where it is loaded --- */

#define SPACE_VA        0x400000ULL
#define MAX_TEST_CPUS   64

static struct vmm_space *test_space;
static volatile int space_loaded, space_unmapped;
static volatile uint64_t space_mask_seen;
static struct trap_catch space_catch;

/* Pinned to one CPU: load the space, read its page (the TLB keeps it), then
 * once it is unmapped read again: that must fault. */
static void space_reader(void *arg)
{
    uint64_t flags = arch_irq_save(), value;

    (void)arg;
    vmm_space_switch(vmm_kernel_space(), test_space);
    arch_irq_restore(flags);
    value = *(volatile uint64_t *)(uintptr_t)SPACE_VA;
    (void)value;
    space_mask_seen = test_space->cpus;
    __atomic_store_n(&space_loaded, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&space_unmapped, __ATOMIC_ACQUIRE))
        arch_cpu_relax();
    trap_expect(14);
    __asm__ volatile(TRAP_ARM "movq (%%rcx), %%rdx" TRAP_RESUME : : "c"(SPACE_VA) : "rax", "rdx", "memory");
    space_catch = trap_expect_done();
    flags = arch_irq_save();
    vmm_space_switch(test_space, vmm_kernel_space());
    arch_irq_restore(flags);
}

/* Each CPU's served count so far. */
static void served_counts(uint64_t *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        out[i] = tlb_served_on(i);
}

/*
 * A space loaded on the last CPU only: its mask says so; unmapping its
 * page from CPU 0 sends one request, to that CPU and no other, and the
 * reader there faults on its next read (its TLB forgot the page). With one
 * CPU the reader shares CPU 0 and the flush is local: no round.
 */
void ktest_smp_space_shootdown_mask(struct ktest *t)
{
    static uint64_t served[MAX_TEST_CPUS];
    unsigned n = smp_cpus_online(), last = n - 1;
    uint64_t frame = mm_zeroed_frame(), sent;
    struct thread *th;

    test_space = vmm_space_create();
    if (!KTEST_ASSERT(t, test_space && frame && n <= MAX_TEST_CPUS) ||
        !KTEST_ASSERT(t, vmm_map(test_space, SPACE_VA, frame, PAGE, VMM_WRITE) == 0))
        return;
    space_loaded = space_unmapped = 0;
    space_catch = (struct trap_catch){ 0 };
    th = thread_create_on("space reader", space_reader, NULL, SCHED_PRIO_DEFAULT, (int)last);
    if (!KTEST_ASSERT(t, th))
        return;
    while (!__atomic_load_n(&space_loaded, __ATOMIC_ACQUIRE))
        sched_yield();
    KTEST_ASSERT_EQ(t, space_mask_seen, 1ULL << last);
    served_counts(served, n);
    sent = tlb_stats().sent;
    vmm_unmap(test_space, SPACE_VA, PAGE);
    for (unsigned i = 0; i < n; i++)
        KTEST_ASSERT_EQ(t, tlb_served_on(i) - served[i], i == last && last != 0 ? 1 : 0);
    KTEST_ASSERT_EQ(t, tlb_stats().sent - sent, last != 0 ? 1 : 0);
    __atomic_store_n(&space_unmapped, 1, __ATOMIC_RELEASE);
    thread_join(th);
    KTEST_ASSERT(t, space_catch.caught && space_catch.cr2 == SPACE_VA);
    KTEST_ASSERT_EQ(t, test_space->cpus, 0);
    vmm_space_put(test_space);
    mm_frame_free(frame);
}
