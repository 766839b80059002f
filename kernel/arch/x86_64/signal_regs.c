/*
 * signal_regs.c - what signals ask of x86_64 (proc_arch.h; docs/signals.md):
 * the ring-3 registers of an entry (struct trap_frame) as a flat record a
 * signal frame stores and rt_sigreturn gives back, the registers that
 * enter a handler, a system call's restart, and the thread's FPU/SIMD
 * state as FXSAVE's 512-byte image (Intel SDM vol. 1, 10.5.1).
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch/proc_arch.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/trapframe.h"
#include "sched/sched.h"

#define RFLAGS_CF   0x1u
#define RFLAGS_PF   0x4u
#define RFLAGS_AF   0x10u
#define RFLAGS_ZF   0x40u
#define RFLAGS_SF   0x80u
#define RFLAGS_TF   0x100u
#define RFLAGS_DF   0x400u
#define RFLAGS_OF   0x800u
#define RFLAGS_RF   0x10000u
#define RFLAGS_AC   0x40000u
/* The flags a frame may change (Linux's FIX_EFLAGS); IF, IOPL and the rest stay the kernel's choice. */
#define RFLAGS_USER (RFLAGS_AC | RFLAGS_OF | RFLAGS_DF | RFLAGS_TF | RFLAGS_SF | RFLAGS_ZF | RFLAGS_AF | \
                     RFLAGS_PF | RFLAGS_CF | RFLAGS_RF)
#define SYSCALL_INSN_LEN    2               /* 0f 05 */
#define FXSAVE_MXCSR        24              /* offset of MXCSR in the image */
#define XSAVE_HEADER        512             /* XSTATE_BV, in an XSAVE area */

struct trap_frame *arch_user_frame(void)
{
    struct thread *t = sched_current();

    return (struct trap_frame *)(t->stack + THREAD_STACK_SIZE) - 1;     /* TSS.RSP0 and syscall_entry's stack */
}

void arch_sigregs_get(const struct trap_frame *f, struct arch_sigregs *r)
{
    r->r8 = f->r8; r->r9 = f->r9; r->r10 = f->r10; r->r11 = f->r11;
    r->r12 = f->r12; r->r13 = f->r13; r->r14 = f->r14; r->r15 = f->r15;
    r->rdi = f->rdi; r->rsi = f->rsi; r->rbp = f->rbp; r->rbx = f->rbx;
    r->rdx = f->rdx; r->rax = f->rax; r->rcx = f->rcx; r->rsp = f->rsp;
    r->rip = f->rip; r->rflags = f->rflags;
    r->cs = f->cs;
    r->ss = f->ss;
    r->trapno = f->vector < 32 ? f->vector : 0;
    r->err = f->vector < 32 ? f->error : 0;
}

void arch_sigregs_set(struct trap_frame *f, const struct arch_sigregs *r)
{
    f->r8 = r->r8; f->r9 = r->r9; f->r10 = r->r10; f->r11 = r->r11;
    f->r12 = r->r12; f->r13 = r->r13; f->r14 = r->r14; f->r15 = r->r15;
    f->rdi = r->rdi; f->rsi = r->rsi; f->rbp = r->rbp; f->rbx = r->rbx;
    f->rdx = r->rdx; f->rax = r->rax; f->rcx = r->rcx; f->rsp = r->rsp;
    f->rip = r->rip;
    f->rflags = (f->rflags & ~(uint64_t)RFLAGS_USER) | (r->rflags & RFLAGS_USER);
}

void arch_signal_enter(struct trap_frame *f, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t a1, uint64_t a2)
{
    f->rdi = a0;
    f->rsi = a1;
    f->rdx = a2;
    f->rax = 0;
    f->rsp = sp;
    f->rip = pc;
    f->rflags &= ~(uint64_t)(RFLAGS_DF | RFLAGS_RF | RFLAGS_TF | RFLAGS_AC);
}

uint64_t arch_frame_sp(const struct trap_frame *f)
{
    return f->rsp;
}

long arch_frame_result(const struct trap_frame *f)
{
    return (long)f->rax;
}

void arch_frame_set_result(struct trap_frame *f, long v)
{
    f->rax = (uint64_t)v;
}

void arch_frame_restart(struct trap_frame *f, uint64_t nr)
{
    f->rax = nr;
    f->rip -= SYSCALL_INSN_LEN;
}

int arch_frame_from_page_fault(const struct trap_frame *f)
{
    return f->vector == 14;
}

void arch_fpu_take(void *image)
{
    struct thread *t = sched_current();
    uint64_t flags = arch_irq_save();

    fpu_save(t->fpu);
    memcpy(image, t->fpu, ARCH_FPU_IMAGE_SIZE);
    fpu_area_init(t->fpu);
    fpu_restore(t->fpu);
    arch_irq_restore(flags);
}

void arch_fpu_give(void *image)
{
    struct thread *t = sched_current();
    uint64_t flags = arch_irq_save();

    if (image) {
        uint8_t *img = image;
        uint32_t mxcsr;

        memcpy(&mxcsr, img + FXSAVE_MXCSR, 4);
        mxcsr &= 0xFFFF;                        /* a reserved bit set would #GP in FXRSTOR/XRSTOR */
        memcpy(img + FXSAVE_MXCSR, &mxcsr, 4);
        fpu_save(t->fpu);
        memcpy(t->fpu, img, ARCH_FPU_IMAGE_SIZE);
        if (fpu_xcr0()) {                       /* XSAVE: x87 and SSE now come from the legacy area */
            uint64_t bv;

            memcpy(&bv, (uint8_t *)t->fpu + XSAVE_HEADER, 8);
            bv |= 3;
            memcpy((uint8_t *)t->fpu + XSAVE_HEADER, &bv, 8);
        }
    } else {
        fpu_area_init(t->fpu);
    }
    fpu_restore(t->fpu);
    arch_irq_restore(flags);
}
