/*
 * proc_arch.h - what processes (kernel/proc/) and the system-call
 * personalities (kernel/abi/) ask of the architecture; the only arch
 * header they include besides arch.h.
 *
 * x86_64 provides, from kernel/arch/x86_64/ (docs/processes.md):
 *   - the way into ring 3 (syscall.asm, arch_user_enter) and back
 *     (syscall_entry: SYSCALL, then the personality's abi_syscall);
 *   - the copies to and from user memory (usercopy.asm): the only code
 *     that touches user pages, with SMAP lifted around each and a fix-up
 *     for every instruction that may fault;
 *   - a user thread's TLS pointer (FS base), loaded on every switch to it;
 *   - the hook a fault from ring 3 goes to (a process is killed, never the
 *     kernel).
 */
#pragma once

#include <stdint.h>

/* The lower half: every user address is below this. */
#define ARCH_USER_TOP       0x0000800000000000ULL

/* Leave for ring 3 at rip with rsp, every register zero, interrupts on. Never returns. */
__attribute__((noreturn)) void arch_user_enter(uint64_t rip, uint64_t rsp);

/*
 * The ring-3 registers of a process's thread (user_regs.c), opaque here.
 * arch_user_regs_fork: a copy of those the calling thread entered the
 * kernel with (its system call), returning 0, on stack sp when sp != 0:
 * what a fork or clone child starts with. arch_user_regs_new: ring 3 at
 * rip with rsp = sp, every other register zero. Both NULL when memory is
 * out. arch_user_resume (on the child's own thread): into ring 3 with r,
 * which it frees; never returns. arch_user_regs_exec (execve): the
 * calling thread's system call returns to rip with rsp = sp, every other
 * register zero.
 */
struct arch_user_regs;
struct arch_user_regs *arch_user_regs_fork(uint64_t sp);
struct arch_user_regs *arch_user_regs_new(uint64_t rip, uint64_t sp);
void arch_user_regs_free(struct arch_user_regs *r);
__attribute__((noreturn)) void arch_user_resume(struct arch_user_regs *r);
void arch_user_regs_exec(uint64_t rip, uint64_t sp);

/*
 * The personality's entry (kernel/abi/linux/dispatch.c): system call `nr`
 * with its six arguments; returns the result (a negative errno on failure).
 * Called with interrupts on, on the calling thread's kernel stack.
 */
long abi_syscall(uint64_t nr, const uint64_t args[6]);

/*
 * Copy n bytes between kernel memory and a user range the caller has
 * checked to lie below ARCH_USER_TOP; returns the bytes NOT copied (a
 * fault stopped the copy there). copy_from_user and friends (uaccess.h)
 * are the checked calls everybody else uses.
 */
uint64_t arch_copy_user(void *dst, const void *src, uint64_t n);
/* A string of at most n bytes with its NUL: its length, n when no NUL came, -1 on a fault. */
long arch_strncpy_user(char *dst, const char *src, uint64_t n);
/* LOCK CMPXCHG of the user word at uaddr (checked, 4-byte aligned): 0 with the value found in
 * *found (== expected when it was swapped), -1 on a fault. */
int arch_cmpxchg_user32(uint32_t *uaddr, uint32_t expected, uint32_t desired, uint32_t *found);
/* Once SMAP's state is known (after vmm_init): STAC/CLAC in the copies, or not. */
void arch_usercopy_init(void);

/* This thread's FS base (ARCH_SET_FS): loaded now and on every switch to it. */
void arch_set_tls(uint64_t fs_base);

/*
 * A fault from ring 3 that the page-fault hook did not resolve: `fn` is
 * called with the exception's name, what kind of fault it is, the address
 * (CR2 for a page fault; the RIP otherwise) and the RIP, on the faulting
 * thread's kernel stack with interrupts off. It ends the process, or
 * returns when a signal handler will take the fault (kernel/proc/signal.c:
 * the arch delivers it on the way back to ring 3). A return to a non-canonical RIP is reported the same way,
 * as a general-protection fault, before SYSRET could take it in ring 0.
 */
enum arch_fault_kind {
    ARCH_FAULT_SEGV,            /* a page fault, a protection fault */
    ARCH_FAULT_BUS,             /* an alignment check */
    ARCH_FAULT_ILL,             /* an invalid opcode */
    ARCH_FAULT_FPE,             /* a divide error, an x87 or SIMD exception */
    ARCH_FAULT_TRAP,            /* a breakpoint, a debug trap */
};
typedef void arch_user_fault_fn(const char *what, enum arch_fault_kind kind, uint64_t addr, uint64_t rip);
void arch_set_user_fault_handler(arch_user_fault_fn *fn);

/*
 * Signals (signal_regs.c; docs/signals.md). The frame of the calling
 * thread's entry from ring 3 (a system call, an interrupt, a fault); its
 * registers as a flat record, in the order of Linux's x86_64 sigcontext,
 * read and written back (RFLAGS only in the bits a program may change, CS
 * and SS staying ring 3's); a handler entered as a call: pc, sp, three
 * arguments, RAX 0, DF TF RF AC cleared; a system call's result, and its
 * restart (the call's number back, the PC back over the instruction). The
 * FPU/SIMD state as FXSAVE's image: taken (the registers then reset to
 * their initial state, for a handler) and given back (NULL: the initial
 * state; reserved MXCSR bits cleared first).
 */
struct trap_frame;
struct arch_sigregs {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, rflags;
    uint64_t cs, ss, trapno, err;       /* trapno, err: the exception's, 0 for a system call */
};
struct trap_frame *arch_user_frame(void);
void arch_sigregs_get(const struct trap_frame *f, struct arch_sigregs *r);
void arch_sigregs_set(struct trap_frame *f, const struct arch_sigregs *r);
void arch_signal_enter(struct trap_frame *f, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t a1, uint64_t a2);
uint64_t arch_frame_sp(const struct trap_frame *f);
long arch_frame_result(const struct trap_frame *f);
void arch_frame_set_result(struct trap_frame *f, long v);
void arch_frame_restart(struct trap_frame *f, uint64_t nr);
int arch_frame_from_page_fault(const struct trap_frame *f);
#define ARCH_FPU_IMAGE_SIZE 512
void arch_fpu_take(void *image);
void arch_fpu_give(void *image);
