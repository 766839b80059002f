/*
 * syscall.h - the x86_64 side of system calls and user faults
 * (syscall.c, syscall.asm, usercopy.asm), for the rest of arch/x86_64/.
 * Processes see them through kernel/arch/proc_arch.h.
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/trapframe.h"

/* The vector field of a frame built by syscall_entry: not a real vector. */
#define ARCH_SYSCALL_VECTOR 0x100

/* Arm SYSCALL on the calling CPU: EFER.SCE, STAR, LSTAR, FMASK (gdt_init, gdt_init_cpu). */
void arch_syscall_init_cpu(void);
/* Where a fault at rip in usercopy.asm resumes; 0 when rip is not one of its copies. */
uint64_t arch_usercopy_fixup(uint64_t rip);
/* A fault from ring 3 the page-fault hook did not resolve: to the process's hook. */
int arch_user_fault(const struct trap_frame *f, uint64_t addr);
