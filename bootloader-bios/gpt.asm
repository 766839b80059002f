; gpt.asm - find the EFI System Partition on a GPT disk.
;
; (UEFI 2.10, 5.3 "GUID Partition Table Disk Layout".) part_find comes here
; when the MBR is a protective one (a partition of type EEh): the hybrid
; image tessera.img, or any GPT disk. Everything on the disk is untrusted:
; the header's signature, size, CRC32 and own LBA are checked, then the
; entry array's size and CRC32, before the first entry whose type is the
; EFI System Partition GUID is taken. Stage2 addresses sectors with 32
; bits, so an ESP past 2 TiB is refused with a message.
; Records bootinfo.bootdev: 1-based entry index, start LBA, the partition's
; unique GUID, scheme GPT, and the protective MBR's disk signature.

; The GPT header (LBA 1)
GPT_SIGNATURE       equ 0           ; "EFI PART"
GPT_HEADER_SIZE     equ 12          ; u32, 92 .. 512
GPT_HEADER_CRC      equ 16          ; u32, CRC32 of the header with this field 0
GPT_MY_LBA          equ 24          ; u64, must be 1
GPT_ENTRIES_LBA     equ 72          ; u64, first sector of the entry array
GPT_ENTRY_COUNT     equ 80          ; u32
GPT_ENTRY_SIZE      equ 84          ; u32, 128 * 2^n
GPT_ENTRIES_CRC     equ 88          ; u32, CRC32 of count * size bytes
GPT_HEADER_MIN      equ 92
; One partition entry
GPTE_TYPE           equ 0           ; type GUID (16 bytes)
GPTE_GUID           equ 16          ; unique partition GUID (16 bytes)
GPTE_FIRST          equ 32          ; u64 first LBA
GPTE_LAST           equ 40          ; u64 last LBA, inclusive
GPTE_MIN_SIZE       equ 128
GPT_ARRAY_MAX       equ BOUNCE_SECTORS * SECTOR_SIZE    ; what one read can hold
MBR_TYPE_PROTECTIVE equ 0xEE
PART_SCHEME_GPT     equ 2           ; bootinfo.bootdev.part_scheme

section .data
gpt_entries_lba:    dd 0
gpt_entry_count:    dd 0
gpt_entry_size:     dd 0
gpt_entries_crc:    dd 0
; C12A7328-F81F-11D2-BA4B-00A0C93EC93B as stored: the first three fields
; little-endian, the last two as bytes.
gpt_esp_type:       dd 0xC12A7328
                    dw 0xF81F, 0x11D2
                    db 0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B
section .text

; gpt_find: choose the ESP of the GPT; print the part line, or halt.
;   in:  the MBR in BOUNCE_BUF (for its disk signature)
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
gpt_find:
    mov eax, [dword BOUNCE_BUF + MBR_DISK_SIG]
    mov [BI(BI_BOOT_MBR_SIGNATURE)], eax
    mov eax, 1                      ; the primary header
    mov cx, 1
    mov bx, BOUNCE_SEG
    call disk_read
    cmp dword [dword BOUNCE_BUF + GPT_SIGNATURE], 'EFI '
    jne .bad_sig
    cmp dword [dword BOUNCE_BUF + GPT_SIGNATURE + 4], 'PART'
    jne .bad_sig
    mov ecx, [dword BOUNCE_BUF + GPT_HEADER_SIZE]
    cmp ecx, GPT_HEADER_MIN
    jb .bad_header
    cmp ecx, SECTOR_SIZE
    ja .bad_header
    xor eax, eax                    ; the CRC is taken with its own field 0
    xchg eax, [dword BOUNCE_BUF + GPT_HEADER_CRC]
    mov edx, eax
    mov esi, BOUNCE_BUF
    call crc32
    cmp eax, edx
    jne .bad_header_crc
    cmp dword [dword BOUNCE_BUF + GPT_MY_LBA], 1
    jne .bad_header
    cmp dword [dword BOUNCE_BUF + GPT_MY_LBA + 4], 0
    jne .bad_header
    ; The entry array: at least 2, below 2^32, count * size within one read.
    mov eax, [dword BOUNCE_BUF + GPT_ENTRIES_LBA]
    cmp dword [dword BOUNCE_BUF + GPT_ENTRIES_LBA + 4], 0
    jne .bad_array
    cmp eax, 2
    jb .bad_array
    mov [gpt_entries_lba], eax
    mov ecx, [dword BOUNCE_BUF + GPT_ENTRY_SIZE]
    cmp ecx, GPTE_MIN_SIZE
    jb .bad_array
    test ecx, GPTE_MIN_SIZE - 1     ; a multiple of 128 (the spec: 128 * 2^n)
    jnz .bad_array
    mov [gpt_entry_size], ecx
    mov eax, [dword BOUNCE_BUF + GPT_ENTRY_COUNT]
    test eax, eax
    jz .bad_array
    cmp eax, GPT_ARRAY_MAX / GPTE_MIN_SIZE
    ja .bad_array
    mov [gpt_entry_count], eax
    mul ecx                         ; EAX = array bytes (no overflow: both bounded)
    cmp eax, GPT_ARRAY_MAX
    ja .bad_array
    mov edx, [dword BOUNCE_BUF + GPT_ENTRIES_CRC]
    mov [gpt_entries_crc], edx
    push eax
    add eax, SECTOR_SIZE - 1
    shr eax, 9                      ; sectors
    mov cx, ax
    mov eax, [gpt_entries_lba]
    mov bx, BOUNCE_SEG
    call disk_read
    pop ecx
    mov esi, BOUNCE_BUF
    call crc32
    cmp eax, [gpt_entries_crc]
    jne .bad_array_crc
    ; The first entry of the ESP type.
    mov esi, BOUNCE_BUF
    mov ebx, 1                      ; entry number
