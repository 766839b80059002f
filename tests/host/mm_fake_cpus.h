/*
 * mm_fake_cpus.h - a fake struct mm_guard (kernel/mm/pages.h) for the host
 * tests of the allocators' per-CPU caches (test_heap.c, test_pmm.c): it
 * plays several CPUs on the test's one thread (the CPU is fake_cpu, set
 * by the test) and counts the lock. Its checks fail the test when the lock
 * is taken twice or dropped unheld, or when a CPU's cache is entered
 * twice or left without the flags cpu_enter gave. fake_call_cpu runs a
 * function "on" another fake CPU as an interrupt there would: that CPU's
 * cache entered afresh, the caller's state put back after; calls counts
 * them. Include after cmocka.h.
 */
#pragma once

#include <stdint.h>

#include "mm/pages.h"

static unsigned fake_cpu, locks_taken;
static int lock_held, in_cpu;

static void fake_lock(void) { assert_false(lock_held); lock_held = 1; locks_taken++; }
static void fake_unlock(void) { assert_true(lock_held); lock_held = 0; }
static int fake_held(void) { return lock_held; }
static unsigned fake_enter(uint64_t *flags) { assert_false(in_cpu); in_cpu = 1; *flags = 0x200; return fake_cpu; }
static void fake_leave(uint64_t flags) { assert_true(in_cpu && flags == 0x200); in_cpu = 0; }
static unsigned calls;
static int fake_call_cpu(unsigned cpu, void (*fn)(void *ctx), void *ctx)
{
    unsigned me = fake_cpu;
    int was_in = in_cpu;

    assert_true(cpu != me && cpu < MM_MAX_CPUS);
    fake_cpu = cpu, in_cpu = 0;
    fn(ctx);
    assert_false(in_cpu);
    fake_cpu = me, in_cpu = was_in;
    calls++;
    return 0;
}
static const struct mm_guard fake_guard = { fake_lock, fake_unlock, fake_held, fake_enter, fake_leave, fake_call_cpu };
