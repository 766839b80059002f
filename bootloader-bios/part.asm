; part.asm - find the boot partition in the MBR partition table.
;
; Reads LBA 0 again (stage1's copy is not trusted: a chainloader may have
; started us). A protective MBR (an entry of type EEh) means a GPT disk:
; gpt.asm takes over and boots from the EFI System Partition. Otherwise the
; first active entry (status 80h) whose type is a FAT one is taken.
; Records bootinfo.bootdev: drive, 1-based partition index, start LBA, MBR
; disk signature, scheme MBR.

PART_ENTRY_SIZE equ 16
PART_STATUS     equ 0               ; 80h = active (bootable)
PART_TYPE       equ 4
PART_LBA        equ 8               ; u32 first sector
PART_SECTORS    equ 12              ; u32 sector count
PART_ACTIVE     equ 0x80
PART_SCHEME_MBR equ 1               ; bootinfo.bootdev.part_scheme
; FAT partition types (the MBR type registry):
PT_FAT16_SMALL  equ 0x04            ; FAT16, < 32 MiB
PT_FAT16        equ 0x06            ; FAT16
PT_FAT32_CHS    equ 0x0B            ; FAT32
PT_FAT32_LBA    equ 0x0C            ; FAT32, LBA
PT_FAT16_LBA    equ 0x0E            ; FAT16, LBA

section .data
part_lba:       dd 0
part_sectors:   dd 0
section .text

; part_use: make a partition the boot partition: part_lba and part_sectors
; for the FAT step, and bootinfo.bootdev's start LBA, index and scheme.
; Shared by the MBR path below and the GPT path (gpt.asm).
;   in:  EAX = first LBA, ECX = sectors, BL = 1-based index, DL = PART_SCHEME_*
;   clobbers: nothing
part_use:
    mov [part_lba], eax
    mov [part_sectors], ecx
    mov [BI(BI_BOOT_PART_LBA)], eax
    mov [BI(BI_BOOT_PART_INDEX)], bl
    mov [BI(BI_BOOT_PART_SCHEME)], dl
    ret

; part_find: choose the partition; print the part line, or halt.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
part_find:
    xor eax, eax
    mov cx, 1
    mov bx, BOUNCE_SEG
    call disk_read
    cmp word [dword BOUNCE_BUF + MBR_BOOT_SIG], BOOT_SIGNATURE
    je .table
    FAIL "part: error, no MBR boot signature on the disk"
.table:
    mov esi, BOUNCE_BUF + MBR_PART_TABLE
    mov ecx, 4
.protective:
    cmp byte [esi + PART_TYPE], MBR_TYPE_PROTECTIVE
    je gpt_find
    add esi, PART_ENTRY_SIZE
    a32 loop .protective
    mov esi, BOUNCE_BUF + MBR_PART_TABLE
    mov ebx, 1                      ; partition number
.entry:
    cmp byte [esi + PART_STATUS], PART_ACTIVE
    jne .next
    mov al, [esi + PART_TYPE]
    cmp al, PT_FAT16_SMALL
    je .found
    cmp al, PT_FAT16
    je .found
    cmp al, PT_FAT32_CHS
    je .found
    cmp al, PT_FAT32_LBA
    je .found
    cmp al, PT_FAT16_LBA
    je .found
.next:
    add esi, PART_ENTRY_SIZE
    inc ebx
    cmp ebx, 4
    jbe .entry
    FAIL "part: error, no active FAT partition (types 04h 06h 0Bh 0Ch 0Eh)"
.found:
    mov eax, [esi + PART_LBA]
    mov ecx, [esi + PART_SECTORS]
    test eax, eax
    jz .bad
    test ecx, ecx
    jz .bad
    mov dl, PART_SCHEME_MBR
    call part_use
    mov edx, [dword BOUNCE_BUF + MBR_DISK_SIG]
    mov [BI(BI_BOOT_MBR_SIGNATURE)], edx
    call line_start
    SAY "part: partition "
    mov eax, ebx
    call line_dec
    SAY " type "
    movzx eax, byte [esi + PART_TYPE]
    mov cl, 2
    call line_hex
    SAY ", LBA "
    mov eax, [part_lba]
    call line_dec
    SAY ", "
    mov eax, [part_sectors]
    call line_dec
    SAY " sectors, disk signature "
    mov eax, edx
    mov cl, 8
    call line_hex
    call line_end
    STEP "part"
    ret
.bad:
    FAIL "part: error, the active FAT partition is empty"
