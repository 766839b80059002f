; ata.asm - reading the boot disk by ATA bus-master DMA when it is an IDE
; disk on a PCI IDE controller in compatibility mode (QEMU's pc machine,
; older PCs). Why: the BIOS reads IDE disks by PIO, one port read per
; 16-bit word, and under emulation each costs an exit; one DMA command
; moves 64 KiB at once. Everything else (AHCI, USB, NVMe, CD) keeps INT 13h.
;
; ata_init finds the controller (PCI class 01h, subclass 01h, bus master
; capable, legacy ports) on bus 0, then looks for the boot disk on it: each
; of the four drives that answers reads LBA 0 by DMA, and the one whose
; sector equals what INT 13h returned for the boot drive is it (its MBR
; carries the disk signature). Any doubt, and the loader stays on INT 13h.
;
; One command (ata_dma_read, READ DMA EXT, ATA8-ACS 7.23):
;   a one-entry PRD table (physical address, byte count, end bit) at
;   PRD_ADDR; the bus master stopped, pointed at the table, its status
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
PCI_BUS0_END    equ 0x80010000      ; bus 0: devices 0..31, functions 0..7
PCI_REG_ID      equ 0x00
PCI_REG_COMMAND equ 0x04
PCI_REG_CLASS   equ 0x08            ; class, subclass, prog-if, revision
PCI_REG_BAR4    equ 0x20
PCI_CMD_IO      equ 0x0001
PCI_CMD_MASTER  equ 0x0004
PCI_CLASS_IDE   equ 0x0101          ; mass storage, IDE
IDE_PI_NATIVE   equ 0x05            ; prog-if bits 0, 2: a channel in native mode
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
PRD_EOT         equ 0x8000
ATA_SPINS       equ 0x400000        ; polls before a drive or a transfer counts as dead

section .data
ata_on:     db 0                    ; 1: disk_read goes through ata_dma_read
ata_pci:    dd 0                    ; the controller's configuration address
ata_bm0:    dw 0                    ; bus master base (BAR4); secondary at +8
ata_io:     dw 0                    ; chosen drive: command block (1F0h or 170h)
ata_ctl:    dw 0                    ;   device control (3F6h or 376h)
ata_bm:     dw 0                    ;   its channel's bus master registers
ata_dev:    db 0                    ;   device register: LBA | slave << 4
; the four places a drive can be: command block, control, bus master offset, device
ata_slots:
    dw 0x1F0, 0x3F6, 0
    db ATA_DEV_LBA, 0
    dw 0x1F0, 0x3F6, 0
    db ATA_DEV_LBA | 0x10, 0
    dw 0x170, 0x376, 8
    db ATA_DEV_LBA, 0
    dw 0x170, 0x376, 8
    db ATA_DEV_LBA | 0x10, 0
ATA_SLOT_SIZE   equ 8
ATA_SLOTS       equ 4
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

; ata_find_controller: the first bus-master IDE controller in legacy mode on
; bus 0, bus mastering switched on. out: CF = 1 when there is none; clobbers EAX, EBX, EDX
ata_find_controller:
    mov ebx, PCI_ENABLE
.next:
    mov eax, ebx
    call pci_read                   ; PCI_REG_ID
    cmp ax, 0xFFFF
    je .skip                        ; no function here
    lea eax, [ebx + PCI_REG_CLASS]
    call pci_read
    shr eax, 8                      ; AL = prog-if, upper word = class
    mov edx, eax
    shr edx, 8
    cmp dx, PCI_CLASS_IDE
    jne .skip
    test al, IDE_PI_NATIVE
    jnz .skip
    test al, IDE_PI_MASTER
    jz .skip
    lea eax, [ebx + PCI_REG_BAR4]
    call pci_read
    test al, 1                      ; an I/O BAR
    jz .skip
    and eax, 0xFFFC
    jz .skip
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
.skip:
    add ebx, 0x100                  ; next function
    cmp ebx, PCI_BUS0_END
    jb .next
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

; ata_dma_read: one READ DMA EXT into a low buffer.
;   in:  EAX = LBA, CX = sectors (1..128), BX = buffer segment (offset 0,
;        the buffer inside one 64 KiB block, as disk_read's are)
;   out: CF = 1 on any error (AL = the drive's status); clobbers: nothing else
ata_dma_read:
    pushad
    mov [.lba], eax
    mov [.count], cx
    movzx eax, bx
    shl eax, 4
    mov [PRD_ADDR], eax             ; PRD: physical address,
    movzx eax, cx
    shl eax, 9
    mov [PRD_ADDR + 4], ax          ; byte count (65536 is written as 0),
    mov word [PRD_ADDR + 6], PRD_EOT ; the last entry
    call ata_select
    jc .fail
    mov dx, [ata_bm]
    mov al, 0
    out dx, al                      ; BM_COMMAND: stopped
    add dx, BM_PRDT
    mov eax, PRD_ADDR
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

; ata_init: switch disk_read to DMA when the boot drive is an IDE disk we
; can reach; print which. Called by disk_init once INT 13h works.
;   clobbers: nothing
ata_init:
    pushad
    call ata_find_controller
    jc .done
    xor eax, eax                    ; LBA 0 through the BIOS: the reference
    mov cx, 1
    mov bx, BOUNCE_SEG
    call disk_read
    mov si, ata_slots
    mov di, ATA_SLOTS
.slot:
    mov ax, [si]
    mov [ata_io], ax
    mov ax, [si + 2]
    mov [ata_ctl], ax
    mov ax, [ata_bm0]
    add ax, [si + 4]
    mov [ata_bm], ax
    mov al, [si + 6]
    mov [ata_dev], al
    push si
    push di
    xor eax, eax
    mov cx, 1
    mov bx, FAT_CACHE_SEG
    mov edi, FAT_CACHE
    mov dword [edi + MBR_BOOT_SIG], 0   ; a read that moved nothing cannot match
    call ata_dma_read
    jc .other
    mov esi, BOUNCE_BUF
    mov edi, FAT_CACHE
    mov ecx, SECTOR_SIZE / 4
    a32 repe cmpsd
    je .found
.other:
    pop di
    pop si
    add si, ATA_SLOT_SIZE
    dec di
    jnz .slot
    jmp .done
.found:
    pop di
    pop si
    mov byte [ata_on], 1
    call line_start
    SAY "disk: IDE disk (PCI 0:"
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
    jmp .said
.slave:
    SAY "slave"
.said:
    SAY ": ATA DMA reads, bus master at port "
    movzx eax, word [ata_bm]
    mov cl, 4
    call line_hex
    call line_end
.done:
    popad
    ret
