; stage1.asm - the MBR: load stage2 from LBA 1 and jump to it.
;
; The BIOS loads this sector to 0x7C00 and jumps to it in real mode with the
; boot drive in DL. Stage1:
;   1. keeps a BPB-sized hole after its first jump (some BIOSes write a BPB
;      there) and moves itself to STAGE1_RELOC (0x0600), out of the way;
;   2. validates DL: a hard disk is 0x80..0x8F; anything else (some BIOSes
;      pass 0) is reported and 0x80 is used instead;
;   3. uses INT 13h extended reads (EDD) when AH=41h says they exist, else
;      CHS reads with the geometry from AH=08h;
;   4. reads stage2's first sector to STAGE2_BASE, checks the header's magic
;      and sector count, reads the rest one sector at a time. Where stage2
;      starts is the dword at S1_STAGE2_LBA (byte 436): 1 on an MBR disk
;      (disk/mkimage-bios.sh), 34 on the hybrid GPT disk, where LBA 1 is the
;      GPT header (disk/mkimage-gpt.sh writes the field);
;   5. jumps to the stage2 entry named in the header with DL = boot drive and
;      SI = the partition table (0x7BE).
; Any failure prints "stage1: <what>" on screen and COM1 and halts.
; Only bytes 0..439 reach the disk: 440..511 (disk signature, partition
; table, 0xAA55) belong to the partitioning tool.

%include "layout.inc"

BIOS_VIDEO          equ 0x10        ; INT 10h: video services
VIDEO_TELETYPE      equ 0x0E        ; INT 10h AH=0Eh: teletype output
BIOS_DISK           equ 0x13        ; INT 13h: disk services
DISK_READ_CHS       equ 0x02        ; INT 13h AH=02h: read sectors (CHS)
DISK_GET_PARAMS     equ 0x08        ; INT 13h AH=08h: drive parameters
EDD_CHECK           equ 0x41        ; INT 13h AH=41h: extensions present? (EDD 3.0)
EDD_READ            equ 0x42        ; INT 13h AH=42h: extended read (EDD 3.0)
EDD_MAGIC_IN        equ 0x55AA      ; AH=41h: BX in
EDD_MAGIC_OUT       equ 0xAA55      ; AH=41h: BX out when present
EDD_API_PACKET      equ 1           ; AH=41h: CX bit 0, "fixed disk access" (42h..44h)
DAP_SIZE            equ 16          ; EDD: size of the disk address packet
DL_HARD_DISK        equ 0x80
; stage1's variables live past its own sector (they need not be on disk)
boot_drive          equ STAGE1_RELOC + SECTOR_SIZE      ; byte
use_chs             equ boot_drive + 1                  ; byte: 1 = CHS reads
spt                 equ boot_drive + 2                  ; word: sectors per track
heads               equ boot_drive + 4                  ; word: heads
saved_sp            equ boot_drive + 6                  ; word        ; first hard disk; 0x80..0x8F accepted
COM1                equ 0x3F8       ; 16550 UART, COM1
UART_LSR            equ 5           ; line status: bit 5 = THR empty
UART_LSR_THRE       equ 0x20

bits 16
section .text
global stage1_start
stage1_start:
    jmp short stage1_main
    nop
    times BPB_END - ($ - $$) db 0   ; the BPB hole

stage1_main:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STACK_TOP
    cld
    mov si, MBR_LOAD_ADDR           ; position independent until the far jump
    mov di, STAGE1_RELOC
    mov cx, SECTOR_SIZE / 2
    rep movsw
    jmp 0:relocated
relocated:
    sti
    mov al, dl
    and al, 0xF0
    cmp al, DL_HARD_DISK
    je .dl_ok
    mov si, msg_bad_dl
    call say
    mov dl, DL_HARD_DISK
.dl_ok:
    mov [boot_drive], dl
    mov ah, EDD_CHECK
    mov bx, EDD_MAGIC_IN
    int BIOS_DISK
    jc .chs
    cmp bx, EDD_MAGIC_OUT
    jne .chs
    test cl, EDD_API_PACKET
%ifndef FORCE_CHS                   ; nasm -DFORCE_CHS: test the CHS path
    jnz .load
