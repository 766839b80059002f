; paging.asm - the 4-level page tables the kernel starts with.
;
; (Intel SDM vol. 3, 4.5 "4-Level Paging".) One block of tables, allocated
; after the kernel and modules and marked LOADER_RECLAIM:
;   PML4[0] and PML4[256] -> one PDPT whose first N entries point to N page
;     directories of 2 MiB pages covering 0 .. N GiB, N = max(4, highest
;     end of RAM-like E820 memory, in GiB; at most 512): so the first 4 GiB
;     (and all RAM) are identity mapped, and the same physical memory
;     appears at the direct map 0xFFFF800000000000 (HHDM);
;   PML4[511] -> PDPT_K; PDPT_K[510] -> PD_K; PD_K -> 4 KiB page tables
;     mapping each PT_LOAD page at its link address to kernel_phys +
;     (vaddr - kernel_vlo), writable only for PF_W, NX unless PF_X.

PTE_P           equ 0x001           ; present
PTE_W           equ 0x002           ; writable
PTE_PS          equ 0x080           ; in a PD entry: 2 MiB page
PTE_NX_HI       equ 0x80000000      ; bit 63, in the high dword (needs EFER.NXE)
PML4_HHDM       equ 256             ; 0xFFFF800000000000 >> 39 & 511
PML4_KERNEL     equ 511             ; 0xFFFFFFFF80000000 >> 39 & 511
PDPT_KERNEL     equ 510             ; 0xFFFFFFFF80000000 >> 30 & 511
GIB_SHIFT       equ 30
PD_ENTRIES      equ 512
MAX_GIB         equ 512             ; one PDPT: 512 GiB
MIN_GIB         equ 4

section .data
pg_base:        dd 0                ; the PML4; tables follow
pg_count:       dd 0                ; 4 KiB tables
pg_gib:         dd 0                ; GiB covered by the direct map
pg_pts:         dd 0                ; kernel page tables
pg_nx:          dd 0                ; PTE_NX_HI when the CPU has NX, else 0
section .text

; paging_build: allocate, clear and fill the tables; print the paging line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
paging_build:
    call pg_size
    mov ecx, [pg_count]
    shl ecx, 12
    call mem_alloc
    jnc .room
    FAIL "paging: error, no memory for the page tables"
.room:
    mov [pg_base], eax
    mov edi, eax
    call mem_zero
    call pg_direct_map
    call pg_kernel_map
    call line_start
    SAY "paging: "
    mov eax, [pg_count]
    call line_dec
    SAY " tables at "
    mov eax, [pg_base]
    mov cl, 8
    call line_hex
    SAY ", identity and direct map of "
    mov eax, [pg_gib]
    call line_dec
    SAY " GiB, kernel at 0xffffffff"
    mov eax, [kernel_vlo]
    mov cl, 8
    call line_hex_digits
    call line_end
    STEP "paging"
    ret

; pg_size: how many GiB to map and how many tables that takes.
;   clobbers: EAX, ECX, EDX, ESI
pg_size:
    xor eax, eax                    ; highest end (GiB, rounded up)
    mov esi, CLEAN_ADDR
    mov ecx, [clean_count]
.loop:
    jecxz .have
    cmp dword [esi + RANGE_TYPE], BOOTINFO_MEM_RESERVED
    je .next                        ; device holes are no RAM to map
    mov edx, [esi + RANGE_END + 4]
    push eax
    mov eax, [esi + RANGE_END]
    add eax, (1 << GIB_SHIFT) - 1
    adc edx, 0
    shrd eax, edx, GIB_SHIFT
    shr edx, GIB_SHIFT
    jz .small
    mov eax, MAX_GIB
.small:
    mov edx, eax
    pop eax
    cmp edx, eax
    jbe .next
    mov eax, edx
.next:
    add esi, RANGE_SIZE
    dec ecx
    jmp .loop
.have:
    cmp eax, MIN_GIB
    jae .min_ok
    mov eax, MIN_GIB
.min_ok:
    cmp eax, MAX_GIB
    jbe .max_ok
    mov eax, MAX_GIB
.max_ok:
    mov [pg_gib], eax
    mov ecx, [kernel_vhi]           ; 2 MiB slots the kernel touches
    dec ecx
    shr ecx, 21
    mov edx, [kernel_vlo]
    shr edx, 21
    sub ecx, edx
    inc ecx
    mov [pg_pts], ecx
    add eax, ecx
    add eax, 4                      ; PML4, PDPT, PDPT_K, PD_K
    mov [pg_count], eax
    ret

