; mmap.asm - memory ranges: the sweep that cleans a map, the allocator, and
; the final map in the boot info.
;
; A range is 24 bytes: base (u64), end (u64, exclusive), type (u32), pad.
; Ranges are collected in RANGES_ADDR (range_add) and mmap_sweep turns them
; into a sorted, non-overlapping list: every base and end is a boundary;
; the boundaries are sorted; each piece between two neighbours gets the
; type of highest priority among the ranges covering it (common/memmap.h's
; order, generated: bad > reserved > ACPI NVS > framebuffer > kernel >
; module > ACPI reclaim > loader-reclaimable > usable); equal neighbours
; merge; usable pieces are
; trimmed to whole 4 KiB pages. The same sweep cleans the E820 map and
; later carves the kernel, modules, page tables and boot info out of it.
;
; Allocation: memory above 1 MiB and below 4 GiB (unreal mode reaches no
; further) from the clean map. The kernel file is read high (mem_scratch),
; the kernel image is placed low and 2 MiB aligned (mem_place), modules and
; page tables follow it (mem_alloc).

RANGE_BASE      equ 0
RANGE_END       equ 8
RANGE_TYPE      equ 16
RANGE_SIZE      equ 24
MIB             equ 0x100000
ALIGN_2M        equ 0x200000
PAGE_MASK       equ 0xFFF

section .data
range_count:    dd 0
range_tmp:      times RANGE_SIZE db 0
scratch_addr:   dd 0                ; where the kernel file was read
scratch_end:    dd 0
alloc_ptr:      dd 0                ; next free byte after the kernel
alloc_end:      dd 0                ; end of the kernel's region
section .text

; range_add: append the range at EDI (base, end, type) to RANGES_ADDR.
;   clobbers: nothing (halts when the list is full)
range_add:
    pushad
    mov eax, [range_count]
    cmp eax, RANGES_MAX
    jae .full
    imul eax, eax, RANGE_SIZE
    add eax, RANGES_ADDR
    mov esi, edi
    mov edi, eax
    mov ecx, RANGE_SIZE
    call mem_copy
    inc dword [range_count]
    popad
    ret
.full:
    FAIL "mmap: error, more than 256 memory ranges"

; range_len: EDX:EAX = end - base of the range at ESI. clobbers: nothing else
range_len:
    mov eax, [esi + RANGE_END]
    mov edx, [esi + RANGE_END + 4]
    sub eax, [esi + RANGE_BASE]
    sbb edx, [esi + RANGE_BASE + 4]
    ret

; range_add3: append (EAX = base, EBX = end, both below 4 GiB, EDX = type).
;   clobbers: nothing
range_add3:
    push edi
    mov edi, range_tmp
    mov [edi + RANGE_BASE], eax
    mov dword [edi + RANGE_BASE + 4], 0
    mov [edi + RANGE_END], ebx
    mov dword [edi + RANGE_END + 4], 0
    mov [edi + RANGE_TYPE], edx
    call range_add
    pop edi
    ret

; mmap_sweep: clean RANGES_ADDR[range_count] into a list at EDI.
;   in:  EDI = output, ECX = its capacity in ranges
;   out: EAX = ranges written
;   clobbers: EBX, ECX, EDX, ESI
mmap_sweep:
    mov [.out], edi
    mov [.cap], ecx
    call sweep_bounds               ; sorted boundaries, sweep_nb of them
    mov dword [.n], 0
    xor ebx, ebx                    ; boundary index
.piece:
    lea eax, [ebx + 1]
    cmp eax, [sweep_nb]
    jae .trim
    lea esi, [ebx * 8 + BOUNDS_ADDR]
    call sweep_type                 ; EAX = type of [b[i], b[i+1])
    test eax, eax
    jz .nextp
    call sweep_emit
.nextp:
    inc ebx
    jmp .piece
.trim:
    call sweep_trim
    mov eax, [.n]
    ret
section .data
.out:   dd 0
.cap:   dd 0
.n:     dd 0
section .text

section .data
sweep_nb:   dd 0
section .text

; sweep_bounds: every base and end of the ranges, sorted (insertion sort).
;   out: BOUNDS_ADDR[sweep_nb]; clobbers: EAX, EBX, ECX, EDX, ESI, EDI
sweep_bounds:
    mov esi, RANGES_ADDR
    mov edi, BOUNDS_ADDR
    mov ecx, [range_count]
    xor ebx, ebx
.collect:
    jecxz .sort
    mov eax, [esi + RANGE_BASE]
    mov [edi], eax
    mov eax, [esi + RANGE_BASE + 4]
    mov [edi + 4], eax
    mov eax, [esi + RANGE_END]
    mov [edi + 8], eax
    mov eax, [esi + RANGE_END + 4]
    mov [edi + 12], eax
    add esi, RANGE_SIZE
    add edi, 16
    add ebx, 2
    dec ecx
    jmp .collect
