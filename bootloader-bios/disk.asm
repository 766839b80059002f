; disk.asm - sector reads through INT 13h (or ATA DMA: ata.asm), counted in
; the boot info.
;
; Every read lands in a 64 KiB aligned buffer below 1 MiB (the bounce buffer
; or the FAT cache) and reads at most 128 sectors, so a transfer never
; crosses a 64 KiB boundary. Extended reads (EDD, AH=42h) when AH=41h says
; they exist; otherwise CHS reads (AH=02h) with the geometry from AH=08h,
; one call per track piece. Each call is retried after a reset; all
; registers are saved around INT 13h, which clobbers more than documented.
; bootinfo.disk_reads / disk_bytes count the calls that succeeded (an ATA
; DMA command counts as one call); a small read repeated is answered from
; diskcache.asm, with no call. SeaBIOS refuses a call of more than 64 KiB
; (src/block.c, process_op: status 09h), so 128 sectors is also the most
; any call could move there. When ata_init found the boot drive on an
; IDE controller (by its EDD device path, edd.asm), reads go by DMA instead;
; a DMA error falls back to INT 13h.

BIOS_DISK       equ 0x13            ; INT 13h: disk services
DISK_RESET      equ 0x00            ; AH=00h: reset disk system
DISK_READ_CHS   equ 0x02            ; AH=02h: read sectors, CHS
DISK_PARAMS     equ 0x08            ; AH=08h: get drive parameters
EDD_CHECK       equ 0x41            ; AH=41h: check extensions present (EDD 3.0)
EDD_READ        equ 0x42            ; AH=42h: extended read (EDD 3.0)
EDD_MAGIC_IN    equ 0x55AA          ; AH=41h: BX in
EDD_MAGIC_OUT   equ 0xAA55          ; AH=41h: BX out
EDD_API_PACKET  equ 1               ; AH=41h: CX bit 0, packet calls 42h..44h
DAP_SIZE        equ 16              ; EDD: disk address packet size
CHS_MAX_CYL     equ 1023            ; CHS: 10-bit cylinder number
DISK_TRIES      equ 3

section .data
boot_drive:     db 0x80
disk_edd:       db 0                ; 1 = extended reads
disk_spt:       dd 0                ; CHS: sectors per track
disk_heads:     dd 0                ; CHS: heads
section .text

; disk_init: find out how to read the boot drive; print the disk line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
disk_init:
    mov al, [boot_drive]
    mov [BI(BI_BOOT_BIOS_DRIVE)], al
    pushad
    mov ah, EDD_CHECK
    mov bx, EDD_MAGIC_IN
    mov dl, [boot_drive]
    int BIOS_DISK
    jc .no_edd
    cmp bx, EDD_MAGIC_OUT
    jne .no_edd
    test cl, EDD_API_PACKET
    jz .no_edd
%ifndef FORCE_CHS                   ; nasm -DFORCE_CHS: test the CHS path
    mov byte [disk_edd], 1
%endif
.no_edd:
    popad
    call line_start
    SAY "disk: drive "
    movzx eax, byte [boot_drive]
    mov cl, 2
    call line_hex
    cmp byte [disk_edd], 0
    je .chs
    SAY ", INT 13h extensions (EDD)"
    jmp .done
.chs:
    push es
    pushad
    mov ah, DISK_PARAMS
    mov dl, [boot_drive]
    xor di, di
    int BIOS_DISK
    mov [.cx], cx
    mov [.dh], dh
    popad
    pop es
    jc .no_params
    movzx eax, byte [.cx]
    and al, 0x3F                    ; CL bits 0..5: sectors per track
    jz .no_params
    mov [disk_spt], eax
    movzx eax, byte [.dh]           ; DH: last head
    inc eax
    mov [disk_heads], eax
    SAY ", no INT 13h extensions: CHS, "
    mov eax, [disk_spt]
    call line_dec
    SAY " sectors x "
    mov eax, [disk_heads]
    call line_dec
    SAY " heads"
.done:
    call unreal_enter
    call line_end
    call ata_init
    STEP "disk"
    ret
.no_params:
    SAY ": error, no extensions and no CHS geometry"
    jmp die
section .data
.cx: dw 0
.dh: db 0
section .text

; disk_read: read sectors into a 64 KiB aligned low buffer; a small read
; made before comes from diskcache.asm instead, and a small read made now is
; kept there.
;   in:  EAX = LBA, CX = sectors (1..128), BX = buffer segment (offset 0)
;   out: returns only on success (a failure prints and halts)
;   clobbers: nothing
disk_read:
    pushad
    movzx ecx, cx
    call dcache_find
    jnc .out
    mov [.left], ecx
    mov [.lba], eax
    mov [.seg], bx
.chunk:
    mov ecx, [.left]
    cmp byte [ata_on], 0
    je .bios
    mov eax, [.lba]
    movzx edi, word [.seg]
    shl edi, 4
    call ata_dma_read
    jnc .count
    call ata_give_up
