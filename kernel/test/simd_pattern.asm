; simd_pattern.asm - for test_fpu.c: fill the SIMD registers with a
; pattern made from a seed, and count later how many lost it. In assembly
; so the kernel's C stays -mgeneral-regs-only. Every lane of register r
; holds seed + r. The YMM routines need AVX (call them only when fpu.c
; enabled it: fpu_xcr0() has bit 2).
;
;   void simd_fill_xmm(uint64_t seed)    XMM0-15
;   int  simd_check_xmm(uint64_t seed)   quadwords of XMM0-15 that differ (0 = intact)
;   void simd_fill_ymm(uint64_t seed)    YMM0-15 (all 256 bits)
;   int  simd_check_ymm(uint64_t seed)   quadwords of YMM0-15 that differ
;   in: RDI = seed; out: EAX; clobbers: RAX, RCX, RDX, R8, and the
;   registers filled; the checks only read the SIMD registers

bits 64
default rel

section .text

; CHECK_QWORDS n: compare n quadwords at [rsp] with RAX, count misses in R8D.
%macro CHECK_QWORDS 1
%assign q 0
%rep %1
    xor edx, edx
    cmp rax, [rsp + q * 8]
    setne dl
    add r8d, edx
%assign q q + 1
%endrep
%endmacro

global simd_fill_xmm
simd_fill_xmm:
    sub rsp, 8
%assign r 0
%rep 16
    lea rax, [rdi + r]
    mov [rsp], rax
    movq xmm %+ r, [rsp]
    punpcklqdq xmm %+ r, xmm %+ r   ; SSE2: both quadwords = seed + r
%assign r r + 1
%endrep
    add rsp, 8
    ret

global simd_check_xmm
simd_check_xmm:
    sub rsp, 16
    xor r8d, r8d
%assign r 0
%rep 16
    movdqu [rsp], xmm %+ r
    lea rax, [rdi + r]
    CHECK_QWORDS 2
%assign r r + 1
%endrep
    add rsp, 16
    mov eax, r8d
    ret

global simd_fill_ymm
simd_fill_ymm:
    sub rsp, 8
%assign r 0
%rep 16
    lea rax, [rdi + r]
    mov [rsp], rax
    vbroadcastsd ymm %+ r, [rsp]    ; AVX: four quadwords = seed + r
%assign r r + 1
%endrep
    add rsp, 8
    ret

global simd_check_ymm
simd_check_ymm:
    sub rsp, 32
    xor r8d, r8d
%assign r 0
%rep 16
    vmovdqu [rsp], ymm %+ r
    lea rax, [rdi + r]
    CHECK_QWORDS 4
%assign r r + 1
%endrep
    add rsp, 32
    mov eax, r8d
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
