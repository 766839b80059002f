; bootinfo.asm - the boot-info structure handed to the kernel.
;
; The structure and its strings live in the boot info area (layout.inc,
; BI_AREA, marked LOADER_RECLAIM in the memory map). Offsets come from
; build/gen/bootinfo.inc, generated from common/bootinfo.h. bi_init fills
; the header and the fields known at start; each step fills its own fields.

; bi_init: zero the boot info area and fill the header.
;   clobbers: EAX, ECX, EDX, ESI, EDI
bi_init:
    mov edi, BI_AREA
    mov ecx, BI_AREA_END - BI_AREA
    call mem_zero
    mov dword [BI(BI_MAGIC)], BOOTINFO_MAGIC & 0xFFFFFFFF
    mov dword [BI(BI_MAGIC + 4)], BOOTINFO_MAGIC >> 32
    mov word [BI(BI_VERSION_MAJOR)], BOOTINFO_MAJOR
    mov word [BI(BI_VERSION_MINOR)], BOOTINFO_MINOR
    mov dword [BI(BI_STRUCT_SIZE)], BI_SIZE
    mov dword [BI(BI_FIRMWARE)], BOOTINFO_FW_BIOS
    STR LOADER_NAME
    mov edi, BI_ADDR + BI_LOADER_NAME
    mov ecx, BOOTINFO_NAME_LEN
    call str_copy
    STR LOADER_VERSION
    mov edi, BI_ADDR + BI_LOADER_VERSION
    call str_copy
    mov dword [BI(BI_MMAP)], MMAP_ADDR
    mov dword [BI(BI_MMAP_ENTRY_SIZE)], BI_MMAP_ENTRY_SIZEOF
    mov dword [BI(BI_MODULES)], MODULES_ADDR
    mov dword [BI(BI_MODULE_ENTRY_SIZE)], BI_MODULE_SIZEOF
    mov dword [BI(BI_CMDLINE)], CMDLINE_ADDR
    mov dword [BI(BI_LOADER_LOG)], LOG_ADDR
    call vbe_fb_text
    rdtsc
    mov [BI(BI_TSC_START)], eax
    mov [BI(BI_TSC_START + 4)], edx
    ret

; step_record: stamp the end of a step in bootinfo.steps[].
;   in: ESI = step name; clobbers: EAX, EBX, ECX, EDX, EDI
step_record:
    mov ebx, [BI(BI_STEP_COUNT)]
    cmp ebx, BOOTINFO_MAX_STEPS
    jae .full
    imul ebx, ebx, BI_STEP_SIZEOF
    add ebx, BI_ADDR + BI_STEPS
    rdtsc
    mov [ebx + STEP_TSC], eax
    mov [ebx + STEP_TSC + 4], edx
    lea edi, [ebx + STEP_NAME]
    mov ecx, BOOTINFO_STEP_NAME_LEN
    call str_copy
    inc dword [BI(BI_STEP_COUNT)]
.full:
    ret
