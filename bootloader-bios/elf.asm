; elf.asm - read /boot/kernel.elf, check it, place its segments.
;
; The whole file is read into a scratch area at the top of memory below
; 4 GiB (mem_scratch) and checked there, as untrusted input:
;   ELF magic, class 2 (ELF64), data 1 (little endian), machine 0x3E
;   (x86-64), type 2 (EXEC), e_phentsize 56, program headers inside the
;   file; for every PT_LOAD: its file range inside the file, p_filesz <=
;   p_memsz, vaddr in [0xFFFFFFFF80000000, +1 GiB); the whole image below
;   64 MiB; the entry point inside it.
; (System V ABI and its x86-64 supplement; offsets from <elf.h>.)
; The image (lowest to highest PT_LOAD address, in whole pages) then goes to
; a 2 MiB aligned physical base (mem_place) as one block: every segment at
; base + (p_vaddr - lowest vaddr), the rest zeroed, so the kernel is one
; constant offset from its link address (bootinfo.kernel_phys/virt/size).

EI_CLASS        equ 4
EI_DATA         equ 5
ELFCLASS64      equ 2
ELFDATA2LSB     equ 1
E_TYPE          equ 16              ; u16
E_MACHINE       equ 18              ; u16
E_ENTRY         equ 24              ; u64
E_PHOFF         equ 32              ; u64
E_PHENTSIZE     equ 54              ; u16
E_PHNUM         equ 56              ; u16
ELF_HDR_SIZE    equ 64
ET_EXEC         equ 2
EM_X86_64       equ 0x3E
PHDR_SIZE       equ 56
P_TYPE          equ 0               ; u32
P_FLAGS         equ 4               ; u32
P_OFFSET        equ 8               ; u64
P_VADDR         equ 16              ; u64
P_FILESZ        equ 32              ; u64
P_MEMSZ         equ 40              ; u64
PT_LOAD         equ 1
PF_X            equ 1
PF_W            equ 2
PHNUM_MAX       equ SEGS_MAX
KERNEL_VBASE_HI equ 0xFFFFFFFF      ; 0xFFFFFFFF80000000: -mcmodel=kernel
KERNEL_VBASE_LO equ 0x80000000
KERNEL_VTOP_LO  equ 0xC0000000      ; the image stays in PDPT entry 510
KERNEL_MAX_SPAN equ 64 * MIB
; SEGS_ADDR entries, kept for paging.asm after the file is gone:
SEG_VADDR       equ 0               ; low 32 bits (the high ones are all 1s)
SEG_MEMSZ       equ 4
SEG_FLAGS       equ 8
SEG_ENTRY_SIZE  equ 16

section .data
kernel_path:    db "/boot/kernel.elf", 0
kernel_file:    dd 0                ; scratch address of the file
kernel_fsize:   dd 0
kernel_vlo:     dd 0                ; lowest vaddr, page aligned (low 32 bits)
kernel_vhi:     dd 0                ; highest vaddr end, page aligned
kernel_phys:    dd 0
kernel_entry:   dd 0, 0
kernel_segs:    dd 0                ; PT_LOAD segments in SEGS_ADDR
elf_phdr:       dd 0                ; the program header being checked
elf_index:      dd 0                ; its index, for messages
section .text

; kernel_load: read the kernel file; print the kernel line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
kernel_load:
    mov esi, kernel_path
    call fat_open
    jnc .found
    FAIL "fat: /boot/kernel.elf not found"
.found:
    mov [kernel_fsize], ecx
    push eax
    call mem_scratch                ; EAX = room for ECX bytes
    mov [kernel_file], eax
    mov edi, eax
    pop eax
    mov ecx, [kernel_fsize]
    push dword [BI(BI_DISK_READS)]
    call fat_read
    pop ebx
    call line_start
    SAY "kernel: /boot/kernel.elf, "
    mov eax, [kernel_fsize]
    call line_dec
    SAY " bytes in "
    mov eax, [BI(BI_DISK_READS)]
    sub eax, ebx
    call line_dec
    SAY " disk reads"
    call line_end
    STEP "kernel"
    ret

