; switch.asm - arch_switch: the kernel's context switch, and
; arch_thread_entry, where a new thread's first switch lands.
;
; Register contract (the SysV ABI's): a C caller of arch_switch expects
; RBX, RBP, R12-R15 and RSP preserved; every other general register may be
; clobbered by any call anyway, so only those six are saved, on the
; outgoing thread's own stack, and RSP goes to *save_sp. RFLAGS is not
; saved: arch_switch is called with interrupts off and the resumed thread
; restores its own flags (spin_unlock, sched_* in kernel/sched/switch.c).
; The FPU/SSE/AVX state is not touched here: the scheduler saves and
; restores it around the call (fpu.h), eagerly on every switch.
;
;   void arch_switch(uint64_t *save_sp, uint64_t next_sp);
;   in:  RDI = where to store the outgoing thread's RSP,
;        RSI = the RSP the incoming thread saved (or arch_thread_stack made)
;   out: returns in the incoming thread, as its own call to arch_switch
;   clobbers: RAX, RCX, RDX, RSI, RDI, R8-R11 (caller-saved anyway)

bits 64
default rel

%define SWITCH_SAVED_REGS 6         ; rbp, rbx, r12, r13, r14, r15

section .text
global arch_switch
arch_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; arch_thread_entry: the return address of a new thread's first
; arch_switch (stack built by arch_thread_stack, kernel/arch/x86_64/thread_stack.c):
; R12 = start(fn, arg) (a C function that never returns), R13 = fn,
; R14 = arg, RBP = 0 (a backtrace stops here). RSP is 16-byte aligned.
;   clobbers: everything; never returns
global arch_thread_entry
arch_thread_entry:
    mov rdi, r13
    mov rsi, r14
    call r12
    ud2                             ; start never returns

section .note.GNU-stack noalloc noexec nowrite progbits
