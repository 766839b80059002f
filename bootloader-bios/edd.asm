; edd.asm - where the boot drive is: its EDD device path (INT 13h AH=48h).
;
; The BIOS numbers drives (80h, 81h, ...) but never says which controller a
; number stands for, and two disks can hold the same bytes (two copies of
; one image), so no sector's content can tell them apart. What is unique is
; the place: EDD 3.0 (T13 1484D, "BIOS Enhanced Disk Drive Services - 3")
; extends the AH=48h result with a device path: the host bus ("PCI " with
; bus, device, function and channel), the interface ("ATA     ", "SCSI    ",
; "USB     ", ...) and the device on it (ATA: 0 master, 1 slave).
;
; edd_ata_path asks for it and accepts only a complete one: the key BEDDh,
; the T13 length (44 bytes: the layout with the channel byte), a checksum
; of 0, host bus PCI, interface ATA, channel 0 or 1, device 0 or 1. Anything
; else (no path at all, as SeaBIOS gives for AHCI, USB and NVMe drives; an
; older Phoenix-layout path without the channel; ISA; SCSI) answers "none",
; and the caller keeps INT 13h: the loader never guesses a drive.

EDD_PARAMS          equ 0x48        ; AH=48h: get drive parameters (EDD 3.0)
EDD3_RESULT_SIZE    equ 0x4A        ; T13 1484D: the 74-byte result buffer
EDD3_KEY            equ 0x1E        ; u16 BEDDh: a device path follows
EDD3_KEY_VALUE      equ 0xBEDD
EDD3_PATH_LEN       equ 0x20        ; u8: bytes 1Eh..49h, 44 in T13 1484D
EDD3_PATH_LEN_T13   equ 44          ; (the Phoenix layout has 36, no channel)
EDD3_HOST_BUS       equ 0x24        ; 4 ASCII bytes: "PCI " or "ISA "
EDD3_INTERFACE      equ 0x28        ; 8 ASCII bytes: "ATA     ", "USB     ", ...
EDD3_PCI_BUS        equ 0x30        ; interface path (PCI): bus,
EDD3_PCI_DEVICE     equ 0x31        ;   device (slot),
EDD3_PCI_FUNCTION   equ 0x32        ;   function,
EDD3_PCI_CHANNEL    equ 0x33        ;   channel (0FFh: not used)
EDD3_ATA_DEVICE     equ 0x38        ; device path (ATA): 0 master, 1 slave
EDD3_SUM_FIRST      equ 0x1E        ; checksum: bytes 1Eh..49h add up to 0
EDD3_SUM_BYTES      equ EDD3_RESULT_SIZE - EDD3_SUM_FIRST
PCI_FUNCTIONS       equ 8           ; PCI: functions per device
PCI_DEVICES         equ 32          ; PCI: devices per bus

section .data
edd_result: times EDD3_RESULT_SIZE + 2 db 0 ; below 64 KiB: DS:SI reaches it (+2: a dword multiple for mem_zero)
section .text

; edd_ata_path: the boot drive's place when the BIOS gives it as an ATA
; device on a PCI controller.
;   in:  boot_drive
;   out: CF = 0: EBX = the controller's PCI configuration address (enable
;        bit, bus, device, function; register 0), CL = channel (0 primary,
;        1 secondary), CH = device (0 master, 1 slave);
;        CF = 1: no such path (ESI = why, a NUL-terminated phrase)
;   clobbers: EAX, ECX (when CF = 1), EDX, EDI
edd_ata_path:
    mov edi, edd_result
    mov ecx, EDD3_RESULT_SIZE + 2
    call mem_zero
    mov word [edd_result], EDD3_RESULT_SIZE
    pushad
    mov ah, EDD_PARAMS
    mov dl, [boot_drive]
    mov si, edd_result              ; DS:SI, DS = 0
    int BIOS_DISK
    popad
    call unreal_enter               ; INT 13h may have reloaded DS (keeps CF)
    STR "AH=48h failed"
    jc .none
    STR "no EDD 3.0 device path"
    cmp word [edd_result + EDD3_KEY], EDD3_KEY_VALUE
    jne .none
    STR "not the T13 device path layout"
    cmp byte [edd_result + EDD3_PATH_LEN], EDD3_PATH_LEN_T13
    jne .none
    call edd_sum
    STR "device path checksum wrong"
    jnz .none
    STR "host bus not PCI"
    cmp dword [edd_result + EDD3_HOST_BUS], 'PCI '
    jne .none
    STR "interface not ATA"
    cmp dword [edd_result + EDD3_INTERFACE], 'ATA '
    jne .none
    cmp dword [edd_result + EDD3_INTERFACE + 4], '    '
    jne .none
    jmp edd_pci_address
.none:
    stc
    ret

; edd_pci_address: the rest of edd_ata_path, once the path is PCI and ATA:
; range checks, then the PCI configuration address.
;   out: as edd_ata_path; clobbers: EAX
edd_pci_address:
    STR "PCI device or function out of range"
    cmp byte [edd_result + EDD3_PCI_DEVICE], PCI_DEVICES
    jae .none
    cmp byte [edd_result + EDD3_PCI_FUNCTION], PCI_FUNCTIONS
    jae .none
    STR "ATA channel or device out of range"
    mov cl, [edd_result + EDD3_PCI_CHANNEL]
    cmp cl, 1
    ja .none
    mov ch, [edd_result + EDD3_ATA_DEVICE]
    cmp ch, 1
    ja .none
    movzx ebx, byte [edd_result + EDD3_PCI_BUS]
    shl ebx, 5
    or bl, [edd_result + EDD3_PCI_DEVICE]
    shl ebx, 3
    or bl, [edd_result + EDD3_PCI_FUNCTION]
    shl ebx, 8                      ; bus 23..16, device 15..11, function 10..8
    or ebx, PCI_ENABLE
    clc
    ret
.none:
    stc
    ret

; edd_sum: add up the device path bytes (1Eh..49h) of edd_result.
;   out: ZF = 1 when they add up to 0; clobbers: EAX, ECX
edd_sum:
    push si
    mov si, edd_result + EDD3_SUM_FIRST
    mov ecx, EDD3_SUM_BYTES
    xor ah, ah
.add:
    lodsb
    add ah, al
    loop .add, ecx
    pop si
    test ah, ah
    ret
