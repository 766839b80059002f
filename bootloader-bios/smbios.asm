; smbios.asm - find the SMBIOS entry point (DMTF DSP0134 3.x, 5.2 "Table
; convention"): on a non-UEFI system the anchor lies on a 16-byte boundary
; in 0xF0000..0xFFFFF. The 64-bit "_SM3_" entry point (SMBIOS 3) is taken
; first, the 32-bit "_SM_" one (SMBIOS 2.1+) otherwise; a candidate counts
; when its checksum over its own length byte is 0, the same rule as the
; UEFI loader's configuration-table lookup. Not finding one is not fatal
; (bootinfo.smbios = 0).

SMBIOS_START    equ 0xF0000
SMBIOS_END      equ 0x100000
SM3_SIG         equ '_SM3'          ; "_SM3_": 4 bytes here, '_' at offset 4
SM3_LENGTH      equ 6               ; byte: entry point length (24 in 3.0)
SM2_SIG         equ '_SM_'          ; "_SM_"
SM2_LENGTH      equ 5               ; byte: entry point length (31 in 2.1+)
; In both, the major and minor version bytes follow the length byte.
SM_LEN_MIN      equ 16
SM_LEN_MAX      equ 64

; smbios_find: locate the entry point, record it, print the smbios line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
smbios_find:
    mov ebx, SM3_SIG
    mov edi, SM3_LENGTH
    call sm_scan
    jnc .found
    mov ebx, SM2_SIG
    mov edi, SM2_LENGTH
    call sm_scan
    jnc .found
    call line_start
    SAY "smbios: no entry point found"
    jmp .done
.found:
    mov [BI(BI_SMBIOS)], esi
    call line_start
    SAY "smbios: SMBIOS "
    movzx eax, byte [esi + edi + 1] ; the major version follows the length byte
    call line_dec
    mov al, '.'
    call line_char
    movzx eax, byte [esi + edi + 2]
    call line_dec
    SAY " entry point at "
    mov eax, esi
    mov cl, 8
    call line_hex
.done:
    call line_end
    STEP "smbios"
    ret

; sm_scan: search 0xF0000..0xFFFFF for an entry point.
;   in:  EBX = its first 4 signature bytes, EDI = offset of its length byte
;   out: CF = 0 and ESI = the entry point, or CF = 1; clobbers: EAX, ECX, EDX
sm_scan:
    mov esi, SMBIOS_START
.loop:
    cmp dword [esi], ebx
    jne .next
    cmp ebx, SM3_SIG                ; "_SM3_" has a fifth signature byte
    jne .length
    cmp byte [esi + 4], '_'
    jne .next
.length:
    movzx ecx, byte [esi + edi]
    cmp ecx, SM_LEN_MIN
    jb .next
    cmp ecx, SM_LEN_MAX
    ja .next
    call checksum
    jnz .next
    clc
    ret
.next:
    add esi, 16
    cmp esi, SMBIOS_END
    jb .loop
    stc
    ret
