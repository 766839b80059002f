; syscall.asm - syscall_entry, where every SYSCALL instruction of ring 3
; lands (MSR_LSTAR, syscall.c), and arch_user_enter, a thread's first
; step into ring 3.
;
; SYSCALL (Intel SDM vol. 2B, SYSCALL; vol. 3A 5.8.8) loads CS/SS from
; STAR, RIP from LSTAR, saves the user's RIP in RCX and RFLAGS in R11,
; clears the RFLAGS bits of FMASK (IF, TF, DF, AC, NT: interrupts off,
; SMAP on) and does nothing else: RSP is still the user's and GS base
; too. So the first instructions are swapgs (GS base = this CPU's struct
; percpu) and the switch to the thread's kernel stack (percpu
; kernel_stack, kept equal to TSS.RSP0 by arch_thread_enter). Then the
; entry builds the same struct trap_frame an interrupt from ring 3 builds
; (trapframe.h: SS, RSP, RFLAGS, CS, RIP, error 0, vector
; ARCH_SYSCALL_VECTOR, the 15 registers), turns interrupts on and calls
; syscall_dispatch(frame) (syscall.c): a system call is an ordinary
; thread in the kernel, preemptible, free to sleep.
;
; The way back is SYSRET (RIP from RCX, RFLAGS from R11), except when
; syscall_dispatch returns non-zero (a signal handler's frame was just set
; up, or rt_sigreturn restored every register: RCX and R11 must come from
; the frame) and when the frame's RIP is not in the lower half: SYSRET with a non-canonical RCX
; takes its #GP in ring 0 on Intel CPUs, after the user's RSP is loaded
; (CVE-2012-0217), so such a return goes through trap_return's iretq,
; which faults, if at all, in ring 3. syscall_dispatch has already killed
; a process whose RIP is non-canonical; what reaches iretq is a
; kernel-half RIP, which faults in ring 3 as a page fault.
;
;   syscall_entry:  in: RAX = number, RDI RSI RDX R10 R8 R9 = arguments,
;                       RCX = user RIP, R11 = user RFLAGS
;                   out: RAX = result; every other register as it was but
;                       RCX and R11 (Linux's ABI: clobbered)

bits 64
default rel

%include "trapframe.inc"

ARCH_SYSCALL_VECTOR equ 0x100      ; not a vector: a frame built by SYSCALL (trap.h)
RFLAGS_IF equ 0x200

extern syscall_dispatch
extern trap_return

section .text
align 16
global syscall_entry
syscall_entry:
    swapgs
    mov [gs:PERCPU_USER_RSP], rsp
    mov rsp, [gs:PERCPU_KERNEL_STACK]
    push USER_SS                    ; SS
    push qword [gs:PERCPU_USER_RSP] ; RSP
    push r11                        ; RFLAGS
    push USER_CS                    ; CS
    push rcx                        ; RIP
    push 0                          ; error
    push ARCH_SYSCALL_VECTOR        ; vector
    PUSH_REGS                       ; struct trap_frame's registers (trapframe.inc)
    sti
    mov rdi, rsp                    ; struct trap_frame *
    call syscall_dispatch
    cli
    test eax, eax
    jnz trap_return                 ; a signal frame or rt_sigreturn: every register, so iretq
    mov rcx, [rsp + TF_RIP]
    shr rcx, 47
    jnz trap_return                 ; not a lower-half RIP: iretq, never SYSRET
    POP_REGS
    mov rcx, [rsp + TF_RIP - TF_VECTOR]
    mov r11, [rsp + TF_RFLAGS - TF_VECTOR]
    mov rsp, [rsp + TF_RSP - TF_VECTOR]
    swapgs
    o64 sysret

; arch_user_enter: leave the kernel for ring 3 at RIP = RDI with RSP = RSI,
; every general register zero (the process ABI wants RDX = 0: glibc's
; _start hands a non-zero RDX to atexit), interrupts on in ring 3.
; The thread's kernel stack is left as it is: the next entry from ring 3
; starts again at its top (TSS.RSP0).
;   in: RDI = user RIP, RSI = user RSP; never returns
global arch_user_enter
arch_user_enter:
    cli
    push USER_SS
    push rsi
    push RFLAGS_IF
    push USER_CS
    push rdi
    xor eax, eax
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor edi, edi
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    swapgs
    iretq

; arch_user_resume_frame: a clone's first step into ring 3 (user_regs.c).
; Copies the registers r (a heap block) to `frame`, the place at the top of
; this thread's kernel stack where an entry from ring 3 keeps its frame,
; frees r from there (the stack below the frame is free) and leaves through
; trap_return (swapgs, iretq). The C caller's own frames lie below `frame`
; and are overwritten: nothing after the copy returns to them.
;   in: RDI = r (struct arch_user_regs, TF_SIZE bytes), RSI = frame; never returns
extern kfree
global arch_user_resume_frame
arch_user_resume_frame:
    cli
    mov rsp, rsi
    mov rbx, rdi
    xchg rsi, rdi                   ; rsi = r, rdi = frame
    mov ecx, TF_SIZE / 8
    cld
    rep movsq
    mov rdi, rbx
    call kfree                      ; RSP = frame: 16-byte aligned, as a call wants
    jmp trap_return

section .note.GNU-stack noalloc noexec nowrite progbits