.sort:
    mov [sweep_nb], ebx
    mov ecx, 1                      ; i
.outer:
    cmp ecx, [sweep_nb]
    jae .done
    mov eax, [ecx * 8 + BOUNDS_ADDR]        ; key = b[i]
    mov edx, [ecx * 8 + BOUNDS_ADDR + 4]
    mov edi, ecx                    ; j + 1
.inner:
    test edi, edi
    jz .place
    CMP64 [edi * 8 + BOUNDS_ADDR - 4], [edi * 8 + BOUNDS_ADDR - 8], edx, eax
    jbe .place                      ; b[j] <= key
    mov esi, [edi * 8 + BOUNDS_ADDR - 8]
    mov [edi * 8 + BOUNDS_ADDR], esi
    mov esi, [edi * 8 + BOUNDS_ADDR - 4]
    mov [edi * 8 + BOUNDS_ADDR + 4], esi
    dec edi
    jmp .inner
.place:
    mov [edi * 8 + BOUNDS_ADDR], eax
    mov [edi * 8 + BOUNDS_ADDR + 4], edx
    inc ecx
    jmp .outer
.done:
    ret

; sweep_type: the winning type among ranges covering the piece starting at
; the boundary ESI points to (a range covers it when base <= lo < end): the
; one of highest priority in mem_priority, common/memmap.h's order, so a
; reserved range beats a loader-reclaimable one as in the UEFI loader.
;   in: ESI = &b[i]; out: EAX = type, 0 when none; clobbers: ECX, EDX, EDI
sweep_type:
    push ebp
    push ebx
    xor eax, eax
    mov ebp, [esi]                  ; lo
    mov edx, [esi + 4]
    mov edi, RANGES_ADDR
    mov ecx, [range_count]
.loop:
    jecxz .done
    CMP64 [edi + RANGE_BASE + 4], [edi + RANGE_BASE], edx, ebp
    ja .next                        ; base > lo
    CMP64 [edi + RANGE_END + 4], [edi + RANGE_END], edx, ebp
    jbe .next                       ; end <= lo
    mov ebx, [edi + RANGE_TYPE]     ; every range type is 1..TYPE_MAX
    mov bl, [mem_priority + ebx]
    cmp bl, [mem_priority + eax]
    jbe .next
    mov eax, [edi + RANGE_TYPE]
.next:
    add edi, RANGE_SIZE
    dec ecx
    jmp .loop
.done:
    pop ebx
    pop ebp
    ret
section .data
mem_priority:   db MEMMAP_PRIORITIES    ; index: BOOTINFO_MEM_* (bootrules.inc)
section .text

; sweep_emit: add the piece [ESI[0], ESI[1]) of type EAX to the output,
; merging it into the previous range when that one touches it with the same
; type. clobbers: ECX, EDX, EDI
sweep_emit:
    mov edi, [mmap_sweep.out]
    mov ecx, [mmap_sweep.n]
    jecxz .new
    imul edx, ecx, RANGE_SIZE
    lea edi, [edi + edx - RANGE_SIZE]       ; the previous range
    cmp eax, [edi + RANGE_TYPE]
    jne .new_after
    mov edx, [esi]
    cmp edx, [edi + RANGE_END]
    jne .new_after
    mov edx, [esi + 4]
    cmp edx, [edi + RANGE_END + 4]
    jne .new_after
    jmp .set_end
.new_after:
    add edi, RANGE_SIZE
.new:
    cmp ecx, [mmap_sweep.cap]
    jae .full
    mov edx, [esi]
    mov [edi + RANGE_BASE], edx
    mov edx, [esi + 4]
    mov [edi + RANGE_BASE + 4], edx
    mov [edi + RANGE_TYPE], eax
    mov dword [edi + RANGE_TYPE + 4], 0
    inc dword [mmap_sweep.n]
.set_end:
    mov edx, [esi + 8]
    mov [edi + RANGE_END], edx
    mov edx, [esi + 12]
    mov [edi + RANGE_END + 4], edx
    ret
.full:
    FAIL "mmap: error, the memory map has too many entries"

; sweep_trim: shrink usable ranges to whole pages; drop the empty ones.
;   clobbers: EAX, ECX, EDX, ESI, EDI
sweep_trim:
    mov esi, [mmap_sweep.out]       ; read
    mov edi, esi                    ; write
    mov ecx, [mmap_sweep.n]
    mov dword [mmap_sweep.n], 0
