; a20.asm - enable the A20 line, by the book.
;
; With A20 off, address bit 20 is forced to 0 and 0x100000 aliases 0. QEMU
; always has A20 on, so only the check runs there; the methods below run on
; real machines, each followed by the check:
;   1. INT 15h AX=2401h (PS/2 BIOS "enable A20 gate");
;   2. the 8042 keyboard controller: command D1h "write output port", data
;      DFh (bit 1 = A20 on);
;   3. "fast A20": port 92h bit 1 (System Control Port A).

BIOS_SYSTEM     equ 0x15            ; INT 15h
A20_BIOS_ON     equ 0x2401          ; INT 15h AX=2401h: enable A20 gate
KBC_DATA        equ 0x60            ; 8042 data port
KBC_CMD         equ 0x64            ; 8042 command/status port
KBC_STATUS_IBF  equ 0x02            ; status bit 1: input buffer full
KBC_WRITE_OUT   equ 0xD1            ; command: write output port
KBC_OUT_A20     equ 0xDF            ; output port: A20 on, no reset, keyboard on
PORT_SYS_A      equ 0x92            ; System Control Port A
SYS_A_A20       equ 0x02            ; bit 1: A20
SYS_A_RESET     equ 0x01            ; bit 0: fast reset (never set it)
A20_WAIT        equ 0x10000         ; polls before giving up on the 8042

; a20_enable: make sure A20 is on; print the a20 line, or halt.
;   clobbers: EAX, EBX, ECX, EDX, ESI
a20_enable:
    call line_start
    SAY "a20: on"
    call a20_check
    jnc .already
    pushad                          ; 1. the BIOS
    mov ax, A20_BIOS_ON
    int BIOS_SYSTEM
    popad
    call unreal_enter
    call a20_check
    jnc .bios
    call a20_kbc                    ; 2. the keyboard controller
    call a20_check
    jnc .kbc
    in al, PORT_SYS_A               ; 3. fast A20
    test al, SYS_A_A20
    jnz .fail
    or al, SYS_A_A20
    and al, ~SYS_A_RESET
    out PORT_SYS_A, al
    call a20_check
    jnc .fast
.fail:
    FAIL "a20: error, the A20 line cannot be enabled"
.already:
    SAY " (already enabled)"
    jmp .done
.bios:
    SAY " (INT 15h AX=2401h)"
    jmp .done
.kbc:
    SAY " (keyboard controller)"
    jmp .done
.fast:
    SAY " (port 92h)"
.done:
    call line_end
    STEP "a20"
    ret

; a20_check: is A20 on? Compares 0000:A20_TEST_LO with FFFF:A20_TEST_HI_OFF,
; the same byte when A20 is off (0xFFFF0 + 0x550 = 0x100540).
;   out: CF = 0 when on; clobbers: nothing
a20_check:
    pushad
    push fs
    push gs
    xor ax, ax
    mov fs, ax
    dec ax
    mov gs, ax                      ; 0xFFFF
    mov ecx, 0x100                  ; the 8042 may take a while: retry
.again:
    mov bl, [fs:A20_TEST_LO]
    mov bh, [gs:A20_TEST_HI_OFF]
    mov byte [fs:A20_TEST_LO], 0x00
    mov byte [gs:A20_TEST_HI_OFF], 0xFF
    mov al, [fs:A20_TEST_LO]
    mov [gs:A20_TEST_HI_OFF], bh
    mov [fs:A20_TEST_LO], bl
    cmp al, 0xFF
    jne .on
    loop .again, ecx
    stc
    jmp .out
.on:
    clc
.out:
    pop gs
    pop fs
    popad
    ret

; a20_kbc: ask the 8042 to switch A20 on (command D1h, data DFh).
;   clobbers: nothing
a20_kbc:
    pushad
    cli
    call .wait
    mov al, KBC_WRITE_OUT
    out KBC_CMD, al
    call .wait
    mov al, KBC_OUT_A20
    out KBC_DATA, al
    call .wait
    sti
    popad
    ret
.wait:                              ; until the input buffer is empty (bounded)
    mov ecx, A20_WAIT
.poll:
    in al, KBC_CMD
    test al, KBC_STATUS_IBF
    jz .ready
    loop .poll, ecx
.ready:
    ret
