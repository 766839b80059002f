; unreal.asm - the GDT, and unreal mode: real mode with 4 GiB data limits.
;
; The CPU caches a segment's limit when the segment register is loaded and
; real mode loads change only the base. So: switch to protected mode, load
; DS and ES with a flat 4 GiB data descriptor, switch back, and reload them
; with 0. From then on [ESI] reaches any address below 4 GiB while BIOS
; calls still work. BIOS calls that switch modes themselves (INT 15h block
; moves, some INT 13h drivers) reset the limits, so every BIOS wrapper calls
; unreal_enter again afterwards. The same GDT serves long mode (longmode.asm).

CR0_PE          equ 1               ; CR0 bit 0: protected mode enable

SEL_CODE64      equ 0x08            ; GDT entry 1: 64-bit code
SEL_DATA        equ 0x10            ; GDT entry 2: flat data, 4 GiB

align 8
gdt:
    dq 0                            ; the null descriptor
    ; 64-bit code: base 0, limit 4 GiB, present, DPL 0, execute/read, L=1
    ; (Intel SDM vol. 3, 3.4.5 "Segment Descriptors")
    dq 0x00AF9A000000FFFF
    ; flat data: base 0, limit 4 GiB (G=1), present, DPL 0, read/write, D/B=1
    dq 0x00CF92000000FFFF
gdt_end:
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt

; unreal_enter: give DS and ES 4 GiB limits (again).
;   in: nothing; out: DS = ES = 0 with 4 GiB limits
;   clobbers: nothing (flags and IF are restored)
unreal_enter:
    pushfd
    push eax
    cli
    lgdt [gdt_desc]
    mov eax, cr0
    or al, CR0_PE
    mov cr0, eax
    jmp short .pm                   ; serialise (i386/i486 prefetch)
.pm:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov eax, cr0
    and al, ~CR0_PE
    mov cr0, eax
    xor ax, ax
    mov ds, ax
    mov es, ax
    pop eax
    popfd
    ret
