; e820.asm - the BIOS memory map: INT 15h EAX=E820h.
;
; Reads every entry (the BIOS hands back a continuation value in EBX, 0 after
; the last), keeps those the ACPI 3.0 extended attributes do not tell us to
; ignore, normalises the types (1..5 kept, anything else reserved), then
; has mmap.asm sort, split and merge them into the clean map (CLEAN_ADDR)
; that every later allocation consults. Page 0 is made reserved.

E820_FUNC       equ 0xE820          ; INT 15h EAX=E820h: query system address map
E820_SMAP       equ 0x534D4150      ; 'SMAP', in EDX and returned in EAX
E820_ENTRY      equ 24              ; bytes we ask for (ACPI 3.0 entry with attributes)
E820_ATTR_USE   equ 1               ; ACPI 3.0 extended attributes bit 0: "use me"
E820_MAX        equ 128             ; entries we take from the BIOS
PAGE_SIZE       equ 4096

section .data
e820_count:     dd 0                ; entries the BIOS gave us
clean_count:    dd 0                ; entries in the clean map
usable_mib:     dd 0
section .text

; e820_run: read, clean and print the memory map.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
e820_run:
    mov dword [range_count], 0
    xor ebx, ebx
.next:
    mov dword [E820_TMP + 20], E820_ATTR_USE
    mov eax, E820_FUNC
    mov edx, E820_SMAP
    mov ecx, E820_ENTRY
    mov di, E820_TMP
    push ebx
    int BIOS_SYSTEM
    mov [.cont], ebx
    pop ebx
    call unreal_enter               ; INT 15h may reset segment limits
    jc .end
    cmp eax, E820_SMAP
    jne .end
    cmp ecx, 20
    jbe .take                       ; no attributes: take it
    test byte [E820_TMP + 20], E820_ATTR_USE
    jz .skip
.take:
    call e820_add
.skip:
    mov ebx, [.cont]
    test ebx, ebx
    jz .end
    cmp dword [e820_count], E820_MAX
    jb .next
.end:
    cmp dword [e820_count], 0
    jne .clean
    FAIL "e820: error, the BIOS gave no E820 memory map"
.clean:
    ; never hand out page 0: a reserved range [0, 4 KiB) wins over usable
    mov edi, range_tmp
    mov dword [edi], 0
    mov dword [edi + 4], 0
    mov dword [edi + 8], PAGE_SIZE
    mov dword [edi + 12], 0
    mov dword [edi + 16], BOOTINFO_MEM_RESERVED
    call range_add
    mov edi, CLEAN_ADDR
    mov ecx, CLEAN_MAX
    call mmap_sweep
    mov [clean_count], eax
    call e820_usable_mib
    call line_start
    SAY "e820: "
    mov eax, [e820_count]
    call line_dec
    SAY " entries, "
    mov eax, [usable_mib]
    call line_dec
    SAY " MiB usable"
    call line_end
    STEP "e820"
    ret
section .data
.cont: dd 0
section .text

; e820_add: turn the entry at E820_TMP into a range (base, end, type).
;   clobbers: EAX, EDX, EDI
e820_add:
    mov eax, [E820_TMP + 8]
    or eax, [E820_TMP + 12]
    jz .out                         ; empty
    inc dword [e820_count]
    mov edi, range_tmp
    mov eax, [E820_TMP]
    mov edx, [E820_TMP + 4]
    mov [edi], eax
    mov [edi + 4], edx
    add eax, [E820_TMP + 8]
    adc edx, [E820_TMP + 12]
    jnc .end_ok
    mov eax, 0xFFFFF000             ; wrapped: clamp just below 2^64
    mov edx, 0xFFFFFFFF
.end_ok:
    mov [edi + 8], eax
    mov [edi + 12], edx
    mov eax, [E820_TMP + 16]
    cmp eax, BOOTINFO_MEM_USABLE
    jb .other
    cmp eax, BOOTINFO_MEM_BAD
    jbe .type_ok
.other:
    mov eax, BOOTINFO_MEM_RESERVED  ; types the ACPI spec does not define
.type_ok:
    mov [edi + 16], eax
    call range_add
.out:
    ret

; e820_usable_mib: sum the usable clean entries into usable_mib.
;   clobbers: EAX, EBX, ECX, EDX, ESI
e820_usable_mib:
    xor ebx, ebx                    ; the total, in EDI:EBX
    xor edi, edi
    mov esi, CLEAN_ADDR
    mov ecx, [clean_count]
.loop:
    jecxz .done
    cmp dword [esi + RANGE_TYPE], BOOTINFO_MEM_USABLE
    jne .next
    call range_len
    add ebx, eax
    adc edi, edx
.next:
    add esi, RANGE_SIZE
    dec ecx
    jmp .loop
.done:
    shrd ebx, edi, 20
    mov [usable_mib], ebx
    ret