.bios:
    cmp byte [disk_edd], 0
    jne .edd
    call disk_chs_read              ; ECX = sectors read by this call
    jmp .count
.edd:
    mov byte [DAP_ADDR], DAP_SIZE
    mov byte [DAP_ADDR + 1], 0
    mov [DAP_ADDR + 2], cx
    mov word [DAP_ADDR + 4], 0
    mov ax, [.seg]
    mov [DAP_ADDR + 6], ax
    mov eax, [.lba]
    mov [DAP_ADDR + 8], eax
    mov dword [DAP_ADDR + 12], 0
    mov byte [.op], EDD_READ
    call disk_call
.count:
    call disk_count
    add [.lba], ecx
    shl cx, 5                       ; sectors to paragraphs
    add [.seg], cx
    shr cx, 5
    sub [.left], ecx
    jnz .chunk
    call unreal_enter
    popad                           ; the caller's LBA, count and segment again
    pushad
    movzx ecx, cx
    call dcache_keep
.out:
    popad
    ret
section .data
.left:  dd 0
.lba:   dd 0
.seg:   dw 0
.op:    db 0
.chs:   dw 0, 0                     ; CX, DX for AH=02h
section .text

; disk_count: one read call of ECX sectors, in bootinfo.disk_reads and
; disk_bytes. clobbers: EAX
disk_count:
    inc dword [BI(BI_DISK_READS)]
    mov eax, ecx
    shl eax, 9
    add [BI(BI_DISK_BYTES)], eax
    adc dword [BI(BI_DISK_BYTES + 4)], 0
    ret

; disk_read_direct: read sectors straight to memory anywhere below 4 GiB,
; with no bounce buffer and up to 1 MiB at once: only by ATA DMA (INT 13h
; reaches the first MiB only, 64 KiB a call: its caller uses disk_read).
;   in:  EAX = LBA, ECX = sectors (1..ATA_MAX_SECTORS), EDI = destination (even)
;   out: CF = 1 when nothing was read (no DMA path, or the command failed:
;        then DMA is off for good, ata_give_up); clobbers: nothing
disk_read_direct:
    cmp byte [ata_on], 0
    je .no
    pushad
    mov [disk_read.lba], eax        ; for ata_give_up's message
    call ata_dma_read
    jc .failed
    call disk_count
    popad
    clc
    ret
.failed:
    call ata_give_up
    popad
.no:
    stc
    ret

; disk_chs_read: one CHS read for disk_read, cut at the end of the track.
;   in:  ECX = sectors wanted, disk_read.lba/.seg; out: ECX = sectors read
;   clobbers: EAX, EDX
disk_chs_read:
    push ebx
    mov eax, [disk_read.lba]
    xor edx, edx
    div dword [disk_spt]            ; EAX = track, EDX = sector - 1
    mov ebx, [disk_spt]
    sub ebx, edx                    ; sectors left on this track
    cmp ecx, ebx
    jbe .fits
    mov ecx, ebx
.fits:
    inc dl
    mov bl, dl                      ; sector (1-based)
    xor edx, edx
    div dword [disk_heads]          ; EAX = cylinder, EDX = head
    cmp eax, CHS_MAX_CYL
    ja .far
    mov bh, al                      ; CH = cylinder bits 0..7
    shl ah, 6
    or bl, ah                       ; CL bits 6..7 = cylinder bits 8..9
    mov [disk_read.chs], bx         ; as CX: CL = sector | cyl 8..9, CH = cyl 0..7
    mov dh, dl
    mov [disk_read.chs + 2], dx     ; DH = head
    mov byte [disk_read.op], DISK_READ_CHS
    call disk_call
    pop ebx
    ret
.far:
    call line_start
    SAY "disk: read error, LBA "
    mov eax, [disk_read.lba]
    call line_dec
    SAY " is beyond CHS reach"
    jmp die

; disk_call: one INT 13h read with retries (disk_read.op = AH).
;   in:  ECX = sectors, disk_read's variables; clobbers: EAX
disk_call:
    mov byte [.tries], DISK_TRIES
.try:
    pushad
    push es
    mov ah, [disk_read.op]
    mov al, cl
    mov dl, [boot_drive]
    cmp ah, EDD_READ
    jne .chs
    mov si, DAP_ADDR
    jmp .int
.chs:
    mov cx, [disk_read.chs]
    mov dh, [disk_read.chs + 3]
    mov es, [disk_read.seg]
    xor bx, bx
.int:
    int BIOS_DISK
    mov [.status], ah
    pop es
    popad
    jnc .ok
    pushad
    mov ah, DISK_RESET
    mov dl, [boot_drive]
    int BIOS_DISK
    popad
    dec byte [.tries]
    jnz .try
    call line_start
    SAY "disk: read error at LBA "
    mov eax, [disk_read.lba]
    call line_dec
    SAY ", INT 13h status "
    movzx eax, byte [.status]
    mov cl, 2
    call line_hex
    jmp die
.ok:
    ret
section .data
.tries:  db 0
.status: db 0
section .text
