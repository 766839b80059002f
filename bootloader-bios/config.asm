; config.asm - read and parse /boot/boot.cfg.
;
; Format (DESIGN.md): key=value lines, '#' starts a comment line, LF or
; CRLF endings, blanks around key and value ignored. Keys:
;   cmdline=TEXT     the kernel command line (bootinfo.cmdline)
;   video=WxHxBPP    the preferred framebuffer mode (vbe.asm)
;   module=/PATH     a file to load after the kernel (repeatable)
; Unknown keys are reported ("stage2: config: unknown key 'x' ignored") and
; skipped, and so are lines without '='. The file is read whole into
; CFG_BUF and cut into strings in place.

CFG_MAX_MODULES equ MODULES_MAX

section .data
cfg_video_w:    dd 0                ; 0: no video= line
cfg_video_h:    dd 0
cfg_video_bpp:  dd 0
cfg_modules:    dd 0                ; module= lines kept
cfg_path:       db "/boot/boot.cfg", 0
section .text

; config_load: read and parse the configuration; print the config line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
config_load:
    mov esi, cfg_path
    call fat_open
    jnc .found
    FAIL "config: /boot/boot.cfg not found"
.found:
    cmp ecx, CFG_MAX
    jbe .fits
    FAIL "config: error, /boot/boot.cfg is larger than 16 KiB"
.fits:
    mov edi, CFG_BUF
    mov byte [edi + ecx], 0
    call fat_read
    mov esi, CFG_BUF
.line:
    cmp byte [esi], 0
    je .report
    call cfg_line                   ; ESI = next line
    jmp .line
.report:
    call line_start
    SAY "config: cmdline "
    mov al, '"'
    call line_char
    mov esi, CMDLINE_ADDR
    call line_str
    call line_char
    SAY ", video "
    cmp dword [cfg_video_w], 0
    jne .video
    SAY "text"
    jmp .mods
.video:
    call line_video
.mods:
    SAY ", "
    mov eax, [cfg_modules]
    call line_dec
    SAY " module(s)"
    call line_end
    STEP "config"
    ret

; line_video: append "WxHxBPP" from EAX..; here from cfg_video_*.
;   clobbers: nothing
line_video:
    push eax
    mov eax, [cfg_video_w]
    call line_dec
    mov al, 'x'
    call line_char
    mov eax, [cfg_video_h]
    call line_dec
    mov al, 'x'
    call line_char
    mov eax, [cfg_video_bpp]
    call line_dec
    pop eax
    ret

; cfg_line: cut the line at ESI into key and value and act on it.
;   in: ESI = line start; out: ESI = next line; clobbers: EAX, EBX, ECX, EDX, EDI
cfg_line:
    mov edi, esi                    ; find the end: LF or NUL
.eol:
    mov al, [edi]
    test al, al
    jz .cut
    cmp al, 10
    je .cut
    inc edi
    jmp .eol
.cut:
    lea ebx, [edi + 1]              ; the next line
    test al, al
    jnz .term
    mov ebx, edi
.term:
    mov byte [edi], 0               ; cut; then drop a CR and trailing blanks
.rstrip:
    cmp edi, esi
    je .trimmed
    mov al, [edi - 1]
    cmp al, 13
    je .strip
    cmp al, ' '
    je .strip
    cmp al, 9
    jne .trimmed
.strip:
    dec edi
    mov byte [edi], 0
    jmp .rstrip
.trimmed:
    call cfg_skip_blanks
    mov al, [esi]
    test al, al
    jz .done                        ; empty line
    cmp al, '#'
    je .done                        ; comment
    mov edi, esi                    ; find '='
.eq:
    mov al, [edi]
    test al, al
    jz .no_eq
    cmp al, '='
    je .split
    inc edi
    jmp .eq
.split:
    mov byte [edi], 0
    push edi                        ; trim blanks before '='
