; entry.asm - _start: the first kernel instruction after the loader's jump.
;
; The loader's hand-off (docs/design.md, "The hand-off contract"): long mode, interrupts
; off, paging with the kernel at its link address and all memory at the HHDM,
; RDI = HHDM virtual address of the boot info. The loader's stack is not ours
; to keep (it sits in loader-reclaimable memory), so _start switches to the
; kernel's boot stack (section .stack, after .bss and a guard page that the
; kernel's own page tables leave unmapped: kernel.ld), zeroes .bss (the loader should have, but the
; kernel does not rely on it), and calls kmain(bootinfo).
;
; In:  RDI = struct bootinfo * (HHDM virtual)
; Out: never returns; if kmain ever returns, halt with interrupts off.

bits 64
default rel

BOOT_STACK_SIZE equ 16384          ; 16 KiB: kmain and the drivers it starts

extern kmain
extern __bss_start
extern __bss_end

section .text.entry progbits alloc exec nowrite align=16
global _start
_start:
    cli
    cld
    mov r12, rdi                    ; boot info; rep stosb below uses RDI
    lea rsp, [boot_stack_top]
    xor ebp, ebp                    ; end of the frame-pointer chain

    ; zero .bss (the stack is past its end)
    lea rdi, [__bss_start]
    lea rcx, [__bss_end]
    sub rcx, rdi
    xor eax, eax
    rep stosb

    mov rdi, r12
    call kmain                      ; SysV: RSP is 16-byte aligned before the call
.halt:
    cli
    hlt
    jmp .halt

section .stack nobits alloc noexec write align=4096
boot_stack_bottom:
    resb BOOT_STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