.entry:
    push esi
    mov edi, gpt_esp_type
    mov ecx, 4
    a32 repe cmpsd
    pop esi
    je .found
    add esi, [gpt_entry_size]
    inc ebx
    cmp ebx, [gpt_entry_count]
    jbe .entry
    FAIL "part: error, GPT without an EFI System Partition"
.found:
    mov eax, [esi + GPTE_FIRST]
    mov ecx, [esi + GPTE_LAST]
    cmp dword [esi + GPTE_FIRST + 4], 0
    jne .too_far
    cmp dword [esi + GPTE_LAST + 4], 0
    jne .too_far
    test eax, eax
    jz .bad_range
    cmp ecx, eax
    jb .bad_range
    sub ecx, eax
    inc ecx                         ; sectors (the last LBA is inclusive)
    jz .too_far
    mov dl, PART_SCHEME_GPT
    call part_use
    push esi
    add esi, GPTE_GUID
    mov edi, BI_ADDR + BI_BOOT_GPT_GUID
    mov ecx, 16
    call mem_copy
    pop esi
    call line_start
    SAY "part: GPT, partition "
    mov eax, ebx
    call line_dec
    SAY " (EFI System), LBA "
    mov eax, [part_lba]
    call line_dec
    SAY ", "
    mov eax, [part_sectors]
    call line_dec
    SAY " sectors, GUID "
    add esi, GPTE_GUID
    call line_guid
    call line_end
    STEP "part"
    ret
.bad_sig:
    FAIL "part: error, protective MBR but no GPT header at LBA 1"
.bad_header:
    FAIL "part: error, GPT header: bad size or LBA"
.bad_header_crc:
    FAIL "part: error, GPT header: CRC32 mismatch"
.bad_array:
    FAIL "part: error, GPT entry array: bad place, count or size"
.bad_array_crc:
    FAIL "part: error, GPT entry array: CRC32 mismatch"
.bad_range:
    FAIL "part: error, the EFI System Partition has a bad LBA range"
.too_far:
    FAIL "part: error, the EFI System Partition lies past 2 TiB"

; line_guid: append the GUID at ESI in its text form,
; xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (first three fields little-endian).
;   clobbers: nothing
line_guid:
    pushad
    mov eax, [esi]
    mov cl, 8
    call line_hex_digits
    mov al, '-'
    call line_char
    movzx eax, word [esi + 4]
    mov cl, 4
    call line_hex_digits
    mov al, '-'
    call line_char
    movzx eax, word [esi + 6]
    call line_hex_digits
    mov al, '-'
    call line_char
    mov ebx, 8                      ; then the bytes in order
    mov cl, 2
.byte:
    cmp ebx, 10
    jne .digits
    mov al, '-'
    call line_char
.digits:
    movzx eax, byte [esi + ebx]
    call line_hex_digits
    inc ebx
    cmp ebx, 16
    jb .byte
    popad
    ret

; crc32: the CRC-32 of IEEE 802.3 (reflected, polynomial EDB88320h), as
; GPT uses it; bit by bit: the arrays are small and this runs once.
;   in:  ESI = data, ECX = bytes
;   out: EAX = CRC
;   clobbers: nothing else
crc32:
    push ebx
    push ecx
    push edx
    push esi
    mov eax, 0xFFFFFFFF
    jecxz .done
.byte:
    movzx ebx, byte [esi]
    xor eax, ebx
    mov dl, 8
.bit:
    shr eax, 1
    jnc .next
    xor eax, 0xEDB88320
.next:
    dec dl
    jnz .bit
    inc esi
    a32 loop .byte
.done:
    not eax
    pop esi
    pop edx
    pop ecx
    pop ebx
    ret