; pg_direct_map: PML4[0] = PML4[256] = PDPT -> PDs of 2 MiB pages.
;   table order in the block: PML4, PDPT, PD x pg_gib, PDPT_K, PD_K, PTs
;   clobbers: EAX, EBX, ECX, EDX, EDI
pg_direct_map:
    mov edi, [pg_base]
    lea eax, [edi + 0x1000 + PTE_P + PTE_W]
    mov [edi], eax
    mov [edi + PML4_HHDM * 8], eax
    add edi, 0x1000                 ; the PDPT
    lea eax, [edi + 0x1000 + PTE_P + PTE_W]
    mov ecx, [pg_gib]
.pdpt:
    mov [edi], eax
    add eax, 0x1000
    add edi, 8
    loop .pdpt, ecx
    mov edi, [pg_base]
    add edi, 0x2000                 ; the PDs, one after the other
    mov ecx, [pg_gib]
    shl ecx, 9                      ; 2 MiB entries
    xor ebx, ebx                    ; page number
.pd:
    mov eax, ebx
    shl eax, 21
    or eax, PTE_P + PTE_W + PTE_PS
    mov edx, ebx
    shr edx, 11                     ; bits 32.. of the address
    mov [edi], eax
    mov [edi + 4], edx
    add edi, 8
    inc ebx
    loop .pd, ecx
    ret

; pg_kernel_map: PML4[511] -> PDPT_K[510] -> PD_K -> PTs -> kernel pages.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
pg_kernel_map:
    mov ebx, [pg_gib]
    shl ebx, 12
    add ebx, [pg_base]
    add ebx, 0x2000                 ; EBX = PDPT_K
    lea eax, [ebx + PTE_P + PTE_W]
    mov edi, [pg_base]
    mov [edi + PML4_KERNEL * 8], eax
    lea eax, [ebx + 0x1000 + PTE_P + PTE_W]
    mov [ebx + PDPT_KERNEL * 8], eax
    add ebx, 0x1000                 ; EBX = PD_K
    lea esi, [ebx + 0x1000]         ; ESI = first PT
    mov edi, [kernel_vlo]
    shr edi, 21
    and edi, PD_ENTRIES - 1
    lea edi, [ebx + edi * 8]
    lea eax, [esi + PTE_P + PTE_W]
    mov ecx, [pg_pts]
.pde:
    mov [edi], eax
    add eax, 0x1000
    add edi, 8
    loop .pde, ecx
    mov [.pt], esi
    mov esi, SEGS_ADDR
    mov ecx, [kernel_segs]
.seg:
    push ecx
    call pg_map_segment
    pop ecx
    add esi, SEG_ENTRY_SIZE
    loop .seg, ecx
    ret
section .data
.pt: dd 0
section .text

; pg_map_segment: map the pages of the segment at ESI (SEGS_ADDR entry).
; A page two segments share gets W if either has it and no NX if either
; is executable. clobbers: EAX, EBX, ECX, EDX, EDI
pg_map_segment:
    mov ebx, [esi + SEG_VADDR]
    mov ecx, ebx
    add ecx, [esi + SEG_MEMSZ]
    add ecx, PAGE_MASK
    and ecx, ~PAGE_MASK             ; ECX = end
    and ebx, ~PAGE_MASK             ; EBX = page
.page:
    cmp ebx, ecx
    jae .done
    mov edi, [kernel_vlo]           ; PTE address: slots start 2 MiB aligned
    and edi, ~(ALIGN_2M - 1)
    mov eax, ebx
    sub eax, edi
    shr eax, 12
    mov edi, [pg_kernel_map.pt]
    lea edi, [edi + eax * 8]
    mov eax, ebx                    ; physical address
    sub eax, [kernel_vlo]
    add eax, [kernel_phys]
    or eax, PTE_P
    test byte [esi + SEG_FLAGS], PF_W
    jz .ro
    or eax, PTE_W
.ro:
    mov edx, [pg_nx]
    test byte [esi + SEG_FLAGS], PF_X
    jz .nx
    xor edx, edx
.nx:
    test dword [edi], PTE_P         ; shared with an earlier segment
    jz .store
    or eax, [edi]
    and edx, [edi + 4]
.store:
    mov [edi], eax
    mov [edi + 4], edx
    add ebx, 0x1000
    jmp .page
.done:
    ret
