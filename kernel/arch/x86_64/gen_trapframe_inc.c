/*
 * gen_trapframe_inc.c - a host tool run by the build: prints
 * build/kernel/trapframe.inc, NASM's view of struct trap_frame
 * (trapframe.h), so isr.asm never holds a hand-copied offset; and the
 * per-CPU offsets and selectors the SYSCALL entry uses (percpu.h, gdt.h,
 * syscall.asm).
 */
#include <stddef.h>
#include <stdio.h>

#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trapframe.h"

#define OFF(name, field) printf("%%define %-12s %zu\n", name, offsetof(struct trap_frame, field))

/* struct trap_frame's general registers, from its first field (trapframe.h). */
#define REGS 15
static const char *const regs[REGS] = { "r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8",
                                        "rbp", "rdi", "rsi", "rdx", "rcx", "rbx", "rax" };
_Static_assert(offsetof(struct trap_frame, rax) == (REGS - 1) * 8, "regs[] follows struct trap_frame");

int main(void)
{
    printf("; trapframe.inc - generated from kernel/arch/x86_64/trapframe.h; do not edit\n");
    OFF("TF_R15", r15);
    OFF("TF_RAX", rax);
    OFF("TF_VECTOR", vector);
    OFF("TF_ERROR", error);
    OFF("TF_RIP", rip);
    OFF("TF_CS", cs);
    OFF("TF_RFLAGS", rflags);
    OFF("TF_RSP", rsp);
    OFF("TF_SS", ss);
    printf("%%define %-12s %zu\n", "TF_SIZE", sizeof(struct trap_frame));
    printf("%%define %-12s %zu\n", "TF_REGS_SIZE", offsetof(struct trap_frame, vector));
    /* The 15 registers in the struct's order, lowest address first: pushed in reverse. */
    printf("%%macro PUSH_REGS 0\n");
    for (int i = REGS - 1; i >= 0; i--)
        printf("    push %s\n", regs[i]);
    printf("%%endmacro\n%%macro POP_REGS 0\n");
    for (int i = 0; i < REGS; i++)
        printf("    pop %s\n", regs[i]);
    printf("%%endmacro\n");
    printf("%%define %-12s %d\n", "PERCPU_KERNEL_STACK", PERCPU_KERNEL_STACK);
    printf("%%define %-12s %d\n", "PERCPU_USER_RSP", PERCPU_USER_RSP);
    printf("%%define %-12s %d\n", "USER_CS", GDT_USER_CODE | 3);
    printf("%%define %-12s %d\n", "USER_SS", GDT_USER_DATA | 3);
    return 0;
}