; elf_fail_hdr: finish "stage2: elf: PT_LOAD <n> " + message at ESI; halt.
elf_fail_seg:
    push esi
    call line_start
    SAY "elf: PT_LOAD "
    mov eax, [elf_index]
    call line_dec
    mov al, ' '
    call line_char
    pop esi
    call line_str
    jmp die

; elf_load: check the file in scratch and place the image; print the elf
; line. clobbers: EAX, EBX, ECX, EDX, ESI, EDI
elf_load:
    call elf_check_header
    call elf_check_segments
    mov ecx, [kernel_vhi]
    sub ecx, [kernel_vlo]
    call mem_place
    mov [kernel_phys], eax
    mov [BI(BI_KERNEL_PHYS)], eax
    mov [BI(BI_KERNEL_SIZE)], ecx
    mov edx, [kernel_vlo]
    mov [BI(BI_KERNEL_VIRT)], edx
    mov dword [BI(BI_KERNEL_VIRT + 4)], KERNEL_VBASE_HI
    mov edi, eax
    call mem_zero                   ; the whole image, gaps and bss
    call elf_copy_segments
    call line_start
    SAY "elf: "
    mov eax, [kernel_segs]
    call line_dec
    SAY " PT_LOAD, "
    mov eax, [BI(BI_KERNEL_SIZE)]
    shr eax, 10
    call line_dec
    SAY " KiB at phys "
    mov eax, [kernel_phys]
    mov cl, 8
    call line_hex
    SAY ", entry "
    mov eax, [kernel_entry]
    mov edx, [kernel_entry + 4]
    call line_hex64
    call line_end
    STEP "elf"
    ret

; elf_check_header: the ELF header and where the program headers are.
;   clobbers: EAX, EBX, ECX, EDX, ESI
elf_check_header:
    mov esi, [kernel_file]
    cmp dword [kernel_fsize], ELF_HDR_SIZE
    jb .not_elf
    cmp dword [esi], 0x464C457F     ; 7F 'E' 'L' 'F'
    jne .not_elf
    cmp byte [esi + EI_CLASS], ELFCLASS64
    jne .not_elf
    cmp byte [esi + EI_DATA], ELFDATA2LSB
    jne .not_le
    cmp word [esi + E_MACHINE], EM_X86_64
    jne .not_x86
    cmp word [esi + E_TYPE], ET_EXEC
    jne .not_exec
    cmp word [esi + E_PHENTSIZE], PHDR_SIZE
    jne .phentsize
    movzx eax, word [esi + E_PHNUM]
    test eax, eax
    jz .no_load
    cmp eax, PHNUM_MAX
    ja .phnum
    imul eax, eax, PHDR_SIZE
    cmp dword [esi + E_PHOFF + 4], 0
    jne .ph_out
    add eax, [esi + E_PHOFF]
    jc .ph_out
    cmp eax, [kernel_fsize]
    ja .ph_out
    mov eax, [esi + E_ENTRY]
    mov [kernel_entry], eax
    mov eax, [esi + E_ENTRY + 4]
    mov [kernel_entry + 4], eax
    ret
.not_elf:
    FAIL "elf: not an ELF64 file (bad magic or class)"
.not_le:
    FAIL "elf: bad ELF file: not little endian"
.not_x86:
    FAIL "elf: bad ELF file: not for x86-64 (e_machine)"
.not_exec:
    FAIL "elf: bad ELF file: not an executable (e_type is not EXEC)"
.phentsize:
    FAIL "elf: bad ELF file: e_phentsize is not 56"
.phnum:
    FAIL "elf: bad ELF file: more than 64 program headers"
.ph_out:
    FAIL "elf: bad ELF file: program headers outside the file"
.no_load:
    FAIL "elf: bad ELF file: no PT_LOAD segment"

; elf_check_segments: check each PT_LOAD, note its range, flags and the
; image bounds. clobbers: EAX, EBX, ECX, EDX, ESI, EDI
elf_check_segments:
    mov esi, [kernel_file]
    movzx ecx, word [esi + E_PHNUM]
    add esi, [esi + E_PHOFF]
    mov dword [kernel_vlo], 0xFFFFFFFF
    mov dword [kernel_vhi], 0
    mov dword [kernel_segs], 0
    mov dword [elf_index], 0