.loop:
    jecxz .done
    cmp dword [esi + RANGE_TYPE], BOOTINFO_MEM_USABLE
    jne .keep
    mov eax, [esi + RANGE_BASE]     ; base up to a page
    mov edx, [esi + RANGE_BASE + 4]
    add eax, PAGE_MASK
    adc edx, 0
    and eax, ~PAGE_MASK
    mov [esi + RANGE_BASE], eax
    mov [esi + RANGE_BASE + 4], edx
    and dword [esi + RANGE_END], ~PAGE_MASK
    CMP64 edx, eax, [esi + RANGE_END + 4], [esi + RANGE_END]
    jae .drop
.keep:
    push ecx
    push esi
    push edi
    mov ecx, RANGE_SIZE
    cmp esi, edi
    je .same
    call mem_copy
.same:
    pop edi
    pop esi
    pop ecx
    add edi, RANGE_SIZE
    inc dword [mmap_sweep.n]
.drop:
    add esi, RANGE_SIZE
    dec ecx
    jmp .loop
.done:
    ret

; clean_region: the usable clean range ESI points to, cut to [1 MiB, 4 GiB).
;   in:  ESI = clean range; out: CF = 0 and EAX = start, EDX = end (page
;   aligned), or CF = 1 when not usable or empty there
;   clobbers: nothing else
clean_region:
    cmp dword [esi + RANGE_TYPE], BOOTINFO_MEM_USABLE
    jne .no
    cmp dword [esi + RANGE_BASE + 4], 0
    jne .no                         ; starts above 4 GiB
    mov eax, [esi + RANGE_BASE]
    mov edx, [esi + RANGE_END]
    cmp dword [esi + RANGE_END + 4], 0
    je .end_ok
    mov edx, 0xFFFFF000             ; ends above 4 GiB: stop below
.end_ok:
    cmp eax, MIB
    jae .start_ok
    mov eax, MIB
.start_ok:
    cmp eax, edx
    jae .no
    clc
    ret
.no:
    stc
    ret

; mem_scratch: room for ECX bytes at the top of the highest usable region
; below 4 GiB, for the kernel file while it is parsed.
;   in: ECX = bytes; out: EAX = address (page aligned); clobbers: EDX, ESI
mem_scratch:
    push ebx
    push edi
    add ecx, PAGE_MASK
    jc .none
    and ecx, ~PAGE_MASK
    xor ebx, ebx                    ; best address so far
    mov esi, CLEAN_ADDR
    mov edi, [clean_count]
.loop:
    test edi, edi
    jz .done
    call clean_region
    jc .next
    sub edx, ecx
    jb .next
    cmp edx, eax
    jb .next
    cmp edx, ebx
    jbe .next
    mov ebx, edx
.next:
    add esi, RANGE_SIZE
    dec edi
    jmp .loop
.done:
    test ebx, ebx
    jz .none
    mov eax, ebx
    mov [scratch_addr], eax
    add ebx, ecx
    mov [scratch_end], ebx
    pop edi
    pop ebx
    ret
.none:
    FAIL "mem: error, no room below 4 GiB to read the kernel file"

; mem_place: the lowest 2 MiB aligned place above 1 MiB for ECX bytes that
; does not touch the scratch area; the allocator continues after it.
;   in: ECX = bytes; out: EAX = address; clobbers: EDX, ESI
mem_place:
    push ebx
    push edi
    add ecx, PAGE_MASK
    and ecx, ~PAGE_MASK
    mov esi, CLEAN_ADDR
    mov edi, [clean_count]
.loop:
    test edi, edi
    jz .none
    call clean_region
    jc .next
    mov [alloc_end], edx
    cmp edx, [scratch_end]          ; the scratch sits at the top of its region
    jne .aligned
    mov edx, [scratch_addr]
.aligned:
    add eax, ALIGN_2M - 1
    jc .next
    and eax, ~(ALIGN_2M - 1)
    mov ebx, eax
    add ebx, ecx
    jc .next
    cmp ebx, edx
    ja .next
    mov [alloc_ptr], ebx
    pop edi
    pop ebx
    ret
.next:
    add esi, RANGE_SIZE
    dec edi
    jmp .loop
.none:
    FAIL "mem: error, no 2 MiB aligned room for the kernel image"

; mem_alloc: ECX bytes, page aligned, after the kernel (and what followed).
;   in: ECX = bytes; out: EAX = address, CF = 1 when it does not fit
;   clobbers: nothing else
mem_alloc:
    push ebx
    mov eax, [alloc_ptr]
    add eax, PAGE_MASK
    and eax, ~PAGE_MASK
    mov ebx, eax
    add ebx, ecx
    jc .no
    cmp ebx, [alloc_end]
    ja .no
    add ebx, PAGE_MASK
    and ebx, ~PAGE_MASK
    mov [alloc_ptr], ebx
    pop ebx
    clc
    ret
