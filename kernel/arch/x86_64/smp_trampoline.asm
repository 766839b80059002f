; smp_trampoline.asm - the first code an application processor runs: from
; real mode through protected mode to long mode, then a jump into the
; kernel (docs/smp.md walks it step by step).
;
; smp.c copies the bytes from smp_trampoline_start to smp_trampoline_end
; to a page below 1 MiB (mm_low_page), fills the parameter block at its
; end (found through the smp_tramp_* labels, so C holds no offset copied
; by hand), maps the page at its own physical address for the moment
; paging comes on, and names the page in the start-up IPI: the AP starts
; in real mode at CS = page >> 4, IP = 0 (Intel SDM vol. 3A, 8.4.4.1).
;
;
; Its first act is the claim (docs/smp.md, "the handshake"): smp.c opens
; the block for one APIC id (smp_tramp_ticket = id + 1); the AP reads its
; own id with CPUID and swaps the ticket to TICKET_ALIVE with one locked
; cmpxchg. Only an AP that wins reads its stack and percpu from the block;
; one that finds the ticket closed (the boot CPU gave up on it) or opened
; for another CPU parks for good (docs/smp.md, "parked"): its stack and
; vector table are in this page, which is never freed, so even an NMI
; keeps it here; it writes only this page (its bit in smp_tramp_parked,
; smp_tramp_park_traps). So a late AP is either in, or out and harmless.
;
; The code finds its own physical address from CS and writes it into the
; GDT pointer and the two far pointers below before it leaves real mode:
; the page can be anywhere below 1 MiB. Once paging is on, it only reads
; the page (mapped read-only and executable). One AP at a time runs here:
; smp.c waits for each before it fills the block for the next.

CR0_PE          equ 1 << 0          ; SDM vol. 3A 2.5: protection enable
CR4_PAE         equ 1 << 5          ; SDM vol. 3A 2.5: physical address extension (long mode needs it)
MSR_EFER        equ 0xC0000080      ; SDM vol. 4 table 2-2: IA32_EFER (LME, NXE, SCE)
CPUID_TOPOLOGY  equ 0x0B            ; SDM vol. 2A CPUID: EDX = x2APIC id (EBX = 0 when absent)
CPUID_FEATURES  equ 0x01            ; SDM vol. 2A CPUID: EBX[31:24] = initial APIC id
TICKET_ALIVE    equ 0xFFFFFFFF      ; the AP took the block (smp.c only compares with id + 1)

; The trampoline's own GDT (SDM vol. 3A 3.4.5); the AP loads the kernel's
; per-CPU GDT in C (gdt_init_cpu).
SEL_CODE32      equ 0x08
SEL_DATA        equ 0x10
SEL_CODE64      equ 0x18
DESC_CODE32     equ 0x00CF9A000000FFFF  ; base 0, 4 GiB, present, ring 0, code, D=1
DESC_DATA       equ 0x00CF92000000FFFF  ; base 0, 4 GiB, present, ring 0, data, writable
DESC_CODE64     equ 0x00AF9A000000FFFF  ; present, ring 0, code, L=1

; offset of a label from the page's start (the code runs at offset 0 of its page)
%define OFF(label) ((label) - smp_trampoline_start)

global smp_trampoline_start, smp_trampoline_end
global smp_tramp_cr3, smp_tramp_efer, smp_tramp_cr0, smp_tramp_stack, smp_tramp_entry, smp_tramp_arg
global smp_tramp_ticket, smp_tramp_late_id, smp_tramp_late_tsc
global smp_tramp_park_idtr, smp_tramp_park_ivt, smp_tramp_park_ivt_end, smp_tramp_park_trap
global smp_tramp_parked, smp_tramp_parked_end, smp_tramp_park_traps

section .rodata align=16

; ---------------------------------------------------------------------------
; Real mode. In: CS = the page's paragraph, IP = 0 (the start-up IPI).
; Out: the block claimed, protected mode, 32-bit code, EBX = the page's
; physical address; or parked for good (SS:SP and IDTR then point into
; the page). Clobbers EAX, ECX, EDX, ESI, EDI.
bits 16
smp_trampoline_start:
    cli
    cld
    mov ax, cs
    mov ds, ax
    xor eax, eax
    cpuid                                   ; EAX = the highest basic leaf
    cmp eax, CPUID_TOPOLOGY
    jb .initial_id
    mov eax, CPUID_TOPOLOGY
    xor ecx, ecx
    cpuid
    test ebx, ebx
    jz .initial_id
    mov esi, edx                            ; the x2APIC id
    jmp .late
.initial_id:
    mov eax, CPUID_FEATURES
    cpuid
    shr ebx, 24
    mov esi, ebx
.late:                                      ; tests only: one AP answers late (smp_delay_ap=)
    lea eax, [esi + 1]
    cmp eax, [OFF(smp_tramp_late_id)]
    jne .claim
    rdtsc
    mov ecx, eax
    mov edi, edx                            ; EDI:ECX = the start
.late_wait:
    pause
    rdtsc
    sub eax, ecx
    sbb edx, edi                            ; EDX:EAX = ticks waited
    cmp edx, [OFF(smp_tramp_late_tsc) + 4]
    jb .late_wait
    ja .claim
    cmp eax, [OFF(smp_tramp_late_tsc)]
    jb .late_wait
