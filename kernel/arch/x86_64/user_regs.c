/*
 * user_regs.c - a process thread's ring-3 registers as fork, clone and
 * execve see them (proc_arch.h).
 *
 * Every entry from ring 3 (SYSCALL, an interrupt, an exception) builds
 * its struct trap_frame at the very top of the thread's kernel stack
 * (TSS.RSP0 and percpu kernel_stack are that top), so the frame of the
 * entry a system call runs in is always at top - sizeof(struct
 * trap_frame). fork copies it for the child with RAX = 0; the child's
 * thread copies it back to the same place on its own stack and leaves
 * through trap_return's iretq (syscall.asm's arch_user_resume), exactly
 * as if it had entered the kernel itself. execve rewrites it in place.
 */
#include <stdint.h>
#include <string.h>

#include "arch/proc_arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trapframe.h"
#include "mm/heap.h"
#include "sched/sched.h"

#define RFLAGS_FIXED    0x2             /* bit 1 always reads 1 */

struct arch_user_regs {
    struct trap_frame f;
};

void arch_user_resume_frame(struct arch_user_regs *r, uint64_t frame);      /* syscall.asm */

/* The frame of the calling thread's entry from ring 3. */
static struct trap_frame *entry_frame(void)
{
    return (struct trap_frame *)(uintptr_t)(sched_current()->stack + THREAD_STACK_SIZE) - 1;
}

struct arch_user_regs *arch_user_regs_fork(uint64_t sp)
{
    struct arch_user_regs *r = kmalloc(sizeof *r);

    if (!r)
        return NULL;
    r->f = *entry_frame();
    r->f.rax = 0;                       /* the child's result */
    if (sp)
        r->f.rsp = sp;
    return r;
}

struct arch_user_regs *arch_user_regs_new(uint64_t rip, uint64_t sp)
{
    struct arch_user_regs *r = kcalloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->f.rip = rip;
    r->f.rsp = sp;
    r->f.cs = GDT_USER_CODE | 3;
    r->f.ss = GDT_USER_DATA | 3;
    r->f.rflags = RFLAGS_IF | RFLAGS_FIXED;
    return r;
}

void arch_user_regs_free(struct arch_user_regs *r)
{
    kfree(r);
}

void arch_user_resume(struct arch_user_regs *r)
{
    arch_user_resume_frame(r, (uint64_t)(uintptr_t)entry_frame());
    __builtin_unreachable();
}

void arch_user_regs_exec(uint64_t rip, uint64_t sp)
{
    struct trap_frame *f = entry_frame();

    memset(f, 0, sizeof *f);
    f->rip = rip;
    f->rsp = sp;
    f->cs = GDT_USER_CODE | 3;
    f->ss = GDT_USER_DATA | 3;
    f->rflags = RFLAGS_IF | RFLAGS_FIXED;
}
