; elf.asm - read /boot/kernel.elf, check it, place its segments.
;
; The whole file is read into a scratch area at the top of memory below
; 4 GiB (mem_scratch) and checked there, as untrusted input, against the
; rules of common/bootrules.h (BOOTRULES_ELF) in the order common/elf64.c
; checks them, so both loaders refuse a file at the same rule and in the
; same words (the texts come from the generated bootrules.inc):
;   header: size, magic, class 2 (ELF64), data 1 (little endian), type 2
;   (EXEC), machine 0x3E (x86-64), e_version 1, e_phentsize 56, 1 to 64
;   program headers, inside the file and 8-byte aligned;
;   each PT_LOAD: p_filesz <= p_memsz, its file range inside the file, its
;   addresses in [0xFFFFFFFF80000000, +1 GiB), p_offset = p_vaddr modulo
;   4 KiB, no page shared with an earlier one;
;   then at least one PT_LOAD, and the entry point inside the file bytes of
;   an executable (PF_X) one: a jump anywhere else would fault before the
;   kernel could say a word.
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
E_VERSION       equ 20              ; u32
EV_CURRENT      equ 1
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
KERNEL_VBASE_HI equ ELF_KERNEL_VBASE_HI ; 0xFFFFFFFF80000000: -mcmodel=kernel
KERNEL_VBASE_LO equ ELF_KERNEL_VBASE_LO
KERNEL_VTOP_LO  equ ELF_KERNEL_VTOP_LO  ; the image stays in PDPT entry 510
%if ELF_PHNUM_MAX > SEGS_MAX
%error "elf.asm: SEGS_ADDR (layout.inc) holds fewer segments than ELF_PHNUM_MAX headers"
%endif
%if KERNEL_VTOP_LO != 0xC0000000
%error "elf.asm: the window no longer ends at PDPT entry 511 (paging.asm maps entry 510)"
%endif
; SEGS_ADDR entries, kept for paging.asm after the file is gone:
SEG_VADDR       equ 0               ; low 32 bits (the high ones are all 1s)
SEG_MEMSZ       equ 4
SEG_FLAGS       equ 8
SEG_END         equ 12              ; low 32 bits of p_vaddr + p_memsz
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
    FAIL "kernel: error, /boot/kernel.elf not found"
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

; ELF_REFUSE RULE_X: refuse the kernel with the rule's words (a header rule).
%macro ELF_REFUSE 1
    STR %1
    jmp elf_refuse
%endmacro

; SEG_REFUSE RULE_X: refuse the kernel at program header elf_index.
%macro SEG_REFUSE 1
    STR %1
    jmp elf_refuse_seg
%endmacro

; elf_refuse: "elf: error, /boot/kernel.elf: " + the rule at ESI; halt.
elf_refuse:
    push esi
    call line_start
    SAY "elf: error, /boot/kernel.elf: "
    pop esi
    call line_str
    jmp die

; elf_refuse_seg: the same, naming program header elf_index; halt.
elf_refuse_seg:
    push esi
    call line_start
    SAY "elf: error, /boot/kernel.elf: program header "
    mov eax, [elf_index]
    call line_dec
    SAY ": "
    pop esi
    call line_str
    jmp die

; elf_load: check the file in scratch and place the image; print the elf
; line. clobbers: EAX, EBX, ECX, EDX, ESI, EDI
elf_load:
    call elf_check_header
    call elf_check_segments
    call elf_check_entry
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
    jae .magic
    ELF_REFUSE RULE_ELF_SIZE
.magic:
    cmp dword [esi], 0x464C457F     ; 7F 'E' 'L' 'F'
    je .class
    ELF_REFUSE RULE_ELF_MAGIC
.class:
    cmp byte [esi + EI_CLASS], ELFCLASS64
    je .data
    ELF_REFUSE RULE_ELF_CLASS
.data:
    cmp byte [esi + EI_DATA], ELFDATA2LSB
    je .type
    ELF_REFUSE RULE_ELF_DATA
.type:
    cmp word [esi + E_TYPE], ET_EXEC
    je .machine
    ELF_REFUSE RULE_ELF_TYPE
.machine:
    cmp word [esi + E_MACHINE], EM_X86_64
    je .version
    ELF_REFUSE RULE_ELF_MACHINE
.version:
    cmp dword [esi + E_VERSION], EV_CURRENT
    je .phentsize
    ELF_REFUSE RULE_ELF_VERSION
.phentsize:
    cmp word [esi + E_PHENTSIZE], PHDR_SIZE
    je .phnum
    ELF_REFUSE RULE_ELF_PHENTSIZE
.phnum:
    movzx eax, word [esi + E_PHNUM]
    test eax, eax
    jz .phnum_bad
    cmp eax, ELF_PHNUM_MAX
    jbe .phdrs
.phnum_bad:
    ELF_REFUSE RULE_ELF_PHNUM
.phdrs:
    imul eax, eax, PHDR_SIZE        ; the table inside the file, 8-byte aligned
    cmp dword [esi + E_PHOFF + 4], 0
    jne .phdrs_bad
    test dword [esi + E_PHOFF], 7
    jnz .phdrs_bad
    add eax, [esi + E_PHOFF]
    jc .phdrs_bad
    cmp eax, [kernel_fsize]
    ja .phdrs_bad
    mov eax, [esi + E_ENTRY]
    mov [kernel_entry], eax
    mov eax, [esi + E_ENTRY + 4]
    mov [kernel_entry + 4], eax
    ret