.phdr:
    cmp dword [esi + P_TYPE], PT_LOAD
    jne .next
    mov [elf_phdr], esi
    call elf_check_one
.next:
    add esi, PHDR_SIZE
    inc dword [elf_index]
    loop .phdr, ecx
    cmp dword [kernel_segs], 0
    je elf_check_header.no_load
    mov eax, [kernel_vhi]           ; span and entry
    sub eax, [kernel_vlo]
    cmp eax, KERNEL_MAX_SPAN
    ja .span
    cmp dword [kernel_entry + 4], KERNEL_VBASE_HI
    jne .entry
    mov eax, [kernel_entry]
    cmp eax, [kernel_vlo]
    jb .entry
    cmp eax, [kernel_vhi]
    jae .entry
    ret
.span:
    FAIL "elf: bad ELF file: the image spans more than 64 MiB"
.entry:
    FAIL "elf: bad ELF file: the entry point is outside the image"

; elf_check_one: check the PT_LOAD at ESI (index elf_index) and record it.
;   clobbers: EAX, EBX, EDX, EDI
elf_check_one:
    mov eax, [esi + P_OFFSET + 4]   ; file range inside the file
    or eax, [esi + P_FILESZ + 4]
    jnz .outside
    mov eax, [esi + P_OFFSET]
    add eax, [esi + P_FILESZ]
    jc .outside
    cmp eax, [kernel_fsize]
    ja .outside
    cmp dword [esi + P_MEMSZ + 4], 0
    jne .too_big
    mov eax, [esi + P_FILESZ]
    cmp eax, [esi + P_MEMSZ]
    ja .filesz
    cmp dword [esi + P_VADDR + 4], KERNEL_VBASE_HI
    jne .low
    mov eax, [esi + P_VADDR]
    cmp eax, KERNEL_VBASE_LO
    jb .low
    mov edx, eax
    add edx, [esi + P_MEMSZ]
    jc .too_big
    cmp edx, KERNEL_VTOP_LO
    ja .too_big
    cmp dword [esi + P_MEMSZ], 0
    je .done                        ; nothing to load or map
    and eax, ~PAGE_MASK
    cmp eax, [kernel_vlo]
    jae .lo_ok
    mov [kernel_vlo], eax
.lo_ok:
    add edx, PAGE_MASK
    and edx, ~PAGE_MASK
    cmp edx, [kernel_vhi]
    jbe .hi_ok
    mov [kernel_vhi], edx
.hi_ok:
    mov edi, [kernel_segs]
    cmp edi, SEGS_MAX
    jae .done
    shl edi, 4                      ; SEG_ENTRY_SIZE
    add edi, SEGS_ADDR
    mov eax, [esi + P_VADDR]
    mov [edi + SEG_VADDR], eax
    mov eax, [esi + P_MEMSZ]
    mov [edi + SEG_MEMSZ], eax
    mov eax, [esi + P_FLAGS]
    mov [edi + SEG_FLAGS], eax
    inc dword [kernel_segs]
.done:
    ret
.outside:
    STR "outside the file"
    jmp elf_fail_seg
.filesz:
    STR "has p_filesz above p_memsz"
    jmp elf_fail_seg
.low:
    STR "is below 0xffffffff80000000"
    jmp elf_fail_seg
.too_big:
    STR "is too big (beyond 0xffffffffc0000000)"
    jmp elf_fail_seg

; elf_copy_segments: copy each PT_LOAD's file bytes to its place.
;   clobbers: EAX, ECX, EDX, ESI, EDI
elf_copy_segments:
    mov edx, [kernel_file]
    movzx ecx, word [edx + E_PHNUM]
    add edx, [edx + E_PHOFF]
.phdr:
    cmp dword [edx + P_TYPE], PT_LOAD
    jne .next
    cmp dword [edx + P_MEMSZ], 0
    je .next
    push ecx
    mov esi, [kernel_file]
    add esi, [edx + P_OFFSET]
    mov edi, [edx + P_VADDR]
    sub edi, [kernel_vlo]
    add edi, [kernel_phys]
    mov ecx, [edx + P_FILESZ]
    call mem_copy
    pop ecx
.next:
    add edx, PHDR_SIZE
    loop .phdr, ecx
    ret
