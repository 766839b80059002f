; race-kernel.asm - the kernel our UEFI loader loads in the race against
; GRUB (tests/bench/uefi-bench.sh): the GRUB anchor's kernel
; (../shared/anchors/grub/mb2.asm) as an ELF64 our loader accepts, with the
; same loaded bytes, so both loaders read the same from disk.
;
;   nasm -f bin -DLOADED=N race-kernel.asm -o race-kernel.elf
;
; Like the anchor's file as ld lays it out: the ELF header and ONE program
; header in the first page, ONE PT_LOAD at file offset 0x1000 with
; p_filesz = p_memsz = LOADED (no bss to zero), holding the code, its line
; and a pad of 0x5a bytes. uefi-bench.sh gives LOADED = the anchor kernel's
; p_filesz total, read off GRUB's image. Nothing follows the segment: the
; anchor's file has its symbols there, which neither loader reads.
;
; The code does what GRUB's race kernel does (the anchor's mb2.asm with
; race-tsc.inc's line first, grub-anchor.sh): write the TSC line
; (RACE_TSC_LINE, read under -icount) and "KERNEL-ENTRY" to COM1 (the line
; both sides of the race are timed to), then exit QEMU through
; isa-debug-exit (a race machine has none: it halts). It is written without
; an org: every address is RIP-relative, and e_entry is the load address
; (ELF_KERNEL_VBASE, common/bootrules.h, where our loader's window starts)
; plus the entry's offset in the segment.
bits 64
%include "race-tsc.inc"

%ifndef LOADED
%error "LOADED (the PT_LOAD bytes) is required: nasm -DLOADED=N"
%endif

VBASE       equ 0xffffffff80000000  ; ELF_KERNEL_VBASE: the top 2 GiB
SEG_OFFSET  equ 0x1000              ; where ld puts the anchor's segment too
COM1        equ 0x3f8               ; 8250 UART data register
DEBUG_EXIT  equ 0xf4                ; QEMU isa-debug-exit, as mb2.asm uses it

; ELF header (System V ABI, "ELF Header"; x86-64 psABI for EM_X86_64)
ehdr:
    db 0x7f, "ELF", 2, 1, 1, 0      ; ELFCLASS64, ELFDATA2LSB, EV_CURRENT, System V
    times 16 - ($ - ehdr) db 0
    dw 2                            ; e_type: ET_EXEC
    dw 62                           ; e_machine: EM_X86_64
    dd 1                            ; e_version: EV_CURRENT
    dq VBASE + (entry - load)       ; e_entry
    dq phdr - ehdr                  ; e_phoff
    dq 0                            ; e_shoff: no section headers
    dd 0                            ; e_flags
    dw 64, 56, 1                    ; e_ehsize, e_phentsize, e_phnum
    dw 64, 0, 0                     ; e_shentsize, e_shnum, e_shstrndx
; the one program header
phdr:
    dd 1                            ; p_type: PT_LOAD
    dd 5                            ; p_flags: PF_R | PF_X
    dq SEG_OFFSET                   ; p_offset
    dq VBASE, 0                     ; p_vaddr, p_paddr (our loader ignores p_paddr)
    dq LOADED, LOADED               ; p_filesz, p_memsz
    dq 0x1000                       ; p_align
    times SEG_OFFSET - ($ - ehdr) db 0

; the segment
load:
entry:
    RACE_TSC_LINE
    lea rsi, [rel msg]
.next:
    lodsb
    test al, al
    jz .done
    mov dx, COM1
    out dx, al
    jmp .next
.done:
    mov al, 0x10
    out DEBUG_EXIT, al
.halt:
    cli
    hlt
    jmp .halt
msg:
    db "KERNEL-ENTRY", 13, 10, 0
%if LOADED < $ - load
%error "LOADED is smaller than the code"
%endif
    times LOADED - ($ - load) db 0x5a
