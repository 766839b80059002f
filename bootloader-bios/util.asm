; util.asm - string helpers shared by the steps.

; str_copy: copy a NUL-terminated string, truncating, always terminating.
;   in:  ESI = source, EDI = destination, ECX = destination size (>= 1)
;   out: EAX = characters copied (without the NUL)
;   clobbers: nothing else
str_copy:
    push esi
    push edi
    push ecx
    xor eax, eax
.loop:
    cmp ecx, 1
    jbe .end
    mov dl, [esi]
    test dl, dl
    jz .end
    mov [edi], dl
    inc esi
    inc edi
    inc eax
    dec ecx
    jmp .loop
.end:
    mov byte [edi], 0
    pop ecx
    pop edi
    pop esi
    ret

; mem_zero: zero ECX bytes (a multiple of 4) at EDI.
;   clobbers: nothing
mem_zero:
    push eax
    push ecx
    push edi
    shr ecx, 2
    xor eax, eax
    a32 rep stosd
    pop edi
    pop ecx
    pop eax
    ret

; mem_copy: copy ECX bytes from ESI to EDI (regions must not overlap).
;   clobbers: nothing
mem_copy:
    pushad
    push ecx
    shr ecx, 2
    a32 rep movsd
    pop ecx
    and ecx, 3
    a32 rep movsb
    popad
    ret

; parse_dec: read a decimal number.
;   in:  ESI = text; out: EAX = value, ESI = first non-digit, CF = no digit
;   clobbers: EDX
parse_dec:
    push ebx
    xor eax, eax
    xor ebx, ebx                    ; digits seen
.loop:
    movzx edx, byte [esi]
    sub dl, '0'
    cmp dl, 9
    ja .end
    imul eax, eax, 10
    add eax, edx
    inc esi
    inc ebx
    jmp .loop
.end:
    cmp ebx, 1                      ; CF when no digit
    pop ebx
    ret
