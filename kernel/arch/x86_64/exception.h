/*
 * exception.h - the CPU exceptions 0..31: their names, what their error
 * codes say, and the report a kernel fault ends in (exception.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/trapframe.h"

/* "page fault (#PF)", ...; "reserved (N)" for reserved vectors. */
const char *exception_name(unsigned vector);

/* Whether the CPU pushes an error code for this vector. */
int exception_has_error(unsigned vector);

/*
 * The error code in words: for #PF the P/W/U/RSVD/I/PK/SS bits and CR2,
 * for the selector faults (#TS #NP #SS #GP) the selector or IDT vector it
 * names. Writes at most `size` bytes; returns the length.
 */
int exception_describe_error(unsigned vector, uint64_t error, uint64_t cr2, char *buf, size_t size);

/* Who can say more about a faulting address in the report is set with
 * arch_set_fault_explainer (kernel/arch/mmu_arch.h): the memory manager. */

/* Report a fault in the kernel: the name, the decoded error code, every
 * register, a backtrace; then stop (panic_stop). */
__attribute__((noreturn)) void exception_panic(const struct trap_frame *f);
