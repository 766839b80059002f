/*
 * trap.h - where every interrupt and exception arrives in C (trap.c).
 *
 * trap_dispatch(frame) is called by isr.asm for all 256 vectors:
 *   - a CPU exception (0..31) that a test announced with trap_expect() is
 *     recorded and the code resumes at the announced address;
 *   - any other exception is a kernel bug: exception_panic() reports it
 *     (name, decoded error code, registers, backtrace) and stops;
 *   - vectors 32..255 go to the handler registered with trap_register(),
 *     or are counted and logged as unexpected.
 */
#pragma once

#include "arch/x86_64/percpu.h"

#include <stdint.h>

#include "arch/x86_64/trapframe.h"

typedef void trap_handler_fn(struct trap_frame *f, void *ctx);

/* Route vector (32..255) to fn; -1 if the vector is taken or out of range. */
int trap_register(int vector, trap_handler_fn *fn, void *ctx);
void trap_unregister(int vector);
/* 1 when trap_register(vector, ...) would succeed now: in range, no handler. */
int trap_vector_free(int vector);

/* How many times each vector has arrived (exceptions included). */
uint64_t trap_count(int vector);

/*
 * Tests: trap_expect(vector) arms a catch for the next exception `vector`
 * on this CPU; the code that raises it first stores where to resume in
 * this CPU's trap_resume (struct percpu, %gs:8; from the same asm
 * statement, with a local label), and the handler returns there.
 * trap_expect_done() disarms and says what arrived. The catch is per CPU:
 * the caller must stay on its CPU from trap_expect to trap_expect_done (a
 * pinned thread, kmain, or interrupts off).
 */
struct trap_catch {
    int      caught;        /* 1 once the exception arrived */
    uint64_t vector;
    uint64_t error;
    uint64_t rip;           /* where it happened */
    uint64_t cr2;           /* for #PF */
    uint64_t frame;         /* the trap frame's address: which stack it ran on */
};
void trap_expect(int vector);

/*
 * For a test's asm statement: TRAP_ARM stores the address of TRAP_RESUME
 * in %gs:8 (clobbers RAX: list "rax"), then come the instructions
 * that fault, then TRAP_RESUME, the label the handler returns to:
 *     trap_expect(13);
 *     __asm__ volatile(TRAP_ARM "movq (%%rcx), %%rax" TRAP_RESUME :: "c"(bad) : "rax", "memory");
 */
#define TRAP_ARM    "leaq 1f(%%rip), %%rax\n\tmovq %%rax, %%gs:" PERCPU_TRAP_RESUME_STR "\n\t"
#define TRAP_RESUME "\n1:"
struct trap_catch trap_expect_done(void);

/* isr.asm: enter `vector`'s stub as the CPU would, with `error` pushed. */
void trap_simulate(uint64_t vector, uint64_t error);

/* The memory manager's page-fault hook is set with arch_set_page_fault_handler
 * (kernel/arch/mmu_arch.h); trap_dispatch gives it CR2 and the error code's
 * meaning (MMU_FAULT_*). */

/*
 * The exit hook: called as the last step of every interrupt (vectors
 * 32..255, not exceptions), after its handler and EOI, on the interrupted
 * thread's stack with interrupts off. The scheduler preempts there
 * (kernel/sched/tick.c, sched_preempt): it may switch threads and come back later.
 */
typedef void trap_exit_hook_fn(void);
void trap_set_exit_hook(trap_exit_hook_fn *fn);

void trap_dispatch(struct trap_frame *f);