.rtrim:
    cmp edi, esi
    je .key
    cmp byte [edi - 1], ' '
    je .blank
    cmp byte [edi - 1], 9
    jne .key
.blank:
    dec edi
    mov byte [edi], 0
    jmp .rtrim
.key:
    pop edi
    inc edi                         ; EDI = value
    xchg esi, edi
    call cfg_skip_blanks
    xchg esi, edi
    call cfg_key                    ; ESI = key, EDI = value
.done:
    mov esi, ebx
    ret
.no_eq:
    call line_start
    SAY "config: line without '=' ignored: "
    call line_str
    call line_end
    jmp .done

; cfg_skip_blanks: advance ESI over spaces and tabs. clobbers: nothing
cfg_skip_blanks:
    cmp byte [esi], ' '
    je .skip
    cmp byte [esi], 9
    jne .out
.skip:
    inc esi
    jmp cfg_skip_blanks
.out:
    ret

; cfg_key: act on one key (ESI) and value (EDI).
;   clobbers: EAX, ECX, EDX
cfg_key:
    push ebx
    push esi
    push edi
    mov [.key], esi
    mov [.value], edi
    STR "cmdline"
    call .is_key
    je .cmdline
    STR "video"
    call .is_key
    je .video
    STR "module"
    call .is_key
    je .module
    call line_start
    SAY "config: unknown key '"
    mov esi, [.key]
    call line_str
    SAY "' ignored"
    call line_end
    jmp .out
.is_key:                            ; ZF = the key is the string at ESI
    mov ebx, esi
    mov esi, [.key]
    mov edi, [.value]
    jmp str_eq
section .data
.key:   dd 0
.value: dd 0
section .text
.cmdline:
    mov esi, edi
    mov edi, CMDLINE_ADDR
    mov ecx, CMDLINE_MAX + 1
    call str_copy
    mov [BI(BI_CMDLINE_LEN)], eax
    jmp .out
.video:
    call cfg_video
    jmp .out
.module:
    mov eax, [cfg_modules]
    cmp eax, CFG_MAX_MODULES
    jae .too_many
    shl eax, 6                      ; BI_MODULE_SIZEOF = 64
    lea eax, [eax + MODULES_ADDR + MODULE_NAME]
    mov esi, edi
    mov edi, eax
    mov ecx, BOOTINFO_MODULE_NAME_LEN
    call str_copy
    inc dword [cfg_modules]
    jmp .out
.too_many:
    call line_start
    SAY "config: too many modules, '"
    mov esi, edi
    call line_str
    SAY "' ignored"
    call line_end
.out:
    pop edi
    pop esi
    pop ebx
    ret
%if BI_MODULE_SIZEOF != 64
%error "config.asm: module entries are no longer 64 bytes"
%endif

; cfg_video: parse EDI = "WxHxBPP" into cfg_video_*; report a bad value.
;   clobbers: EAX, EDX, ESI
cfg_video:
    mov esi, edi
    call parse_dec
    jc .bad
    mov [cfg_video_w], eax
    cmp byte [esi], 'x'
    jne .bad
    inc esi
    call parse_dec
    jc .bad
    mov [cfg_video_h], eax
    cmp byte [esi], 'x'
    jne .bad
    inc esi
    call parse_dec
    jc .bad
    mov [cfg_video_bpp], eax
    cmp byte [esi], 0
    jne .bad
    ret
.bad:
    mov dword [cfg_video_w], 0
    call line_start
    SAY "config: bad video= value '"
    mov esi, edi
    call line_str
    SAY "' ignored (want WxHxBPP)"
    call line_end
    ret

; str_eq: compare the strings at ESI and EBX; ZF = 1 when equal.
;   clobbers: nothing
str_eq:
    push esi
    push ebx
    push eax
.loop:
    mov al, [esi]
    cmp al, [ebx]
    jne .out
    inc esi
    inc ebx
    test al, al
    jnz .loop
.out:
    pop eax
    pop ebx
    pop esi
    ret
