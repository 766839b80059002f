; print.asm - one line at a time to the screen, COM1 and the loader log.
;
; A step builds its line with line_start (which writes "stage2: "), then
; line_str / line_char / line_dec / line_hex, and ends it with line_end,
; which sends it to
;   - the screen through INT 10h AH=0Eh teletype (until a VBE mode is set),
;   - COM1, a 16550 UART programmed for 115200 8N1 (serial_init),
;   - the loader log in the boot info (bootinfo.loader_log), so the kernel
;     can show every line on a framebuffer the loader could not write on.
; die ends the line and halts for good: cli; hlt in a loop.

BIOS_VIDEO      equ 0x10            ; INT 10h: video services
VIDEO_TELETYPE  equ 0x0E            ; INT 10h AH=0Eh: teletype output
VIDEO_ATTR      equ 0x0007          ; BH = page 0, BL = light grey

COM1            equ 0x3F8           ; PC COM1 base port
UART_THR        equ 0               ; transmit holding register (DLAB = 0)
UART_DLL        equ 0               ; divisor latch low (DLAB = 1)
UART_DLM        equ 1               ; divisor latch high (DLAB = 1)
UART_IER        equ 1               ; interrupt enable
UART_FCR        equ 2               ; FIFO control
UART_LCR        equ 3               ; line control
UART_MCR        equ 4               ; modem control
UART_LSR        equ 5               ; line status
UART_LCR_DLAB   equ 0x80            ; 16550 datasheet: divisor latch access
UART_LCR_8N1    equ 0x03            ; 8 data bits, no parity, 1 stop bit
UART_DIV_115200 equ 1               ; 1.8432 MHz / (16 * 115200)
UART_FCR_ON     equ 0xC7            ; enable and clear FIFOs, 14-byte trigger
UART_MCR_ON     equ 0x03            ; DTR, RTS
UART_LSR_THRE   equ 0x20            ; transmit holding register empty

LINE_MAX        equ 200             ; characters in one line

section .data
screen_on:  db 1                    ; 0 once a VBE graphics mode is set
line_len:   dw 0
log_ptr:    dd LOG_ADDR
line_buf:   times LINE_MAX db 0
section .text

; serial_init: program COM1 for 115200 8N1, FIFOs on, no interrupts.
;   clobbers: AX, DX
serial_init:
    mov dx, COM1 + UART_IER
    xor al, al
    out dx, al
    mov dx, COM1 + UART_LCR
    mov al, UART_LCR_DLAB
    out dx, al
    mov dx, COM1 + UART_DLL
    mov al, UART_DIV_115200
    out dx, al
    mov dx, COM1 + UART_DLM
    xor al, al
    out dx, al
    mov dx, COM1 + UART_LCR
    mov al, UART_LCR_8N1
    out dx, al
    mov dx, COM1 + UART_FCR
    mov al, UART_FCR_ON
    out dx, al
    mov dx, COM1 + UART_MCR
    mov al, UART_MCR_ON
    out dx, al
    ret

; out_char: send AL to the screen (while in text mode) and COM1.
;   clobbers: nothing
out_char:
    pushad
    cmp byte [screen_on], 0
    je .serial
    push ax
    mov ah, VIDEO_TELETYPE
    mov bx, VIDEO_ATTR
    int BIOS_VIDEO
    pop ax
.serial:
    mov bl, al
    mov dx, COM1 + UART_LSR
    mov ecx, 0x100000               ; bounded: a missing UART must not hang us
.wait:
    in al, dx
    test al, UART_LSR_THRE
    jnz .send
    loop .wait, ecx
.send:
    mov al, bl
    mov dx, COM1 + UART_THR
    out dx, al
    popad
    ret

; log_char: append AL to the loader log (kept NUL-terminated).
;   clobbers: nothing
log_char:
    push edi
    mov edi, [log_ptr]
    cmp edi, LOG_END - 1
    jae .full
    mov [edi], al
    mov byte [edi + 1], 0
    inc edi
    mov [log_ptr], edi
    sub edi, LOG_ADDR
    mov [BI(BI_LOADER_LOG_LEN)], edi
.full:
    pop edi
    ret

; line_start: begin a new line with "stage2: ".
;   clobbers: nothing
line_start:
    mov word [line_len], 0
    push esi
    STR "stage2: "
    call line_str
    pop esi
    ret

; line_char: append AL to the line (silently cut at LINE_MAX).
;   clobbers: nothing
line_char:
    push bx
    mov bx, [line_len]
    cmp bx, LINE_MAX
    jae .full
    mov [line_buf + bx], al
    inc word [line_len]
.full:
    pop bx
    ret

; line_str: append the NUL-terminated string at ESI.
;   clobbers: nothing
line_str:
    push esi
    push ax
.loop:
    mov al, [esi]
    test al, al
    jz .end
    call line_char
    inc esi
    jmp .loop
.end:
    pop ax
    pop esi
    ret

; line_dec: append EAX in decimal.
;   clobbers: nothing
line_dec:
    pushad
    mov ebx, 10
    xor cx, cx
.div:
    xor edx, edx
    div ebx
    push dx
    inc cx
    test eax, eax
    jnz .div
.put:
    pop ax
    add al, '0'
    call line_char
    loop .put
    popad
    ret

; line_hex: append EAX as "0x" and CL hex digits (1..8), lower case.
; line_hex_digits: the same without "0x".
;   clobbers: nothing
line_hex:
    push ax
    mov al, '0'
    call line_char
    mov al, 'x'
    call line_char
    pop ax
line_hex_digits:
    pushad
    movzx cx, cl
    mov bx, cx                      ; rotate the first digit to the top
    neg cl
    add cl, 8
    shl cl, 2
    shl eax, cl
    mov cx, bx
.digit:
    rol eax, 4
    push ax
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .put
    add al, 'a' - '9' - 1
.put:
    call line_char
    pop ax
    loop .digit
    popad
    ret

; line_hex64: append EDX:EAX as "0x" and 16 hex digits.
;   clobbers: nothing
line_hex64:
    push eax
    push cx
    mov eax, edx
    mov cl, 8
    call line_hex
    pop cx
    pop eax
    push cx
    mov cl, 8
    call line_hex_digits
    pop cx
    ret

; line_end: send the line to screen, COM1 and log, ended by CR LF (LF in
; the log).
;   clobbers: nothing
line_end:
    pushad
    xor bx, bx
.loop:
    cmp bx, [line_len]
    jae .eol
    mov al, [line_buf + bx]
    call out_char
    call log_char
    inc bx
    jmp .loop
.eol:
    mov al, 13
    call out_char
    mov al, 10
    call out_char
    call log_char
    mov word [line_len], 0
    call unreal_enter               ; a video BIOS may have switched modes
    popad
    ret

; die: end the line being built and stop: interrupts off, hlt forever.
; Never returns; never resets (no triple fault, no reboot loop).
die:
    call line_end
.halt:
    cli
    hlt
    jmp .halt
