/*
 * gen_trapframe_inc.c - a host tool run by the build: prints
 * build/kernel/trapframe.inc, NASM's view of struct trap_frame
 * (trapframe.h), so isr.asm never holds a hand-copied offset.
 */
#include <stddef.h>
#include <stdio.h>

#include "trapframe.h"

#define OFF(name, field) printf("%%define %-12s %zu\n", name, offsetof(struct trap_frame, field))

int main(void)
{
    printf("; trapframe.inc - generated from kernel/arch/x86_64/trapframe.h; do not edit\n");
    OFF("TF_R15", r15);
    OFF("TF_RAX", rax);
    OFF("TF_VECTOR", vector);
    OFF("TF_ERROR", error);
    OFF("TF_RIP", rip);
    OFF("TF_CS", cs);
    OFF("TF_RSP", rsp);
    OFF("TF_SS", ss);
    printf("%%define %-12s %zu\n", "TF_SIZE", sizeof(struct trap_frame));
    printf("%%define %-12s %zu\n", "TF_REGS_SIZE", offsetof(struct trap_frame, vector));
    return 0;
}
