; stage2.asm - the BIOS loader proper: header, entry, and the boot steps.
;
; stage1 loads this file from LBA 1 to STAGE2_BASE (0x8000) and jumps to
; stage2_entry in real mode with DL = boot drive. Each step is one module
; (one file) named after it; each prints one line ("stage2: <step>: ...")
; on screen and COM1 and stamps bootinfo.steps[]. Any failure prints
; "stage2: <step>: <what>" and halts (print.asm, die).
;
; Machine state: real mode, then unreal mode from the first instruction on
; (DS/ES limits 4 GiB, unreal.asm), CS = DS = ES = SS = 0, SP below
; 0x7C00; interrupts on except around mode switches. longmode.asm leaves
; real mode for long mode directly and jumps to the kernel.
;
; One assembly unit: the modules are %included so that NASM resolves every
; jump; ld links the object at STAGE2_BASE with stage2.ld (code, then the
; variables on their own pages) for gdb's symbols.

%include "layout.inc"
%include "bootinfo.inc"
%include "macros.inc"

%define LOADER_NAME     "tessera-bios"
%define LOADER_VERSION  "0.1"

bits 16
section .text
extern stage2_sectors               ; code + variables, from stage2.ld
global stage2_start
stage2_start:                       ; the header stage1 checks
    dd STAGE2_MAGIC
    dw stage2_sectors
    dw stage2_entry
    times 16 - ($ - $$) db 0

global stage2_entry
stage2_entry:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STACK_TOP
    cld
    mov [boot_drive], dl
    sti
    call unreal_enter
    call serial_init
    call bi_init
    call line_start
    SAY LOADER_NAME
    SAY " "
    SAY LOADER_VERSION
    SAY ", boot drive "
    movzx eax, byte [boot_drive]
    mov cl, 2
    call line_hex
    call line_end
    call cpu_check
    call disk_init
    call a20_enable
    call e820_run
    call acpi_find
    call smbios_find
    call part_find
    call fat_mount
    call config_load
    call kernel_load
    call elf_load
    call modules_load
    call vbe_choose
    call paging_build
    call mmap_build
    jmp longmode_enter

%include "util.asm"
%include "unreal.asm"
%include "print.asm"
%include "bootinfo.asm"
%include "disk.asm"
%include "diskcache.asm"
%include "edd.asm"
%include "ata.asm"
%include "a20.asm"
%include "e820.asm"
%include "mmap.asm"
%include "acpi.asm"
%include "smbios.asm"
%include "part.asm"
%include "gpt.asm"
%include "fat.asm"
%include "config.asm"
%include "elf.asm"
%include "module.asm"
%include "vbe.asm"
%include "paging.asm"
%include "longmode.asm"

; The variables of every module sit in section .data: stage2.ld places them
; on pages of their own after the code. The size limit (STAGE2_LIMIT) is
; checked by build.mk on the linked binary.
