; isr.asm - the 256 interrupt entry stubs and trap_common, the one path
; from any vector into C (trap.c, trap_dispatch) and back.
;
; Each stub makes the stack look the same whatever the vector: the CPU has
; pushed SS, RSP, RFLAGS, CS, RIP and, for the exceptions listed in
; HAS_ERROR (Intel SDM vol. 3, 6.15), an error code; the stub pushes a zero
; in its place for every other vector, then the vector number, and jumps to
; trap_common, which saves the 15 general registers: that is struct
; trap_frame (trapframe.h; offsets from the generated trapframe.inc).
; RSP stays 16-byte aligned for the C call: the CPU aligns it before its
; pushes and the frame is a multiple of 16 bytes.
;
; The IDT (idt.c) points each vector at isr_stub_table[vector]. All gates
; are interrupt gates: IF is clear until the frame is restored by iretq.
;
; GS: in the kernel, IA32_GS_BASE holds this CPU's struct percpu
; (percpu.h) and IA32_KERNEL_GS_BASE is left for ring 3's own GS base.
; An entry from ring 3 (the saved CS's RPL, CS & 3) swaps the two with
; swapgs before any C runs, and trap_return swaps them back before an
; iretq to ring 3; an entry from ring 0 (every entry today) swaps nothing,
; since GS already holds the percpu (ktest traps_gs_base_kernel_entry
; proves it with a decoy in IA32_KERNEL_GS_BASE).
; The user side: ring-3 code segments in the GDT (gdt.c), the SYSCALL
; entry with its own swapgs (syscall.asm), and arch_user_enter's iretq.
; NMI, #MC and #DF may arrive where CS and GS disagree: between
; syscall_entry's first instruction and its swapgs, or between
; trap_return's swapgs and its iretq (CS says ring 0, GS is the user's).
; Their stubs go to trap_paranoid instead, which asks IA32_GS_BASE itself
; (Linux's paranoid_entry): a kernel address there (bit 63 set) is the
; percpu, anything else is the user's and is swapped for the way through C.

bits 64
default rel

%include "trapframe.inc"

extern trap_dispatch

MSR_GS_BASE equ 0xC0000101          ; IA32_GS_BASE (SDM vol. 4 table 2-2)

; The exceptions for which the CPU pushes an error code:
; #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%if TF_REGS_SIZE != 15 * 8 || TF_VECTOR != TF_RAX + 8
%error "trapframe.h and the pushes of trap_common disagree"
%endif

section .text
align 16
trap_common:
    test byte [rsp + TF_CS - TF_VECTOR], 3  ; the interrupted code's privilege
    jz .from_ring0
    swapgs                          ; from ring 3: GS base becomes this CPU's percpu
.from_ring0:
    PUSH_REGS                       ; struct trap_frame's registers (trapframe.inc)
    cld                             ; the SysV ABI: DF clear on calls
    mov rdi, rsp                    ; struct trap_frame *
    call trap_dispatch
global trap_return
trap_return:
    POP_REGS
    test byte [rsp + TF_CS - TF_VECTOR], 3  ; going back to ring 3?
    jz .to_ring0
    swapgs                          ; ring 3's GS base back
.to_ring0:
    add rsp, TF_RIP - TF_VECTOR     ; vector and error code
    iretq

; trap_paranoid: trap_common for NMI, #DF and #MC (the IST vectors), which
; may interrupt the few instructions where CS and GS disagree (above).
; RBX remembers whether it swapped (callee-saved across the call; the
; frame's own RBX is popped after).
trap_paranoid:
    PUSH_REGS                       ; struct trap_frame's registers (trapframe.inc)
    cld
    mov ecx, MSR_GS_BASE
    rdmsr
    xor ebx, ebx
    test edx, edx
    js .kernel_gs                   ; bit 63 set: the percpu is already there
    swapgs
    mov ebx, 1
.kernel_gs:
    mov rdi, rsp
    call trap_dispatch
    test ebx, ebx
    jz .restore
    swapgs                          ; the user's GS base back
.restore:
    POP_REGS
    add rsp, TF_RIP - TF_VECTOR
    iretq

; The stubs: 16 bytes apart is not needed; the table below holds each address.
%assign v 0
%rep 256
align 8
isr_stub_ %+ v:
%if HAS_ERROR(v) == 0
    push 0                          ; no error code from the CPU: keep the layout
%endif
    push v
%if v == 2 || v == 8 || v == 18
    jmp trap_paranoid               ; NMI, #DF, #MC
%else
    jmp trap_common
%endif
%assign v v + 1
%endrep

; trap_simulate: enter vector RDI's stub as the CPU would for an exception
; with error code RSI, for the vectors a test cannot raise for real in
; ring 0 (#TS, #AC, #CP, #VC, #SX): `int N` would push no error code and
; break the frame. The frame says the exception hit at the return address
; with the caller's stack, so iretq comes back as a plain `ret` would.
;   in: RDI = vector (one with an error code), RSI = error code
;   clobbers: RAX, RCX, RDX
global trap_simulate
trap_simulate:
    lea rax, [rsp + 8]              ; the caller's RSP once returned
    mov rcx, [rsp]                  ; the return address
    and rsp, -16                    ; the CPU aligns before its pushes
    mov edx, ss
    push rdx                        ; SS
    push rax                        ; RSP
    pushfq                          ; RFLAGS
    mov edx, cs
    push rdx                        ; CS
    push rcx                        ; RIP
    push rsi                        ; error code
    lea rdx, [isr_stub_table]
    cli                             ; as through an interrupt gate
    jmp [rdx + rdi * 8]

section .rodata
align 8
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
    dq isr_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
