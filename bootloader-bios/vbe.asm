; vbe.asm - choose a VBE linear framebuffer mode (VBE 2.0+), set it late.
;
; vbe_choose runs after the configuration is read: INT 10h AX=4F00h gives
; the controller info and its mode list; AX=4F01h describes each mode. A
; candidate is a supported graphics mode with a linear framebuffer and
; direct colour at 15, 16, 24 or 32 bits per pixel. The one closest to
; video=WxHxBPP wins (|dW| + |dH| + 16 |dBPP|). bootinfo.fb is filled from
; its mode info. vbe_set (called just before long mode, so almost every
; line still reaches the screen) sets it with AX=4F02h, LFB bit on. Without
; video=, without VBE 2.0 or without a candidate: VGA text mode 80x25.

VBE_INFO_FN     equ 0x4F00          ; VBE: return controller information
VBE_MODE_FN     equ 0x4F01          ; VBE: return mode information
VBE_SET_FN      equ 0x4F02          ; VBE: set mode
VBE_OK          equ 0x004F          ; AX on success
VBE_SET_LFB     equ 0x4000          ; 4F02h BX bit 14: use the linear framebuffer
VBE_V2          equ 0x0200
VBI_SIGNATURE   equ 0               ; "VESA" (we write "VBE2" to ask for 2.0 data)
VBI_VERSION     equ 4
VBI_MODES       equ 14              ; far pointer: offset, segment
VBE_MODES_MAX   equ 256
MI_ATTR         equ 0x00            ; mode attributes
MI_ATTR_OK      equ 0x0001          ; bit 0: supported by the hardware
MI_ATTR_GFX     equ 0x0010          ; bit 4: graphics mode
MI_ATTR_LFB     equ 0x0080          ; bit 7: linear framebuffer available
MI_PITCH        equ 0x10            ; u16 bytes per scan line
MI_WIDTH        equ 0x12
MI_HEIGHT       equ 0x14
MI_BPP          equ 0x19
MI_MODEL        equ 0x1B            ; memory model: 6 = direct colour
MI_RED_SIZE     equ 0x1F            ; then red pos, green size/pos, blue size/pos
MI_LFB          equ 0x28            ; u32 physical address
MI_LIN_PITCH    equ 0x32            ; u16 (VBE 3.0): bytes per line in LFB modes
MODEL_DIRECT    equ 6
VGA_TEXT_ADDR   equ 0xB8000
VGA_TEXT_COLS   equ 80
VGA_TEXT_ROWS   equ 25

section .data
vbe_mode:       dw 0xFFFF           ; chosen mode, 0xFFFF = text
vbe_version:    dw 0
vbe_best:       dd 0xFFFFFFFF       ; its score
section .text

; vbe_choose: pick the mode; fill bootinfo.fb; print the vbe line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
vbe_choose:
    cmp dword [cfg_video_w], 0
    je .text
    mov dword [VBE_INFO + VBI_SIGNATURE], 'VBE2'
    mov ax, VBE_INFO_FN
    mov di, VBE_INFO
    call vbe_int
    jne .text
    cmp dword [VBE_INFO + VBI_SIGNATURE], 'VESA'
    jne .text
    mov ax, [VBE_INFO + VBI_VERSION]
    mov [vbe_version], ax
    cmp ax, VBE_V2
    jb .text
    movzx esi, word [VBE_INFO + VBI_MODES + 2]
    shl esi, 4
    movzx eax, word [VBE_INFO + VBI_MODES]
    add esi, eax
    mov ebx, VBE_MODES_MAX
.mode:
    mov cx, [esi]
    cmp cx, 0xFFFF
    je .chosen
    call vbe_consider
    add esi, 2
    dec ebx
    jnz .mode
.chosen:
    cmp word [vbe_mode], 0xFFFF
    je .text
    mov cx, [vbe_mode]
    call vbe_mode_info
    call vbe_fill_fb
    call line_start
    SAY "vbe: mode "
    movzx eax, word [vbe_mode]
    mov cl, 4
    call line_hex
    SAY ", "
    mov eax, [BI(BI_FB_WIDTH)]
    call line_dec
    mov al, 'x'
    call line_char
    mov eax, [BI(BI_FB_HEIGHT)]
    call line_dec
    mov al, 'x'
    call line_char
    movzx eax, byte [BI(BI_FB_BPP)]
    call line_dec
    SAY ", framebuffer "
    mov eax, [BI(BI_FB_ADDR)]
    mov cl, 8
    call line_hex
    SAY " (asked "
    call line_video
    SAY ")"
    jmp .done
.text:
    call line_start
    SAY "vbe: VGA text mode 80x25"
    cmp dword [cfg_video_w], 0
    je .done
    SAY " (no linear mode for "
    call line_video
    SAY ")"
.done:
    call line_end
    STEP "vbe"
    ret

; vbe_int: INT 10h with ES = 0, registers saved, unreal mode restored.
;   in: AX, BX, CX, DI as the function wants; out: ZF = 1 when AX = 004Fh
;   clobbers: nothing
vbe_int:
    pushad
    push es
    push ds
    int BIOS_VIDEO
    pop ds
    pop es
    mov [.ax], ax
    popad
    call unreal_enter
    cmp word [.ax], VBE_OK
    ret
