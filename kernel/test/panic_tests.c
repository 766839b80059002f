/*
 * panic_tests.c - the panic path's fixtures (see panic_tests.h).
 *
 * Each must fail exactly as panic.sh expects: test=fault from a function
 * of its own, so the report names it and make decode leads to its line;
 * test=overflow from a recursion whose frames the backtrace names;
 * test=panic-cpu from a pinned thread, while CPU 0 keeps printing (the
 * panic's NMI must stop it: no kmain line may follow the report).
 */
#include <stdint.h>

#include "arch.h"
#include "arch/x86_64/stack.h"
#include "mm/kva.h"
#include "panic.h"
#include "printk.h"
#include "sched/sched.h"
#include "test/panic_tests.h"
#include "timer/clock.h"

#define FAULT_TEST_VA 0xFFFFD00000000010ULL

void kernel_fault_test_target(void)
{
    *(volatile uint8_t *)(uintptr_t)FAULT_TEST_VA = 1;
}

/*
 * The #PF cannot be delivered on the dead stack, so it becomes a double
 * fault, which runs on its own IST stack: the report must say "stack
 * overflow on 'overflow test'".
 */
static volatile int overflow_forever = 1;     /* volatile: the compiler cannot see the end */

static __attribute__((noinline)) void kernel_overflow_recurse(void *depth)
{
    volatile uint8_t frame[256];

    frame[0] = (uint8_t)(uintptr_t)depth;
    if (overflow_forever)
        kernel_overflow_recurse((uint8_t *)depth + 1);
    frame[1] = frame[0];                /* after the call: no tail call */
}

void kernel_overflow_test(void)
{
    uint64_t stack = kva_alloc(16384, KVA_GUARD, "overflow test");

    if (!stack)
        panic("kernel_overflow_test: no stack");
    arch_call_on_stack(stack + 16384, kernel_overflow_recurse, 0);
}

static void panic_thread(void *arg)
{
    (void)arg;
    clock_spin_ns(20 * NS_PER_MS);      /* kmain prints meanwhile */
    panic("thread on CPU %d: test=panic-cpu on the command line", sched_cpu_id());
}

void panic_test_on_last_cpu(void)
{
    struct thread *t = thread_create_on("panicker", panic_thread, 0, SCHED_PRIO_DEFAULT,
                                        (int)sched_cpus() - 1);

    if (!t)
        panic("panic_test_on_last_cpu: no thread");
    for (;;) {
        clock_spin_ns(2 * NS_PER_MS);
        printk(LOG_INFO, "kmain: still running on CPU %d\n", sched_cpu_id());
    }
}