.phdrs_bad:
    ELF_REFUSE RULE_ELF_PHDRS

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
    je .no_load
    ret
.no_load:
    ELF_REFUSE RULE_ELF_NO_LOAD

; elf_check_entry: the entry point must lie in [p_vaddr, p_vaddr + p_filesz)
; of a PT_LOAD with PF_X (their addresses are checked: high dword all 1s).
;   clobbers: EAX, ECX, EDX, ESI
elf_check_entry:
    cmp dword [kernel_entry + 4], KERNEL_VBASE_HI
    jne .bad
    mov esi, [kernel_file]
    movzx ecx, word [esi + E_PHNUM]
    add esi, [esi + E_PHOFF]
.phdr:
    cmp dword [esi + P_TYPE], PT_LOAD
    jne .next
    test dword [esi + P_FLAGS], PF_X
    jz .next
    mov eax, [kernel_entry]
    sub eax, [esi + P_VADDR]
    jb .next                        ; below the segment
    cmp eax, [esi + P_FILESZ]
    jb .ok                          ; inside its file bytes
.next:
    add esi, PHDR_SIZE
    loop .phdr, ecx
.bad:
    ELF_REFUSE RULE_ELF_ENTRY
.ok:
    ret

; elf_check_one: check the PT_LOAD at ESI (index elf_index) and record it.
;   clobbers: EAX, EBX, EDX, EDI
elf_check_one:
    mov eax, [esi + P_FILESZ + 4]   ; p_filesz <= p_memsz, 64-bit
    cmp eax, [esi + P_MEMSZ + 4]
    ja .filesz
    jb .file
    mov eax, [esi + P_FILESZ]
    cmp eax, [esi + P_MEMSZ]
    ja .filesz
.file:
    mov eax, [esi + P_OFFSET + 4]   ; file range inside the file (below 4 GiB)
    or eax, [esi + P_FILESZ + 4]
    jnz .outside
    mov eax, [esi + P_OFFSET]
    add eax, [esi + P_FILESZ]
    jc .outside
    cmp eax, [kernel_fsize]
    ja .outside
    cmp dword [esi + P_VADDR + 4], KERNEL_VBASE_HI   ; the window
    jne .window
    cmp dword [esi + P_MEMSZ + 4], 0
    jne .window
    mov eax, [esi + P_VADDR]
    cmp eax, KERNEL_VBASE_LO
    jb .window
    mov edx, eax
    add edx, [esi + P_MEMSZ]
    jc .window
    cmp edx, KERNEL_VTOP_LO
    ja .window
    mov ebx, eax                    ; p_vaddr = p_offset modulo 4 KiB
    sub ebx, [esi + P_OFFSET]
    test ebx, PAGE_MASK
    jnz .align
    cmp dword [esi + P_MEMSZ], 0
    je .done                        ; nothing to load or map
    call elf_check_overlap
    call elf_record
.done:
    ret
.filesz:
    SEG_REFUSE RULE_ELF_LOAD_FILESZ
.outside:
    SEG_REFUSE RULE_ELF_LOAD_FILE
.window:
    SEG_REFUSE RULE_ELF_LOAD_WINDOW
.align:
    SEG_REFUSE RULE_ELF_LOAD_ALIGN

; elf_check_overlap: refuse the PT_LOAD at ESI, [EAX, EDX) (low dwords),
; when its pages meet those of a segment already recorded in SEGS_ADDR.
;   clobbers: EBX, EDI
elf_check_overlap:
    push ecx
    push eax
    and eax, ~PAGE_MASK             ; a_lo
    mov edi, SEGS_ADDR
    mov ecx, [kernel_segs]
.loop:
    jecxz .out
    cmp eax, [edi + SEG_END]        ; a_lo < b_hi
    jae .next
    mov ebx, [edi + SEG_VADDR]
    and ebx, ~PAGE_MASK             ; b_lo < a_hi
    cmp ebx, edx
    jb .overlap
.next:
    add edi, SEG_ENTRY_SIZE
    dec ecx
    jmp .loop
.out:
    pop eax
    pop ecx
    ret
.overlap:
    SEG_REFUSE RULE_ELF_LOAD_OVERLAP

; elf_record: note the PT_LOAD at ESI, [EAX, EDX), in SEGS_ADDR and in the
; image bounds. clobbers: EAX, EDX, EDI
elf_record:
    mov edi, [kernel_segs]
    shl edi, 4                      ; SEG_ENTRY_SIZE
    add edi, SEGS_ADDR
    mov [edi + SEG_VADDR], eax
    mov [edi + SEG_END], edx
    mov eax, [esi + P_MEMSZ]
    mov [edi + SEG_MEMSZ], eax
    mov eax, [esi + P_FLAGS]
    mov [edi + SEG_FLAGS], eax
    inc dword [kernel_segs]
    mov eax, [edi + SEG_VADDR]
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
    ret

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
