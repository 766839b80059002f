/*
 * tlb.c - TLB shootdown (see tlb.h), and arch_call_cpu (mmu_arch.h), which
 * sends a function instead of a range the same way: the same lock, flag,
 * IPI and poll path, so it is served where a shootdown would be.
 */
#include <stddef.h>
#include <stdint.h>

#include "x86/lapic.h"
#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "mutant.h"
#include "sync/spinlock.h"

#define CR4_PGE             (1ULL << 7)
#define FLUSH_ALL_PAGES     64      /* more than this: flush everything instead of invlpg each */

static struct spinlock shoot_lock = SPINLOCK_INIT("tlb shootdown");
static volatile uint64_t req_va, req_len;       /* the request in flight, under shoot_lock */
static void (*volatile req_fn)(void *ctx);      /* or a function to run (arch_call_cpu) */
static void *volatile req_ctx;
static int ready;
static uint64_t away;                           /* parked CPUs, under shoot_lock */
static uint64_t sent, served_irq, served_poll;
static uint64_t served_on[SMP_MAX_CPUS];        /* each written by its own CPU only */

/* Every entry, global ones too: toggling CR4.PGE flushes them (SDM 4.10.4.1). */
static void flush_all(void)
{
    uint64_t cr4 = arch_read_cr4();

    if (cr4 & CR4_PGE) {
        arch_write_cr4(cr4 & ~CR4_PGE);
        arch_write_cr4(cr4);
    } else {
        arch_write_cr3(arch_read_cr3());
    }
}

void tlb_flush_this_cpu(void)
{
    flush_all();
}

void tlb_flush_local(uint64_t va, uint64_t len)
{
    if (len > FLUSH_ALL_PAGES * PAGE_4K) {
        flush_all();
        return;
    }
    for (uint64_t off = 0; off < len; off += PAGE_4K)
        arch_invlpg(va + off);
}

/* Interrupts off (the handler, or a spin loop's): 1 if a shootdown was waiting
 * (an arch_call_cpu request is served too, but not counted). */
static int serve(void)
{
    struct percpu *c = percpu_this();
    void (*fn)(void *ctx);

    if (!__atomic_load_n(&c->tlb_pending, __ATOMIC_ACQUIRE))
        return 0;
    if ((fn = req_fn)) {
        fn(req_ctx);
        __atomic_store_n(&c->tlb_pending, 0, __ATOMIC_RELEASE);
        return 0;
    }
    tlb_flush_local(req_va, req_len);
    served_on[c->cpu_id]++;
    __atomic_store_n(&c->tlb_pending, 0, __ATOMIC_RELEASE);
    return 1;
}

void tlb_shootdown_serve(void)
{
    if (serve())
        __atomic_fetch_add(&served_poll, 1, __ATOMIC_RELAXED);
}

/* The request may already have been served from a spin loop: then nothing is left. */
static void on_shootdown(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    if (serve())
        __atomic_fetch_add(&served_irq, 1, __ATOMIC_RELAXED);
    lapic_eoi();
}

void tlb_init(void)
{
    ready = trap_register(VEC_TLB_SHOOTDOWN, on_shootdown, 0) == 0;
}

/* Every online CPU: bit i for cpu id i; a parked CPU is out (tlb_cpu_leave). */
static uint64_t online_cpus(void)
{
    unsigned n = smp_cpus_online();

    return (n >= 64 ? ~0ULL : (1ULL << n) - 1) & ~away;
}

/*
 * A CPU going offline (smp_offline.c), interrupts off: from now on no
 * shootdown waits for it. Under shoot_lock, so no request in flight still
 * counts on it (spin_lock serves a request while it waits for the lock).
 */
void tlb_cpu_leave(void)
{
    spin_lock(&shoot_lock);
    away |= 1ULL << percpu_cpu_id();
    spin_unlock(&shoot_lock);
}

/* Back: everything it may have missed is flushed before it is named again. */
void tlb_cpu_join(void)
{
    spin_lock(&shoot_lock);
    flush_all();
    away &= ~(1ULL << percpu_cpu_id());
    spin_unlock(&shoot_lock);
}

/* Under shoot_lock: the request to `others` (never this CPU), and wait until each has served it.
 * The loops visit only the CPUs named (a set bit at a time), not every possible CPU. */
static void shoot(uint64_t others, uint64_t va, uint64_t len)
{
    req_va = va;
    req_len = len;
    for (uint64_t m = others; m; m &= m - 1)
        __atomic_store_n(&smp_cpu((unsigned)__builtin_ctzll(m))->tlb_pending, 1, __ATOMIC_RELEASE);
    if (others == (online_cpus() & ~(1ULL << percpu_cpu_id())))
        lapic_send_ipi_others(LAPIC_ICR_FIXED | VEC_TLB_SHOOTDOWN);     /* one ICR write for all */
    else
        for (uint64_t m = others; m; m &= m - 1)
            lapic_send_ipi(smp_cpu((unsigned)__builtin_ctzll(m))->apic_id, LAPIC_ICR_FIXED | VEC_TLB_SHOOTDOWN);
    for (uint64_t m = others; m; m &= m - 1)
        while (__atomic_load_n(&smp_cpu((unsigned)__builtin_ctzll(m))->tlb_pending, __ATOMIC_ACQUIRE))
            arch_cpu_relax();
}

/*
 * The whole sequence runs under shoot_lock, so with interrupts off from
 * before this CPU is named to after the last answer: the calling thread
 * cannot be preempted and moved half-way, so the CPU it runs on is the one
 * flushed locally and left out of the IPIs. The mask is read under the
 * lock too: a CPU that joins it later loads the page tables as they are now.
 */
void tlb_flush_cpus(const volatile uint64_t *cpus, uint64_t va, uint64_t len)
{
    uint64_t mask, me;

    spin_lock(&shoot_lock);
    me = 1ULL << percpu_cpu_id();
    mask = (cpus ? __atomic_load_n(cpus, __ATOMIC_ACQUIRE) : ~0ULL) & online_cpus();
    if (mask & me)
        tlb_flush_local(va, len);
    if ((mask & ~me) && ready && !MUTANT_ENABLED(shootdown)) {
        shoot(mask & ~me, va, len);
        sent++;
    }
    spin_unlock(&shoot_lock);
}

int arch_call_cpu(unsigned cpu, void (*fn)(void *ctx), void *ctx)
{
    int r = -1;

    spin_lock(&shoot_lock);
    if (ready && cpu < 64 && cpu != percpu_cpu_id() && (online_cpus() >> cpu & 1)) {
        req_fn = fn;
        req_ctx = ctx;
        shoot(1ULL << cpu, 0, 0);
        req_fn = NULL;
        r = 0;
    }
    spin_unlock(&shoot_lock);
    return r;
}

void tlb_flush_range(uint64_t va, uint64_t len)
{
    tlb_flush_cpus(NULL, va, len);
}

struct tlb_stats tlb_stats(void)
{
    return (struct tlb_stats){ sent, served_irq, served_poll };
}

uint64_t tlb_served_on(unsigned cpu)
{
    return cpu < SMP_MAX_CPUS ? __atomic_load_n(&served_on[cpu], __ATOMIC_RELAXED) : 0;
}