%endif
.chs:
    inc byte [use_chs]
    mov ah, DISK_GET_PARAMS
    mov dl, [boot_drive]
    xor di, di                      ; ES:DI = 0:0 (floppy table quirk)
    int BIOS_DISK
    push 0
    pop es
    jc read_error
    and cx, 0x3F                    ; CL bits 0..5: sectors per track
    jz read_error
    mov [spt], cx
    movzx dx, dh                    ; DH: last head number
    inc dx
    mov [heads], dx
.load:
    mov eax, [stage2_lba]           ; stage2's header sector
    mov bx, STAGE2_BASE >> 4
    call read_sector
    cmp dword [STAGE2_BASE + S2H_MAGIC], STAGE2_MAGIC
    jne bad_stage2
    mov cx, [STAGE2_BASE + S2H_SECTORS]
    jcxz bad_stage2
    cmp cx, STAGE2_MAX_SECTORS
    ja bad_stage2
.next:
    dec cx
    jz .done
    inc eax
    add bx, SECTOR_SIZE >> 4
    call read_sector
    jmp .next
.done:
    mov dl, [boot_drive]
    mov si, STAGE1_RELOC + MBR_PART_TABLE
    jmp word [STAGE2_BASE + S2H_ENTRY]

read_error:
    mov si, msg_read
    jmp die
bad_stage2:
    mov si, msg_bad
die:
    call say
.halt:
    cli
    hlt
    jmp .halt

; say: print "stage1: " and the message at SI on screen and COM1. COM1 runs
; at whatever rate the BIOS left it (stage1 has no room to program it;
; stage2 sets 115200 8N1).
;   in: SI = NUL-terminated message; clobbers AX, BX, CX, DX, SI
say:
    push si
    mov si, msg_prefix
    call puts
    pop si
puts:
    lodsb
    test al, al
    jz .ret
    push ax
    mov ah, VIDEO_TELETYPE
    mov bx, 0x0007                  ; page 0, grey
    int BIOS_VIDEO
    mov dx, COM1 + UART_LSR
    xor cx, cx                      ; bounded wait: no UART, no hang
.wait:
    in al, dx
    test al, UART_LSR_THRE
    loopz .wait
    pop ax
    mov dl, COM1 & 0xFF
    out dx, al
    jmp puts
.ret:
    ret

; read_sector: read one sector.
;   in:  EAX = LBA (below 65536), BX = segment of the 512-byte buffer (offset 0)
;   out: returns only on success (else read_error)
;   clobbers: nothing (INT 13h clobbers more than documented, so it runs
;   inside pushad/popad and a save of ES). No retries: a hard disk or USB
;   stick that fails once will fail again; stage2 retries.
read_sector:
    push dword 0                    ; DAP: LBA bits 32..63
    push eax                        ; DAP: LBA bits 0..31
    push bx                         ; DAP: buffer segment
    push word 0                     ; DAP: buffer offset
    push word 1                     ; DAP: sector count
    push word DAP_SIZE              ; DAP: size, reserved byte 0
    mov si, sp
    pushad
    push es
    cmp byte [use_chs], 0
    jne .chs
    mov ah, EDD_READ                ; DS:SI = the DAP
    jmp short .int
.chs:
    xor dx, dx
    div word [spt]                  ; AX = LBA / spt, DX = LBA % spt
    inc dx
    mov cl, dl                      ; CL bits 0..5: sector (1-based)
    xor dx, dx
    div word [heads]                ; AX = cylinder, DX = head
    mov dh, dl
    mov ch, al                      ; CH: cylinder bits 0..7
    shl ah, 6
    or cl, ah                       ; CL bits 6..7: cylinder bits 8..9
    mov es, bx
    xor bx, bx
    mov ax, (DISK_READ_CHS << 8) | 1
.int:
    mov dl, [boot_drive]
    int BIOS_DISK
    pop es                          ; pop, popad and lea keep CF
    popad
    lea sp, [si + DAP_SIZE]
    jc read_error
    ret

msg_prefix: db "stage1: ", 0
msg_bad_dl: db "bad DL, using 0x80", 13, 10, 0
msg_read:   db "read error", 13, 10, 0
msg_bad:    db "bad stage2", 13, 10, 0

%if ($ - $$) > S1_STAGE2_LBA
%error "stage1 code runs into its stage2_lba field (436 bytes of code at most)"
%endif
    times S1_STAGE2_LBA - ($ - $$) db 0
stage2_lba: dd 1                    ; patched by the image tool; below 65536 (CHS)
    times MBR_BOOT_SIG - ($ - $$) db 0
    dw BOOT_SIGNATURE
