; diskcache.asm - the last few small reads, kept so that a sector read twice
; costs one INT 13h call (or DMA command), not two.
;
; stage2 looks up /boot/boot.cfg, then /boot/kernel.elf: each lookup reads
; the root directory and /boot, the same sectors twice; on an IDE disk LBA 0
; is read by ata_same_lba0 and again by part_find. disk_read asks
; dcache_find first and hands every read of at most DCACHE_SECTORS sectors
; it made to dcache_keep: DCACHE_SLOTS slots at DCACHE (layout.inc), filled
; in turn. A read is found only under the same LBA and the same count. A hit
; moves no data from the disk and is not counted in bootinfo.disk_reads;
; dcache_hits counts it (the longmode line prints it).
; The loader never writes to the disk, so nothing kept can go stale.

DCACHE_SECTORS      equ 8           ; reads of up to 4 KiB: a directory cluster of 8 sectors
DCACHE_SLOTS        equ 4
DCACHE_SLOT_SIZE    equ DCACHE_SECTORS * SECTOR_SIZE

%if DCACHE_SLOTS * DCACHE_SLOT_SIZE > DCACHE_END - DCACHE
%error "diskcache.asm: the slots do not fit in DCACHE (layout.inc)"
%endif

section .data
dcache_lba:     times DCACHE_SLOTS dd 0
dcache_count:   times DCACHE_SLOTS dd 0     ; sectors; 0: the slot is empty
dcache_next:    dd 0                        ; the slot dcache_keep fills next
dcache_hits:    dd 0                        ; reads answered here (the longmode line says)
section .text

; dcache_find: copy a kept read of ECX sectors from LBA EAX to segment BX
; (offset 0). out: CF = 0 when it was kept (and is copied), CF = 1 when not
;   clobbers: nothing
dcache_find:
    pushad
    xor edx, edx
.slot:
    cmp [dcache_lba + edx * 4], eax
    jne .next
    cmp [dcache_count + edx * 4], ecx
    je .hit
.next:
    inc edx
    cmp edx, DCACHE_SLOTS
    jb .slot
    popad
    stc
    ret
.hit:
    inc dword [dcache_hits]
    imul esi, edx, DCACHE_SLOT_SIZE
    add esi, DCACHE
    movzx edi, bx
    shl edi, 4
    shl ecx, 9
    call mem_copy
    popad
    clc
    ret

; dcache_keep: keep the read of ECX sectors from LBA EAX now at segment BX
; (offset 0), in the next slot, when it is a small one.
;   clobbers: nothing
dcache_keep:
    cmp ecx, DCACHE_SECTORS
    ja .out
    pushad
    mov edx, [dcache_next]
    mov [dcache_lba + edx * 4], eax
    mov [dcache_count + edx * 4], ecx
    imul edi, edx, DCACHE_SLOT_SIZE
    add edi, DCACHE
    movzx esi, bx
    shl esi, 4
    shl ecx, 9
    call mem_copy
    inc edx
    cmp edx, DCACHE_SLOTS
    jb .turn
    xor edx, edx
.turn:
    mov [dcache_next], edx
    popad
.out:
    ret