.no:
    pop ebx
    stc
    ret

; mmap_build: the final memory map in the boot info: the clean map with the
; loader's ranges carved out (higher type wins in the sweep):
;   LOADER_RECLAIM  low memory stage2 used (stack, code, buffers, boot info)
;                   and the page tables;
;   KERNEL          the kernel image; MODULE each module;
;   FRAMEBUFFER     the linear framebuffer, only when it lies in usable RAM.
; Then the sweep; then entries become (base, length, type).
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
mmap_build:
    mov esi, CLEAN_ADDR             ; start from the clean map
    mov edi, RANGES_ADDR
    mov ecx, [clean_count]
    mov [range_count], ecx
    imul ecx, ecx, RANGE_SIZE
    call mem_copy
    mov eax, LOW_RECLAIM_START
    mov ebx, LOW_RECLAIM_END
    mov edx, BOOTINFO_MEM_LOADER_RECLAIM
    call range_add3
    mov eax, [kernel_phys]
    mov ebx, eax
    add ebx, [BI(BI_KERNEL_SIZE)]
    mov edx, BOOTINFO_MEM_KERNEL
    call range_add3
    mov eax, [pg_base]
    mov ebx, [pg_count]
    shl ebx, 12
    add ebx, eax
    mov edx, BOOTINFO_MEM_LOADER_RECLAIM
    call range_add3
    call mmap_modules
    call mmap_framebuffer
    mov edi, MMAP_ADDR
    mov ecx, MMAP_MAX
    call mmap_sweep
    mov [BI(BI_MMAP_COUNT)], eax
    mov ecx, eax                    ; end -> length
    mov esi, MMAP_ADDR
.len:
    jecxz .print
    call range_len
    mov [esi + MMAP_LENGTH], eax
    mov [esi + MMAP_LENGTH + 4], edx
    add esi, BI_MMAP_ENTRY_SIZEOF
    dec ecx
    jmp .len
.print:
    call line_start
    SAY "mmap: "
    mov eax, [BI(BI_MMAP_COUNT)]
    call line_dec
    SAY " entries, kernel, modules, page tables and boot info carved out"
    call line_end
    STEP "mmap"
    ret
%if RANGE_SIZE != BI_MMAP_ENTRY_SIZEOF || RANGE_BASE != MMAP_BASE || RANGE_TYPE != MMAP_TYPE
%error "mmap.asm: a range no longer has the shape of a bootinfo_mmap_entry"
%endif

; mmap_modules: a MODULE range per module (page-rounded). clobbers: EAX, EBX, ECX, EDX, ESI
mmap_modules:
    mov ecx, [BI(BI_MODULE_COUNT)]
    mov esi, MODULES_ADDR
.loop:
    jecxz .done
    mov eax, [esi + MODULE_ADDR]
    mov ebx, [esi + MODULE_SIZE]
    add ebx, PAGE_MASK
    and ebx, ~PAGE_MASK
    add ebx, eax
    mov edx, BOOTINFO_MEM_MODULE
    cmp eax, ebx
    je .next                        ; empty file
    call range_add3
.next:
    add esi, BI_MODULE_SIZEOF
    dec ecx
    jmp .loop
.done:
    ret

; mmap_framebuffer: a FRAMEBUFFER range when the LFB lies inside one usable
; clean range (on most machines it is in a device hole and stays out).
;   clobbers: EAX, EBX, ECX, EDX, ESI
mmap_framebuffer:
    cmp byte [BI(BI_FB_TYPE)], BOOTINFO_FB_RGB
    jne .out
    mov eax, [BI(BI_FB_PITCH)]
    mul dword [BI(BI_FB_HEIGHT)]
    test edx, edx
    jnz .out
    add eax, PAGE_MASK
    and eax, ~PAGE_MASK
    mov ebx, [BI(BI_FB_ADDR)]
    add ebx, eax
    jc .out
    mov eax, [BI(BI_FB_ADDR)]       ; EAX..EBX
    mov esi, CLEAN_ADDR
    mov ecx, [clean_count]
.loop:
    jecxz .out
    cmp dword [esi + RANGE_TYPE], BOOTINFO_MEM_USABLE
    jne .next
    cmp dword [esi + RANGE_BASE + 4], 0
    jne .next
    cmp eax, [esi + RANGE_BASE]
    jb .next
    cmp dword [esi + RANGE_END + 4], 0
    jne .inside
    cmp ebx, [esi + RANGE_END]
    ja .next
.inside:
    mov edx, BOOTINFO_MEM_FRAMEBUFFER
    jmp range_add3
.next:
    add esi, RANGE_SIZE
    dec ecx
    jmp .loop
.out:
    ret
