; acpi.asm - find the ACPI RSDP (ACPI spec 6.5, 5.2.5.1 "Finding the RSDP on
; IA-PC Systems"): the signature "RSD PTR " on a 16-byte boundary in the
; first KiB of the EBDA, then in 0xE0000..0xFFFFF. A candidate counts when
; its first 20 bytes sum to 0 and, for revision 2 and up, all `length`
; bytes do too. Not finding one is not fatal (bootinfo.acpi_rsdp = 0).

BDA_EBDA_SEG    equ 0x040E          ; BIOS data area: EBDA segment (word)
EBDA_SCAN       equ 1024            ; ACPI: scan the first 1 KiB of the EBDA
BIOS_ROM_START  equ 0xE0000         ; ACPI: then the BIOS read-only area
BIOS_ROM_END    equ 0x100000
RSDP_SIG_LO     equ 'RSD '          ; "RSD PTR "
RSDP_SIG_HI     equ 'PTR '
RSDP_V1_LEN     equ 20              ; bytes covered by the first checksum
RSDP_REVISION   equ 15              ; byte: 0 = ACPI 1.0, 2 = ACPI 2.0+
RSDP_LENGTH     equ 20              ; u32: whole table (revision >= 2)
RSDP_V2_MIN     equ 36
RSDP_V2_MAX     equ 4096            ; sanity limit on `length`

; acpi_find: locate the RSDP, record it, print the acpi line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
acpi_find:
    movzx esi, word [BDA_EBDA_SEG]
    shl esi, 4
    cmp esi, 0x80000                ; a plausible EBDA is in 512..640 KiB
    jb .rom
    cmp esi, 0xA0000
    jae .rom
    lea edi, [esi + EBDA_SCAN]
    call rsdp_scan
    jnc .found
.rom:
    mov esi, BIOS_ROM_START
    mov edi, BIOS_ROM_END
    call rsdp_scan
    jnc .found
    call line_start
    SAY "acpi: no RSDP found"
    jmp .done
.found:
    mov [BI(BI_ACPI_RSDP)], esi
    call line_start
    SAY "acpi: RSDP revision "
    movzx eax, byte [esi + RSDP_REVISION]
    call line_dec
    SAY " at "
    mov eax, esi
    mov cl, 8
    call line_hex
.done:
    call line_end
    STEP "acpi"
    ret

; rsdp_scan: search [ESI, EDI) on 16-byte boundaries.
;   out: CF = 0 and ESI = the RSDP, or CF = 1; clobbers: EAX, ECX, EDX
rsdp_scan:
    and esi, ~15
.loop:
    cmp esi, edi
    jae .none
    cmp dword [esi], RSDP_SIG_LO
    jne .next
    cmp dword [esi + 4], RSDP_SIG_HI
    jne .next
    mov ecx, RSDP_V1_LEN
    call checksum
    jnz .next
    cmp byte [esi + RSDP_REVISION], 2
    jb .ok
    mov ecx, [esi + RSDP_LENGTH]
    cmp ecx, RSDP_V2_MIN
    jb .next
    cmp ecx, RSDP_V2_MAX
    ja .next
    call checksum
    jnz .next
.ok:
    clc
    ret
.next:
    add esi, 16
    jmp .loop
.none:
    stc
    ret

; checksum: sum ECX bytes at ESI; ZF = 1 when the sum is 0 (mod 256).
;   clobbers: EAX, ECX, EDX
checksum:
    xor al, al
    mov edx, esi
.loop:
    add al, [edx]
    inc edx
    dec ecx
    jnz .loop
    test al, al
    ret