section .data
.ax: dw 0
section .text

; vbe_mode_info: AX=4F01h for mode CX into VBE_MODE_INFO.
;   out: ZF = 1 on success; clobbers: nothing
vbe_mode_info:
    push ax
    push di
    mov ax, VBE_MODE_FN
    mov di, VBE_MODE_INFO
    call vbe_int
    pop di
    pop ax
    ret

; vbe_consider: score mode CX; keep it when it beats the best so far.
;   clobbers: EAX, ECX, EDX, EDI
vbe_consider:
    call vbe_mode_info
    jne .no
    mov ax, [VBE_MODE_INFO + MI_ATTR]
    and ax, MI_ATTR_OK | MI_ATTR_GFX | MI_ATTR_LFB
    cmp ax, MI_ATTR_OK | MI_ATTR_GFX | MI_ATTR_LFB
    jne .no
    cmp byte [VBE_MODE_INFO + MI_MODEL], MODEL_DIRECT
    jne .no
    cmp dword [VBE_MODE_INFO + MI_LFB], 0
    je .no
    movzx eax, byte [VBE_MODE_INFO + MI_BPP]
    cmp al, 15
    jb .no
    sub eax, [cfg_video_bpp]
    call .abs
    shl eax, 4
    mov edi, eax
    movzx eax, word [VBE_MODE_INFO + MI_WIDTH]
    sub eax, [cfg_video_w]
    call .abs
    add edi, eax
    movzx eax, word [VBE_MODE_INFO + MI_HEIGHT]
    sub eax, [cfg_video_h]
    call .abs
    add edi, eax
    cmp edi, [vbe_best]
    jae .no
    mov [vbe_best], edi
    mov [vbe_mode], cx
.no:
    ret
.abs:
    test eax, eax
    jns .pos
    neg eax
.pos:
    ret

; vbe_fill_fb: bootinfo.fb from VBE_MODE_INFO. clobbers: EAX
vbe_fill_fb:
    mov eax, [VBE_MODE_INFO + MI_LFB]
    mov [BI(BI_FB_ADDR)], eax
    movzx eax, word [VBE_MODE_INFO + MI_WIDTH]
    mov [BI(BI_FB_WIDTH)], eax
    movzx eax, word [VBE_MODE_INFO + MI_HEIGHT]
    mov [BI(BI_FB_HEIGHT)], eax
    movzx eax, word [VBE_MODE_INFO + MI_PITCH]
    cmp word [vbe_version], 0x0300
    jb .pitch
    movzx eax, word [VBE_MODE_INFO + MI_LIN_PITCH]
.pitch:
    mov [BI(BI_FB_PITCH)], eax
    mov al, [VBE_MODE_INFO + MI_BPP]
    mov [BI(BI_FB_BPP)], al
    mov byte [BI(BI_FB_TYPE)], BOOTINFO_FB_RGB
    mov al, [VBE_MODE_INFO + MI_RED_SIZE]
    mov [BI(BI_FB_RED_SIZE)], al
    mov al, [VBE_MODE_INFO + MI_RED_SIZE + 1]
    mov [BI(BI_FB_RED_POS)], al
    mov al, [VBE_MODE_INFO + MI_RED_SIZE + 2]
    mov [BI(BI_FB_GREEN_SIZE)], al
    mov al, [VBE_MODE_INFO + MI_RED_SIZE + 3]
    mov [BI(BI_FB_GREEN_POS)], al
    mov al, [VBE_MODE_INFO + MI_RED_SIZE + 4]
    mov [BI(BI_FB_BLUE_SIZE)], al
    mov al, [VBE_MODE_INFO + MI_RED_SIZE + 5]
    mov [BI(BI_FB_BLUE_POS)], al
    ret

; vbe_set: set the chosen mode (if any). On failure, go back to the text
; description and say so (on COM1 and in the log; the screen is text).
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
vbe_set:
    cmp word [vbe_mode], 0xFFFF
    je .out
    mov byte [screen_on], 0
    mov ax, VBE_SET_FN
    mov bx, [vbe_mode]
    or bx, VBE_SET_LFB
    call vbe_int
    je .out
    mov byte [screen_on], 1
    call vbe_fb_text
    call line_start
    SAY "vbe: setting the mode failed, staying in VGA text mode"
    call line_end
.out:
    ret

; vbe_fb_text: describe VGA text mode 80x25 in bootinfo.fb (no channels).
;   clobbers: ECX, EDI
vbe_fb_text:
    mov dword [BI(BI_FB_ADDR)], VGA_TEXT_ADDR
    mov dword [BI(BI_FB_ADDR + 4)], 0
    mov dword [BI(BI_FB_WIDTH)], VGA_TEXT_COLS
    mov dword [BI(BI_FB_HEIGHT)], VGA_TEXT_ROWS
    mov dword [BI(BI_FB_PITCH)], VGA_TEXT_COLS * 2
    mov byte [BI(BI_FB_BPP)], 16     ; character + attribute
    mov byte [BI(BI_FB_TYPE)], BOOTINFO_FB_VGA_TEXT
    mov edi, BI_ADDR + BI_FB_RED_POS
    mov ecx, 8
    jmp mem_zero
