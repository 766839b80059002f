/*
 * tlb.h - TLB shootdown: making every CPU forget a translation (tlb.c).
 *
 * A CPU caches translations in its TLB, and the kernel half's entries
 * are global (PTE_G: they survive CR3 loads). When the VMM clears or
 * narrows a kernel mapping, the other CPUs may still hold the old entry
 * and keep reaching the page; tlb_flush_range invalidates the range here
 * and on every other online CPU, and returns once all have done so. Only
 * then may the caller reuse the frames or the addresses.
 *
 * The protocol (Intel SDM vol. 3A, 4.10.5 "Propagation of paging-structure
 * changes to multiple processors"):
 *   the sender takes the shootdown lock (one request at a time; interrupts
 *   off, so the sending thread stays on its CPU until the end), flushes
 *   the range on this CPU, writes it, sets each target CPU's
 *   percpu.tlb_pending, sends VEC_TLB_SHOOTDOWN to them and spins until
 *   each has cleared its flag;
 *   a receiver invalidates the range and clears its flag, either in the
 *   interrupt, or, if its interrupts are off because it is itself waiting
 *   for a spinlock (perhaps one the sender holds), from the spinlock's wait
 *   loop (tlb_shootdown_poll). That second path is what keeps a shootdown
 *   sent while holding a lock from deadlocking against a CPU that waits
 *   for that lock.
 * Callable with interrupts on or off, with spinlocks held; not from an
 * interrupt handler. Costs one IPI round per call with several CPUs, so a
 * caller unmapping a range clears every entry first and flushes once
 * (vmm_unmap, vmm_unmap_frames).
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/percpu.h"

/* Take the vector; after the local APIC is up, before the APs start. */
void tlb_init(void);

/* Invalidate [va, va+len) on every CPU; returns when all have. */
void tlb_flush_range(uint64_t va, uint64_t len);

/* The same on the CPUs whose bit (cpu id) is set in *cpus, read under the
 * shootdown lock: an address space's mask of the CPUs it is loaded on. */
void tlb_flush_cpus(const volatile uint64_t *cpus, uint64_t va, uint64_t len);

/* [va, va+len) on this CPU only (an address space loaded nowhere else). */
void tlb_flush_local(uint64_t va, uint64_t len);

/* Everything this CPU holds, global entries too (an AP as it joins). */
void tlb_flush_this_cpu(void);
/* This CPU parks (no shootdown waits for it) / is back (its TLB flushed first); interrupts off. */
void tlb_cpu_leave(void);
void tlb_cpu_join(void);

/* A receiver's work: invalidate what the pending request names, say done. */
void tlb_shootdown_serve(void);

/* Spin loops with interrupts off call this: serve a request waiting here. */
static inline void tlb_shootdown_poll(void)
{
    if (percpu_this()->tlb_pending)
        tlb_shootdown_serve();
}

/* Shootdown rounds sent (one per tlb_flush_* call that needed other CPUs)
 * and requests served (tests, bench). */
struct tlb_stats {
    uint64_t sent, served_irq, served_poll;
};
struct tlb_stats tlb_stats(void);
/* Requests CPU `cpu` has served. */
uint64_t tlb_served_on(unsigned cpu);
