; ata.asm - reading the boot disk by ATA bus-master DMA when it is an IDE
; disk on a PCI IDE controller in compatibility mode (QEMU's pc machine,
; older PCs). Why: the BIOS reads IDE disks by PIO, one port read per
; 16-bit word, and under emulation each costs an exit; one DMA command
; moves 64 KiB at once. Everything else (AHCI, USB, NVMe, CD) keeps INT 13h.
;
; ata_init takes the boot disk's place from the BIOS: the EDD 3.0 device
; path (edd.asm: PCI bus/device/function, channel, master or slave). That
; function must be a bus-master IDE controller with the channel in
; compatibility mode (ata_check_controller); then one DMA read of LBA 0 must
; give the bytes INT 13h gives (a check of the DMA path, not the way the
; disk is found: two disks with the same image have the same LBA 0). No
; device path, or any doubt, and the loader stays on INT 13h; the disk line
; says which and why.
;
; One command (ata_dma_read, READ DMA EXT, ATA8-ACS 7.23), up to 1 MiB:
;   a PRD table (physical address, byte count, end bit; one entry per piece
;   of 64 KiB or less that crosses no 64 KiB boundary) at ata_prd, so the
;   drive writes straight to the destination, above 1 MiB too (disk.asm's
;   disk_read_direct); the bus master stopped, pointed at the table, its status
;   cleared, direction "write to memory";
;   the drive selected, sector count and 48-bit LBA written high bytes
;   first, command 25h, with nIEN set (no IRQ 14: we poll);
;   the bus master started; polled until it stops being active (or sets
;   its interrupt bit: with nIEN the drive raises no interrupt, so that bit
;   may stay clear); stopped; the drive's status read (which also ends the
;   command), ERR/DF/DRQ and the bus master's error bit checked.
; (Programming interface: SFF-8038i "Bus Master Programming Interface for
; IDE ATA Controllers"; the PCI IDE controller specification.)

PCI_ADDR_PORT   equ 0xCF8
PCI_DATA_PORT   equ 0xCFC
PCI_ENABLE      equ 0x80000000      ; configuration address: enable bit
PCI_REG_ID      equ 0x00
PCI_REG_COMMAND equ 0x04
PCI_REG_CLASS   equ 0x08            ; class, subclass, prog-if, revision
PCI_REG_BAR4    equ 0x20
PCI_CMD_IO      equ 0x0001
PCI_CMD_MASTER  equ 0x0004
PCI_CLASS_IDE   equ 0x0101          ; mass storage, IDE
IDE_PI_NATIVE   equ 0x01            ; prog-if bit 0 (primary), bit 2 (secondary): native mode
IDE_PI_MASTER   equ 0x80            ; prog-if bit 7: bus master capable

ATA_REG_COUNT   equ 2               ; command block registers, from ata_io
ATA_REG_LBA0    equ 3
ATA_REG_LBA1    equ 4
ATA_REG_LBA2    equ 5
ATA_REG_DEVICE  equ 6
ATA_REG_STATUS  equ 7               ; read: status; write: command
ATA_DEV_LBA     equ 0x40
ATA_CTL_NIEN    equ 0x02            ; device control: no interrupts
ATA_ST_ERR      equ 0x01
ATA_ST_DRQ      equ 0x08
ATA_ST_DF       equ 0x20
ATA_ST_DRDY     equ 0x40
ATA_ST_BSY      equ 0x80
ATA_READ_DMA_EXT equ 0x25

BM_COMMAND      equ 0               ; bus master registers, from ata_bm
BM_STATUS       equ 2
BM_PRDT         equ 4
BM_CMD_START    equ 0x01
BM_CMD_READ     equ 0x08            ; the controller writes to memory
BM_ST_ACTIVE    equ 0x01
BM_ST_ERROR     equ 0x02
BM_ST_IRQ       equ 0x04
PRD_EOT         equ 0x8000          ; SFF-8038i: the PRD table's last entry
PRD_SIZE        equ 8               ; SFF-8038i: address (u32), byte count (u16), flags (u16)
PRD_BOUNDARY    equ 0x10000         ; SFF-8038i: no entry may cross a 64 KiB boundary
ATA_MAX_SECTORS equ 2048            ; one command: 1 MiB (READ DMA EXT allows 65536)
ATA_PRD_ENTRIES equ ATA_MAX_SECTORS * SECTOR_SIZE / PRD_BOUNDARY + 1   ; +1: a start off a boundary
ATA_SPINS       equ 0x400000        ; polls before a drive or a transfer counts as dead

section .data
align 8, db 0
ata_prd:    times ATA_PRD_ENTRIES * PRD_SIZE db 0   ; below 64 KiB, aligned: the bus master reads it
ata_on:     db 0                    ; 1: disk_read goes through ata_dma_read
ata_pci:    dd 0                    ; the controller's configuration address
ata_bm0:    dw 0                    ; bus master base (BAR4); secondary at +8
ata_io:     dw 0                    ; chosen drive: command block (1F0h or 170h)
ata_ctl:    dw 0                    ;   device control (3F6h or 376h)
ata_bm:     dw 0                    ;   its channel's bus master registers
ata_dev:    db 0                    ;   device register: LBA | slave << 4
; the four places a drive can be, by channel * 2 + device (the EDD path's
; numbers): command block, control, bus master offset, device register
ata_slots:
    dw 0x1F0, 0x3F6, 0
    db ATA_DEV_LBA, 0
    dw 0x1F0, 0x3F6, 0
    db ATA_DEV_LBA | 0x10, 0
    dw 0x170, 0x376, 8
    db ATA_DEV_LBA, 0
    dw 0x170, 0x376, 8
    db ATA_DEV_LBA | 0x10, 0
ATA_SLOT_SIZE   equ 8               ; (ata_choose shifts by 3)
section .text

; pci_read: EAX = configuration address (with the register) -> EAX = dword.
pci_read:
    push dx
    mov dx, PCI_ADDR_PORT
    out dx, eax
    mov dx, PCI_DATA_PORT
    in eax, dx
    pop dx
    ret

; ata_check_controller: is the PCI function at EBX a bus-master IDE
; controller with channel CL in compatibility mode (PCI IDE Controller
; Specification 1.0, programming interface byte)? If so, switch its I/O
; decoding and bus mastering on and keep it in ata_pci and ata_bm0.
;   in:  EBX = configuration address (register 0), CL = channel (0 or 1)
;   out: CF = 1 when it is not; clobbers: EAX, EDX
ata_check_controller:
    mov eax, ebx
    call pci_read                   ; PCI_REG_ID
    cmp ax, 0xFFFF
    je .not                         ; no function here
    lea eax, [ebx + PCI_REG_CLASS]
    call pci_read
    shr eax, 8                      ; AL = prog-if, upper word = class
    mov edx, eax
    shr edx, 8
    cmp dx, PCI_CLASS_IDE
    jne .not
    test al, IDE_PI_MASTER
    jz .not
    shl cl, 1                       ; the channel's native-mode bit: 0 or 2
    shr al, cl
    shr cl, 1
    test al, IDE_PI_NATIVE
    jnz .not
    lea eax, [ebx + PCI_REG_BAR4]
    call pci_read
    test al, 1                      ; an I/O BAR
    jz .not
    and eax, 0xFFFC
    jz .not
    mov [ata_bm0], ax
    mov [ata_pci], ebx
    lea eax, [ebx + PCI_REG_COMMAND]
    call pci_read
    or ax, PCI_CMD_IO | PCI_CMD_MASTER
    push eax
    lea eax, [ebx + PCI_REG_COMMAND]
    mov dx, PCI_ADDR_PORT
    out dx, eax
    pop eax
    mov dx, PCI_DATA_PORT
    out dx, ax                      ; the command word only (status bits stay)
    clc
    ret
.not:
    stc
    ret

; ata_wait_idle: until BSY clears. out: AL = status, CF = 1 on timeout; clobbers ECX, DX
ata_wait_idle:
    mov ecx, ATA_SPINS
    mov dx, [ata_io]
    add dx, ATA_REG_STATUS
.poll:
    in al, dx
    test al, ATA_ST_BSY
    jz .done
    dec ecx
    jnz .poll
    stc
    ret
.done:
    clc
    ret

; ata_select: the chosen drive, interrupts off; out: CF = 1 when no ready
; drive answers there; clobbers EAX, ECX, EDX
ata_select:
    mov dx, [ata_ctl]
    mov al, ATA_CTL_NIEN
    out dx, al
    mov dx, [ata_io]
    add dx, ATA_REG_DEVICE
    mov al, [ata_dev]
    out dx, al
    mov dx, [ata_ctl]               ; 400 ns: four reads of the alternate status
    in al, dx
    in al, dx
    in al, dx
    in al, dx
    cmp al, 0xFF                    ; floating bus: nothing on this channel
    je .none
    call ata_wait_idle
    jc .none
    test al, ATA_ST_DRDY
    jz .none
    clc
    ret
.none:
    stc
    ret

; ata_prd_build: the PRD table for ECX sectors at physical address EDI:
; entries of at most 64 KiB that never cross a 64 KiB boundary (SFF-8038i:
; a byte count of 0 means 64 KiB), the last one marked.
;   in:  ECX = sectors (1..ATA_MAX_SECTORS), EDI = destination (even)
;   clobbers: EAX, EBX, EDX, ESI
ata_prd_build:
    mov esi, ata_prd
    mov edx, ecx
    shl edx, 9                      ; bytes still to describe
    mov ebx, edi
.entry:
    mov eax, ebx                    ; room up to the next 64 KiB boundary
    and eax, PRD_BOUNDARY - 1
    neg eax
    add eax, PRD_BOUNDARY
    cmp eax, edx
    jbe .fits
    mov eax, edx
.fits:
    mov [esi], ebx                  ; physical address,
    mov [esi + 4], ax               ; byte count (65536 is written as 0),
    mov word [esi + 6], 0
    add ebx, eax
    add esi, PRD_SIZE
    sub edx, eax
    jnz .entry
    mov word [esi - PRD_SIZE + 6], PRD_EOT  ; the last entry
    ret

; ata_dma_read: one READ DMA EXT straight to memory anywhere below 4 GiB.
;   in:  EAX = LBA, ECX = sectors (1..ATA_MAX_SECTORS), EDI = physical
;        destination (even: SFF-8038i wants word-aligned PRD addresses)
;   out: CF = 1 on any error (AL = the drive's status); clobbers: nothing else
ata_dma_read:
    pushad
    mov [.lba], eax
    mov [.count], cx
    call ata_prd_build
    call ata_select
    jc .fail
    mov dx, [ata_bm]
    mov al, 0
    out dx, al                      ; BM_COMMAND: stopped
    add dx, BM_PRDT
    mov eax, ata_prd
    out dx, eax
    mov dx, [ata_bm]
    add dx, BM_STATUS
    mov al, BM_ST_ERROR | BM_ST_IRQ ; write 1 to clear
    out dx, al
    mov dx, [ata_bm]
    mov al, BM_CMD_READ
    out dx, al
    mov dx, [ata_io]                ; count and LBA: high bytes, then low bytes
    add dx, ATA_REG_COUNT
    mov al, [.count + 1]
    out dx, al
    inc dx
    mov al, [.lba + 3]
    out dx, al                      ; LBA 31..24
    inc dx
    xor al, al
    out dx, al                      ; LBA 39..32
    inc dx
    out dx, al                      ; LBA 47..40
    mov dx, [ata_io]
    add dx, ATA_REG_COUNT
    mov al, [.count]
    out dx, al
    inc dx
    mov al, [.lba]
    out dx, al                      ; LBA 7..0
    inc dx
    mov al, [.lba + 1]
    out dx, al                      ; LBA 15..8
    inc dx
    mov al, [.lba + 2]
    out dx, al                      ; LBA 23..16
    mov dx, [ata_io]
    add dx, ATA_REG_STATUS
    mov al, ATA_READ_DMA_EXT
    out dx, al
    mov dx, [ata_bm]
    mov al, BM_CMD_READ | BM_CMD_START
    out dx, al
    add dx, BM_STATUS
    mov ecx, ATA_SPINS
.poll:
    in al, dx
    test al, BM_ST_IRQ
    jnz .ended
    test al, BM_ST_ACTIVE
    jz .ended
    dec ecx
    jnz .poll
.ended:
    mov [.bm_status], al
    mov dx, [ata_bm]
    mov al, BM_CMD_READ
    out dx, al                      ; stop the bus master
    call ata_wait_idle              ; AL = status; reading it ends the command
    jc .fail
    test byte [.bm_status], BM_ST_ERROR | BM_ST_ACTIVE
    jnz .fail                       ; an error, or never finished
    test al, ATA_ST_ERR | ATA_ST_DF | ATA_ST_DRQ
    jnz .fail
    mov dx, [ata_bm]
    add dx, BM_STATUS
    mov al, BM_ST_ERROR | BM_ST_IRQ
    out dx, al
    popad
    clc
    ret
.fail:
    mov [.status], al
    popad
    mov al, [.status]
    stc
    ret
section .data
.lba:       dd 0
.count:     dw 0
.bm_status: db 0
.status:    db 0
section .text

; ata_give_up: a DMA read failed (AL = the drive's status): say so, use INT 13h from now on.
;   clobbers: nothing
ata_give_up:
    pushad
    mov byte [ata_on], 0
    movzx eax, al
    push eax
    call line_start
    SAY "disk: ATA DMA read failed at LBA "
    mov eax, [disk_read.lba]
    call line_dec
    SAY ", drive status "
    pop eax
    mov cl, 2
    call line_hex
    SAY ": INT 13h from here on"
    call line_end
    popad
    ret

; ata_init: switch disk_read to DMA when the EDD device path places the
; boot drive on an IDE controller we can drive; print the disk line saying
; how the drive was identified. Called by disk_init once INT 13h works.
;   clobbers: nothing
ata_init:
    pushad
    call edd_ata_path               ; EBX = PCI function, CL = channel, CH = device
    jc .int13                       ; ESI = why not
    push cx
    call ata_check_controller
    pop cx
    STR "EDD: the PCI function is no bus-master IDE controller in compatibility mode"
    jc .int13
    call ata_choose
    call ata_same_lba0
    STR "EDD: the drive's LBA 0 by DMA differs from INT 13h's"
    jc .int13
    mov byte [ata_on], 1
    call line_start
    call ata_say_drive
    SAY ": ATA DMA reads, bus master at port "
    movzx eax, word [ata_bm]
    mov cl, 4
    call line_hex
    SAY ", found by its EDD 3.0 device path"
    call line_end
    popad
    ret
.int13:
    call line_start
    SAY "disk: INT 13h reads ("
    call line_str
    SAY ")"
    call line_end
    popad
    ret

; ata_choose: make channel CL (0 or 1), device CH (0 or 1) the chosen drive:
; ata_io, ata_ctl, ata_bm and ata_dev from ata_slots.
;   clobbers: EAX, ESI
ata_choose:
    movzx esi, cl
    shl esi, 1
    movzx eax, ch
    add esi, eax                    ; slot channel * 2 + device,
    shl esi, 3                      ; ATA_SLOT_SIZE bytes each
    add esi, ata_slots
    mov ax, [si]
    mov [ata_io], ax
    mov ax, [si + 2]
    mov [ata_ctl], ax
    mov ax, [ata_bm0]
    add ax, [si + 4]
    mov [ata_bm], ax
    mov al, [si + 6]
    mov [ata_dev], al
    ret

; ata_same_lba0: read LBA 0 of the chosen drive by DMA and through the BIOS;
; out: CF = 1 unless the DMA read worked and the two sectors are equal.
;   clobbers: EAX, ECX, ESI, EDI
ata_same_lba0:
    push bx
    xor eax, eax                    ; LBA 0 through the BIOS: the reference
    mov cx, 1
    mov bx, BOUNCE_SEG
    call disk_read
    mov edi, FAT_CACHE
    mov dword [edi + MBR_BOOT_SIG], 0   ; a read that moved nothing cannot match
    xor eax, eax
    mov ecx, 1
    call ata_dma_read
    pop bx
    jc .differ
    call disk_count                 ; a read command like any other (ECX = 1)
    mov esi, BOUNCE_BUF
    mov edi, FAT_CACHE
    mov ecx, SECTOR_SIZE / 4
    a32 repe cmpsd
    je .same
.differ:
    stc
    ret
.same:
    clc
    ret

; ata_say_drive: append "disk: IDE disk (PCI b:d.f), primary master" (or
; secondary, slave) for the chosen drive to the line.
;   clobbers: nothing
ata_say_drive:
    pushad
    SAY "disk: IDE disk (PCI "
    mov eax, [ata_pci]
    shr eax, 16
    movzx eax, al
    call line_dec
    SAY ":"
    mov eax, [ata_pci]
    shr eax, 11
    and eax, 0x1F
    call line_dec
    SAY "."
    mov eax, [ata_pci]
    shr eax, 8
    and eax, 7
    call line_dec
    SAY "), "
    cmp word [ata_io], 0x1F0
    je .primary
    SAY "secondary "
    jmp .which
.primary:
    SAY "primary "
.which:
    test byte [ata_dev], 0x10
    jnz .slave
    SAY "master"
    popad
    ret
.slave:
    SAY "slave"
    popad
    ret
