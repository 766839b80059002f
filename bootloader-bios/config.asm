; config.asm - read and parse /boot/boot.cfg.
;
; Format (common/bootcfg.h): key=value lines, '#' starts a comment line, LF
; or CRLF endings, blanks (space, tab, CR) around key and value ignored.
; Keys:
;   cmdline=TEXT     the kernel command line (bootinfo.cmdline)
;   video=WxHxBPP    the preferred framebuffer mode (vbe.asm)
;   module=/PATH     a file to load after the kernel (repeatable)
; Limits and rules are common/bootrules.h's, read from the generated
; bootrules.inc (numbers and message texts): the file is judged whole first
; (its size, then a NUL byte anywhere), then line by line, in the order of
; common/bootcfg.c, and the first rule broken stops the loader with the
; line and the rule's name, the same words the UEFI loader prints:
;   stage2: config: error, /boot/boot.cfg line 3: cmdline= longer than 2047 bytes (rule cfg-cmdline-length)
; Nothing is cut. An unknown key is said ("config: line 4: unknown key,
; ignored 'x'") and skipped. The file is read whole into CFG_BUF and cut
; into strings in place.

%if BOOTCFG_CMDLINE_MAX > CMDLINE_MAX
%error "config.asm: the cmdline area (layout.inc) is smaller than BOOTCFG_CMDLINE_MAX"
%endif
%if BOOTCFG_MODULES_MAX * BI_MODULE_SIZEOF > MMAP_ADDR - MODULES_ADDR
%error "config.asm: the modules area (layout.inc) is smaller than BOOTCFG_MODULES_MAX entries"
%endif
%if BOOTCFG_FILE_MAX + 1 > CFG_BUF_END - CFG_BUF
%error "config.asm: CFG_BUF (layout.inc) cannot hold BOOTCFG_FILE_MAX bytes and a NUL"
%endif
%if BOOTCFG_PATH_MAX + 1 != BOOTINFO_MODULE_NAME_LEN
%error "config.asm: a module path no longer fills bootinfo_module.name"
%endif

; CFG_REFUSE RULE_X: refuse boot.cfg at line cfg_lineno with the rule's words.
%macro CFG_REFUSE 1
    STR %1
    jmp cfg_refuse
%endmacro

section .data
cfg_video_w:    dd 0                ; 0: no video= line
cfg_video_h:    dd 0
cfg_video_bpp:  dd 0
cfg_modules:    dd 0                ; module= lines kept
cfg_lineno:     dd 0                ; the line being parsed (1 = the first)
cfg_path:       db "/boot/boot.cfg", 0
section .text

; config_load: read and parse the configuration; print the config line.
;   clobbers: EAX, EBX, ECX, EDX, ESI, EDI
config_load:
    mov esi, cfg_path
    call fat_open
    jnc .found
    FAIL "config: error, /boot/boot.cfg not found"
.found:
    cmp ecx, BOOTCFG_FILE_MAX
    jbe .fits
    call line_start
    SAY "config: error, /boot/boot.cfg: "
    SAY RULE_CFG_SIZE
    jmp die
.fits:
    mov edi, CFG_BUF
    mov byte [edi + ecx], 0
    push ecx
    call fat_read
    pop ecx
    call cfg_find_nul
    mov esi, CFG_BUF
.line:
    cmp byte [esi], 0               ; no NUL inside: this is the end
    je .report
    inc dword [cfg_lineno]
    call cfg_line                   ; ESI = next line
    jmp .line
.report:
    call cfg_report
    STEP "config"
    ret

; cfg_find_nul: refuse the file when its ECX bytes at CFG_BUF hold a NUL
; (cfg-nul, naming the NUL's line). clobbers: EAX, ECX, ESI
cfg_find_nul:
    mov esi, CFG_BUF
    mov dword [cfg_lineno], 1
.loop:
    jecxz .none
    mov al, [esi]
    test al, al
    jz .nul
    cmp al, 10
    jne .next
    inc dword [cfg_lineno]
.next:
    inc esi
    dec ecx
    jmp .loop
.none:
    mov dword [cfg_lineno], 0
    ret
.nul:
    CFG_REFUSE RULE_CFG_NUL

; cfg_refuse: "config: error, /boot/boot.cfg line N: " + the rule at ESI; halt.
cfg_refuse:
    push esi
    call line_start
    SAY "config: error, /boot/boot.cfg line "
    mov eax, [cfg_lineno]
    call line_dec
    SAY ": "
    pop esi
    call line_str
    jmp die

; cfg_report: the config line: cmdline, video mode, module count.
;   clobbers: EAX, ESI
cfg_report:
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
    jmp line_end

; line_video: append "WxHxBPP" from cfg_video_*.
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
    mov byte [edi], 0               ; cut; then drop trailing blanks
    call cfg_rtrim
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
    push edi
    call cfg_rtrim                  ; the key's trailing blanks
    pop edi
    cmp byte [esi], 0
    je .no_eq                       ; "=value": no key
    inc edi                         ; EDI = value
    xchg esi, edi
    call cfg_skip_blanks
    xchg esi, edi
    call cfg_key                    ; ESI = key, EDI = value
.done:
    mov esi, ebx
    ret
.no_eq:
    CFG_REFUSE RULE_CFG_KEY_VALUE

; cfg_rtrim: cut blanks (space, tab, CR) off the end of [ESI, EDI), EDI
; pointing at its NUL. clobbers: EAX, EDI
cfg_rtrim:
    cmp edi, esi
    je .out
    mov al, [edi - 1]
    call cfg_is_blank
    jne .out
    dec edi
    mov byte [edi], 0
    jmp cfg_rtrim
.out:
    ret

; cfg_is_blank: ZF = AL is a space, a tab or a CR. clobbers: nothing
cfg_is_blank:
    cmp al, ' '
    je .out
    cmp al, 9
    je .out
    cmp al, 13
.out:
    ret

; cfg_skip_blanks: advance ESI over blanks. clobbers: AL
cfg_skip_blanks:
    mov al, [esi]
    call cfg_is_blank
    jne .out
    inc esi
    jmp cfg_skip_blanks
.out:
    ret

; cfg_key: act on one key (ESI) and value (EDI); refuse a bad value.
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
    SAY "config: line "
    mov eax, [cfg_lineno]
    call line_dec
    SAY ": "
    SAY RULE_UNKNOWN_KEY
    SAY " '"
    mov esi, [.key]
    call line_str
    mov al, "'"
    call line_char
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
    call cfg_cmdline
    jmp .out
.video:
    call cfg_video
    jmp .out
.module:
    call cfg_module
.out:
    pop edi
    pop esi
    pop ebx
    ret

; cfg_cmdline: the value at EDI as the kernel command line (cfg-cmdline-length).
;   clobbers: EAX, ECX, ESI, EDI
cfg_cmdline:
    mov esi, edi
    call str_len
    cmp eax, BOOTCFG_CMDLINE_MAX
    jbe .fits
    CFG_REFUSE RULE_CFG_CMDLINE
.fits:
    mov edi, CMDLINE_ADDR
    mov ecx, BOOTCFG_CMDLINE_MAX + 1
    call str_copy
    mov [BI(BI_CMDLINE_LEN)], eax
    ret

; cfg_module: the value at EDI as one more module path (cfg-module-count,
; cfg-module-path, cfg-path-length), into the next bootinfo_module.name.
;   clobbers: EAX, ECX, ESI, EDI
cfg_module:
    mov eax, [cfg_modules]
    cmp eax, BOOTCFG_MODULES_MAX
    jb .room
    CFG_REFUSE RULE_CFG_MODULES
.room:
    mov esi, edi
    call str_len
    cmp byte [esi], '/'
    jne .relative
    cmp eax, 2
    jb .relative
    cmp eax, BOOTCFG_PATH_MAX
    jbe .fits
    CFG_REFUSE RULE_CFG_PATH_LENGTH
.relative:
    CFG_REFUSE RULE_CFG_MODULE_PATH
.fits:
    mov edi, [cfg_modules]
    imul edi, edi, BI_MODULE_SIZEOF
    add edi, MODULES_ADDR + MODULE_NAME
    mov ecx, BOOTINFO_MODULE_NAME_LEN
    call str_copy
    inc dword [cfg_modules]
    ret

; cfg_video: parse EDI = "WxHxBPP" into cfg_video_* (cfg-video: each number
; checked against its limit digit by digit, so none can overflow).
;   clobbers: EAX, ECX, EDX, ESI
cfg_video:
    mov esi, edi
    mov ecx, BOOTCFG_VIDEO_DIM_MAX
    call cfg_number_x
    mov [cfg_video_w], eax
    call cfg_number_x
    mov [cfg_video_h], eax
    mov ecx, BOOTCFG_VIDEO_BPP_MAX
    call cfg_number
    cmp byte [esi], 0
    jne .bad
    mov [cfg_video_bpp], eax
    cmp eax, 8                      ; the depths a mode can have
    je .ok
    cmp eax, 15
    je .ok
    cmp eax, 16
    je .ok
    cmp eax, 24
    je .ok
    cmp eax, 32
    jne .bad
.ok:
    ret
.bad:
    CFG_REFUSE RULE_CFG_VIDEO

; cfg_number_x: cfg_number, then an 'x' or 'X' that it steps over.
;   in/out and clobbers: as cfg_number
cfg_number_x:
    call cfg_number
    mov dl, [esi]
    or dl, 0x20                     ; 'X' -> 'x'
    cmp dl, 'x'
    jne cfg_video.bad
    inc esi
    ret

; cfg_number: a decimal number in [1, ECX] at ESI, or refuse (cfg-video).
;   out: EAX = value, ESI = first non-digit; clobbers: EDX
cfg_number:
    xor eax, eax
    movzx edx, byte [esi]
    sub dl, '0'
    cmp dl, 9
    ja cfg_video.bad                ; no digit
.digit:
    imul eax, eax, 10               ; EAX <= 16384: no overflow
    add eax, edx
    cmp eax, ecx
    ja cfg_video.bad
    inc esi
    movzx edx, byte [esi]
    sub dl, '0'
    cmp dl, 9
    jbe .digit
    test eax, eax
    jz cfg_video.bad
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

; str_len: EAX = length of the string at ESI. clobbers: nothing else
str_len:
    xor eax, eax
.loop:
    cmp byte [esi + eax], 0
    je .out
    inc eax
    jmp .loop
.out:
    ret
