; usercopy.asm - the only instructions that touch user memory: copies in
; and out of ring 3's pages for system calls, each between STAC and CLAC
; (SMAP stays on everywhere else, Intel SDM vol. 3A 4.6.1), and the
; fix-up table that turns a fault on one of them into an error return.
;
; A fault on an instruction listed in usercopy_fixups (a page the process
; has not mapped, or may not access) is not a kernel bug: trap.c asks
; arch_usercopy_fixup (syscall.c) for the instruction's fix-up address and
; resumes there with the registers as they were at the fault; the fix-up
; turns AC off again and returns what was not copied. The page-fault hook
; has had its chance first: a page of the process's demand-zero memory is
; mapped and the copy goes on.
;
; The C side (copy_from_user and friends, proc_arch.h) checks that the
; user range lies in the lower half before calling these, so no address
; here is non-canonical or the kernel's.
;
; Without SMAP (usercopy_smap = 0) STAC and CLAC do not exist (#UD): they
; are skipped.

bits 64
default rel

section .data
global usercopy_smap
usercopy_smap: db 0                 ; set by syscall.c when CR4.SMAP is on

section .text

%macro STAC_IF_SMAP 0
    cmp byte [usercopy_smap], 0
    je %%no
    stac
%%no:
%endmacro
%macro CLAC_IF_SMAP 0
    cmp byte [usercopy_smap], 0
    je %%no
    clac
%%no:
%endmacro

; arch_copy_user: copy RDX bytes from RSI to RDI, one side user memory.
;   in: RDI = destination, RSI = source, RDX = bytes
;   out: RAX = bytes NOT copied (0: all)
;   clobbers: RCX, RSI, RDI
; arch_copy_user: eight bytes a step, then the rest one by one. (REP MOVSB
; is as fast on CPUs with ERMS, but QEMU's TCG, and CPUs without it, take
; a step per byte: a 64 KiB read was 65,536 steps.)
global arch_copy_user
arch_copy_user:
    mov rcx, rdx
    shr rcx, 3
    and edx, 7                      ; RDX = the tail, after the quadwords
    STAC_IF_SMAP
.copy8:
    rep movsq                       ; a fault leaves RCX = quadwords left
    mov ecx, edx
.copy1:
    rep movsb                       ; a fault leaves RCX = bytes left
    CLAC_IF_SMAP
    xor eax, eax
    ret
.fault8:                            ; the rest byte by byte (AC is still set): the bytes
    shl rcx, 3                      ; of the faulting quadword before the bad page are
    add rcx, rdx                    ; copied and counted, as Linux's copy_user does
    jmp .copy1
.fault1:
    CLAC_IF_SMAP
    mov rax, rcx
    ret

; arch_strncpy_user: copy a NUL-terminated string of at most RDX bytes
; (its NUL included) from user RSI to kernel RDI.
;   out: RAX = its length without the NUL; RDX when no NUL came within
;        RDX bytes (the buffer then holds RDX bytes, unterminated);
;        -1 on a fault
;   clobbers: RCX, RSI, RDI, R8
global arch_strncpy_user
arch_strncpy_user:
    xor eax, eax
    STAC_IF_SMAP
.next:
    cmp rax, rdx
    je .done
.load:
    movzx ecx, byte [rsi + rax]
    mov [rdi + rax], cl
    test ecx, ecx
    jz .done
    inc rax
    jmp .next
.done:
    CLAC_IF_SMAP
    ret
.fault:
    CLAC_IF_SMAP
    mov rax, -1
    ret

; arch_cmpxchg_user32: LOCK CMPXCHG on a user word (robust futexes: the
; dead owner's word is changed only if it still holds what was read).
;   in: RDI = user address (4-byte aligned), ESI = expected, EDX = new,
;       RCX = kernel address for the value found there
;   out: EAX = 0 (the value found is at [RCX]; equal to ESI when swapped),
;        -1 on a fault
global arch_cmpxchg_user32
arch_cmpxchg_user32:
    mov eax, esi
    STAC_IF_SMAP
.cmpxchg:
    lock cmpxchg [rdi], edx         ; EAX = the value found
    CLAC_IF_SMAP
    mov [rcx], eax
    xor eax, eax
    ret
.fault:
    CLAC_IF_SMAP
    mov eax, -1
    ret

; The fix-up table: pairs (faulting instruction, where to resume).
section .rodata
align 8
global usercopy_fixups, usercopy_fixups_end
usercopy_fixups:
    dq arch_copy_user.copy8, arch_copy_user.fault8
    dq arch_copy_user.copy1, arch_copy_user.fault1
    dq arch_strncpy_user.load, arch_strncpy_user.fault
    dq arch_cmpxchg_user32.cmpxchg, arch_cmpxchg_user32.fault
usercopy_fixups_end:

section .note.GNU-stack noalloc noexec nowrite progbits