.claim:                                     ; ticket: id + 1 -> TICKET_ALIVE, or park
    lea eax, [esi + 1]
    mov edx, TICKET_ALIVE
    lock cmpxchg [OFF(smp_tramp_ticket)], edx
    jne .park
    mov ax, cs
    movzx ebx, ax
    shl ebx, 4                              ; EBX = the page's physical address
    lea eax, [ebx + OFF(gdt)]
    mov [OFF(gdtr) + 2], eax
    lea eax, [ebx + OFF(protected32)]
    mov [OFF(protected32_ptr)], eax
    lea eax, [ebx + OFF(long64)]
    mov [OFF(long64_ptr)], eax
    o32 lgdt [OFF(gdtr)]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    jmp dword far [OFF(protected32_ptr)]    ; loads CS from the new GDT
.park:                                      ; not ours: park for good (docs/smp.md)
    mov ax, cs
    mov ss, ax
    mov sp, OFF(park_stack_top)             ; an NMI pushes its frame here, not at 0:0
    o32 lidt [OFF(smp_tramp_park_idtr)]     ; and vectors through smp_tramp_park_ivt
    cmp esi, (smp_tramp_parked_end - smp_tramp_parked) * 8
    jae park_halt                           ; an APIC id the map has no bit for
    lock bts dword [OFF(smp_tramp_parked)], esi
park_halt:
    cli
    hlt
    jmp park_halt

; Every vector of the parked AP's table (smp.c fills it): an NMI, say.
; Counted, then back to the halt without IRET, so later NMIs stay blocked.
smp_tramp_park_trap:
    lock inc dword [cs:OFF(smp_tramp_park_traps)]
    jmp park_halt

; ---------------------------------------------------------------------------
; Protected mode. In: EBX = the page. Loads PAE, the kernel's CR3, EFER
; (LME and the boot CPU's NXE, SCE), then CR0 as the boot CPU has it (PG
; on: IA-32e compatibility mode). Out: 64-bit code at long64.
; Clobbers EAX, ECX, EDX.
bits 32
protected32:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, CR4_PAE
    mov cr4, eax
    mov eax, [ebx + OFF(smp_tramp_cr3)]
    mov cr3, eax
    mov ecx, MSR_EFER
    mov eax, [ebx + OFF(smp_tramp_efer)]
    xor edx, edx
    wrmsr
    mov eax, [ebx + OFF(smp_tramp_cr0)]
    mov cr0, eax                            ; paging on: this page is mapped at VA = PA
    jmp far [ebx + OFF(long64_ptr)]

; ---------------------------------------------------------------------------
; Long mode. In: EBX = the page. Switches to the AP's kernel stack and
; jumps to the entry point with its argument in RDI, as if called (a zero
; return address, RBP = 0: backtraces end there). Does not come back.
bits 64
long64:
    mov ebx, ebx                            ; the upper halves are undefined after the switch
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, [rbx + OFF(smp_tramp_stack)]
    mov rdi, [rbx + OFF(smp_tramp_arg)]
    mov rax, [rbx + OFF(smp_tramp_entry)]
    xor ebp, ebp
    push rbp
    jmp rax

; ---------------------------------------------------------------------------
align 8
gdt:
    dq 0
    dq DESC_CODE32
    dq DESC_DATA
    dq DESC_CODE64
gdt_end:

gdtr:
    dw gdt_end - gdt - 1
    dd 0                                    ; base: written in real mode

protected32_ptr:                            ; m16:32 far pointers, offsets written in real mode
    dd 0
    dw SEL_CODE32
long64_ptr:
    dd 0
    dw SEL_CODE64

; The parameter block smp.c fills for each AP.
align 8
smp_tramp_cr3:      dq 0                    ; the kernel's PML4 (below 4 GiB: loaded from 32-bit code)
smp_tramp_efer:     dq 0                    ; IA32_EFER: LME and what the boot CPU has of NXE, SCE
smp_tramp_cr0:      dq 0                    ; the boot CPU's CR0 (PG, WP, NE...)
smp_tramp_stack:    dq 0                    ; top of the AP's kernel stack
smp_tramp_entry:    dq 0                    ; the C entry point (smp.c)
smp_tramp_arg:      dq 0                    ; its argument: the AP's struct percpu
smp_tramp_ticket:   dq 0                    ; low dword: APIC id + 1 while open for it, 0 closed, TICKET_ALIVE taken
smp_tramp_late_id:  dq 0                    ; tests: APIC id + 1 of the AP that waits before its claim, 0 none
smp_tramp_late_tsc: dq 0                    ; tests: how long, in TSC ticks
; The parked APs' (the .park path): all written at run time in the page's copy.
smp_tramp_park_idtr: dq 0                   ; real-mode IDTR: limit (16 bits), base (32 bits), smp.c
smp_tramp_park_traps: dq 0                  ; low dword: vectors the parked APs took (NMIs)
smp_tramp_parked:   times 32 db 0           ; bit N: the CPU with APIC id N parked here
smp_tramp_parked_end:
smp_tramp_park_ivt: times 32 dd 0           ; vectors 0-31, each CS:smp_tramp_park_trap, smp.c
smp_tramp_park_ivt_end:
park_stack:         times 16 db 0           ; the parked APs' stack (an NMI's frame; never popped)
park_stack_top:
smp_trampoline_end:
