; module.asm - load the files named by module= lines.
;
; Each goes right after the kernel (and the modules before it), 4 KiB
; aligned (mem_alloc), and is listed in bootinfo.modules: physical address,
; size, and the path as written in boot.cfg. config.asm already put the
; paths in the entries' name fields.

; modules_load: load every module; print one line each.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
modules_load:
    xor ebx, ebx
.next:
    cmp ebx, [cfg_modules]
    jae .done
    mov edi, ebx
    shl edi, 6                      ; BI_MODULE_SIZEOF
    add edi, MODULES_ADDR
    lea esi, [edi + MODULE_NAME]
    push edi
    call fat_open
    pop edi
    jc .missing
    mov [edi + MODULE_SIZE], ecx
    mov dword [edi + MODULE_SIZE + 4], 0
    push eax
    call mem_alloc
    jc .no_room
    mov [edi + MODULE_ADDR], eax
    mov dword [edi + MODULE_ADDR + 4], 0
    push edi
    mov edi, eax
    pop edx
    pop eax
    push edx
    call fat_read
    pop edi
    call line_start
    SAY "module: "
    lea esi, [edi + MODULE_NAME]
    call line_str
    SAY ", "
    mov eax, [edi + MODULE_SIZE]
    call line_dec
    SAY " bytes at "
    mov eax, [edi + MODULE_ADDR]
    mov cl, 8
    call line_hex
    call line_end
    inc ebx
    mov [BI(BI_MODULE_COUNT)], ebx
    jmp .next
.done:
    STEP "modules"
    ret
.missing:
    call line_start
    SAY "module: error, "
    call line_str
    SAY " not found"
    jmp die
.no_room:
    call line_start
    SAY "module: error, no memory for "
    call line_str
    jmp die
