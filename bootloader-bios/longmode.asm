; longmode.asm - check the CPU early; at the end, switch from real mode
; straight to long mode and jump to the kernel.
;
; The switch (Intel SDM vol. 3, 9.8.5 "Initializing IA-32e Mode"):
; interrupts off; the GDT with a 64-bit code segment; CR4.PAE; CR3 = PML4;
; EFER.LME (and NXE when the CPU has NX); CR0.PG|PE in one write, which
; activates long mode (EFER.LMA) in compatibility mode; a far jump to the
; 64-bit code segment. In 64-bit mode: data segments flat, RSP on the HHDM
; alias of the stage2 stack, RDI = HHDM address of the boot info, then a
; jump to e_entry. Nothing returns.

CPUID_EXT_MAX   equ 0x80000000      ; CPUID: highest extended leaf
CPUID_EXT_FEAT  equ 0x80000001      ; CPUID: extended features
CPUID_LM        equ 1 << 29         ; EDX bit 29: long mode
CPUID_NX        equ 1 << 20         ; EDX bit 20: execute disable
CR0_PG          equ 1 << 31
CR4_PAE         equ 1 << 5
MSR_EFER        equ 0xC0000080      ; extended feature enable register
EFER_LME        equ 1 << 8          ; long mode enable
EFER_NXE        equ 1 << 11         ; no-execute enable
HHDM_HI         equ 0xFFFF8000      ; 0xFFFF800000000000, high dword

; cpu_check: halt unless the CPU can run x86-64 code; note NX.
;   clobbers: EAX, EBX, ECX, EDX
cpu_check:
    pushfd                          ; CPUID exists when EFLAGS.ID (bit 21) toggles
    pop eax
    mov ecx, eax
    xor eax, 1 << 21
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    jz .no_lm
    mov eax, CPUID_EXT_MAX
    cpuid
    cmp eax, CPUID_EXT_FEAT
    jb .no_lm
    mov eax, CPUID_EXT_FEAT
    cpuid
    test edx, CPUID_LM
    jz .no_lm
    test edx, CPUID_NX
    jz .out
    mov dword [pg_nx], PTE_NX_HI
.out:
    ret
.no_lm:
    FAIL "cpu: error, this CPU has no long mode (x86-64)"

; longmode_enter: the last line, the video mode, the switch, the jump.
;   never returns
longmode_enter:
    call line_start
    SAY "longmode: boot info at 0xffff8000"
    mov eax, BI_ADDR
    mov cl, 8
    call line_hex_digits
    SAY ", "
    mov eax, [BI(BI_DISK_READS)]
    call line_dec
    SAY " disk reads ("
    mov eax, [BI(BI_DISK_BYTES)]
    shr eax, 10
    call line_dec
    SAY " KiB), "
    mov eax, [dcache_hits]
    call line_dec
    SAY " from the disk cache, jumping to "
    mov eax, [kernel_entry]
    mov edx, [kernel_entry + 4]
    call line_hex64
    STEP "longmode"
    call line_end
    call vbe_set
    cli
    lgdt [gdt_desc]
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, [pg_base]
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME
    cmp dword [pg_nx], 0
    je .no_nx
    or eax, EFER_NXE
.no_nx:
    wrmsr
    mov eax, cr0
    or eax, CR0_PG | CR0_PE
    mov cr0, eax
    jmp dword SEL_CODE64:long_mode_64

bits 64
; long_mode_64: the first 64-bit instruction. RDI = boot info (HHDM).
long_mode_64:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rax, HHDM_HI << 32
    lea rsp, [rax + STACK_TOP]
    lea rdi, [rax + BI_ADDR]
    mov rax, [kernel_entry]
    xor ebp, ebp
    jmp rax
bits 16
