; scripts.asm - the terminal emulator's test scripts (tests/term/*.term),
; embedded in .rodata for the ktests (kernel/test/test_term.c).
;
; kernel/build.mk concatenates the files into build/kernel/term-scripts.txt
; (NASM's include path); a NUL follows them so the text is a C string too.
;
; Exports: term_scripts_start, term_scripts_end (the text, without the NUL).

bits 64

section .rodata progbits alloc noexec nowrite align=16
global term_scripts_start
global term_scripts_end
term_scripts_start:
    incbin "term-scripts.txt"
term_scripts_end:
    db 0

section .note.GNU-stack noalloc noexec nowrite progbits
