/*
 * syscall.c - the C side of the SYSCALL entry (syscall.asm): the MSRs
 * every CPU arms (arch_syscall_init_cpu), syscall_dispatch, the fix-up
 * lookup of usercopy.asm, the user-fault hook, and a user thread's FS
 * base (Intel SDM vol. 3A 5.8.8, SYSCALL and SYSRET).
 *
 * STAR's two selector bases are what fixes the GDT's order (gdt.h):
 * SYSCALL loads CS = STAR[47:32] (kernel code 0x08) and SS = that + 8
 * (kernel data 0x10); SYSRET to 64-bit code loads CS = STAR[63:48] + 16
 * (user code 0x28 | 3) and SS = STAR[63:48] + 8 (user data 0x20 | 3).
 */
#include <stdint.h>

#include "arch.h"
#include "arch/mmu_arch.h"
#include "arch/proc_arch.h"
#include "arch/sched_arch.h"
#include "arch/x86_64/exception.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trapframe.h"
#include "mutant.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"

#define RFLAGS_TF   (1u << 8)
#define RFLAGS_DF   (1u << 10)
#define RFLAGS_IOPL (3u << 12)
#define RFLAGS_NT   (1u << 14)
#define RFLAGS_AC   (1u << 18)
#define VEC_GP      13

void syscall_entry(void);
int syscall_dispatch(struct trap_frame *f);

extern uint8_t usercopy_smap;
extern const uint64_t usercopy_fixups[], usercopy_fixups_end[];

static arch_user_fault_fn *user_fault;

void arch_syscall_init_cpu(void)
{
    arch_wrmsr(MSR_EFER, arch_rdmsr(MSR_EFER) | EFER_SCE);
    arch_wrmsr(MSR_STAR, ((uint64_t)(GDT_USER_CODE32 | 3) << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
    arch_wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    /* interrupts off until the stack is the kernel's; SMAP on (AC clear); DF clear for C */
    arch_wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC);
}

void arch_usercopy_init(void)
{
    usercopy_smap = (uint8_t)mmu_features().smap;
}

uint64_t arch_usercopy_fixup(uint64_t rip)
{
    if (MUTANT_ENABLED(usercopy_fixup))
        return 0;                       /* a bad user pointer becomes a kernel fault */
    for (const uint64_t *e = usercopy_fixups; e < usercopy_fixups_end; e += 2)
        if (e[0] == rip)
            return e[1];
    return 0;
}

void arch_set_user_fault_handler(arch_user_fault_fn *fn)
{
    user_fault = fn;
}

/* What kind of fault each exception is for a process (Linux's arch/x86/kernel/traps.c). */
static enum arch_fault_kind fault_kind(unsigned vector)
{
    switch (vector) {
    case 0: case 16: case 19: return ARCH_FAULT_FPE;
    case 1: case 3: return ARCH_FAULT_TRAP;
    case 6: return ARCH_FAULT_ILL;
    case 17: return ARCH_FAULT_BUS;
    default: return ARCH_FAULT_SEGV;
    }
}

int arch_user_fault(const struct trap_frame *f, uint64_t addr)
{
    if (!user_fault)
        return 0;
    user_fault(exception_name((unsigned)f->vector), fault_kind((unsigned)f->vector), addr, f->rip);
    return 1;                           /* it returned: a signal handler takes the fault */
}

/* 1 for an address SYSRET or IRETQ can return to without a #GP: canonical. */
static int canonical(uint64_t a)
{
    return a < ARCH_USER_TOP || a >= 0xFFFF800000000000ULL;
}

/*
 * Returns 1 when the way back must be iretq (syscall.asm): a signal
 * handler's frame was set up or rt_sigreturn put every register back, RCX
 * and R11 included, which SYSRET would overwrite. The signal check is one
 * test of the thread's sigwake flag (sched.h) on the common path.
 */
int syscall_dispatch(struct trap_frame *f)
{
    uint64_t nr = f->rax;
    uint64_t args[6] = { f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9 };
    int full = 0;

    f->rax = (uint64_t)abi_syscall(nr, args);
    if (sched_current()->sigwake)
        full = signal_deliver(f, (long)nr);
    if (!canonical(f->rip)) {
        f->vector = VEC_GP;
        arch_irq_disable();
        arch_user_fault(f, f->rip);             /* a SIGSEGV handler, if any, is set up now */
        arch_irq_enable();
        full = signal_deliver(f, -1);
        if (!canonical(f->rip))                 /* a handler at such an address: the default action */
            proc_exit_group(SIGSEGV);
    }
    return full;
}

void arch_set_tls(uint64_t fs_base)
{
    uint64_t flags = arch_irq_save();

    arch_wrmsr(MSR_FS_BASE, fs_base);
    percpu_this()->user_fs = fs_base;
    arch_irq_restore(flags);
}

void arch_thread_tls(uint64_t fs_base)
{
    struct percpu *c = percpu_this();

    if (c->user_fs != fs_base) {
        arch_wrmsr(MSR_FS_BASE, fs_base);
        c->user_fs = fs_base;
    }
}
