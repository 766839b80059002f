; font.asm - the console font, embedded in .rodata at build time.
;
; kernel/build.mk gunzips a PSF font from the Debian package
; console-setup-linux (/usr/share/consolefonts) into build/kernel/font.psf and
; puts that directory on NASM's include path; the font is never copied into
; the repository. drivers/fb/psf.c parses the header (PSF1 or PSF2).
;
; Exports: font_psf_start, font_psf_end (bytes in between: the .psf file).

bits 64

section .rodata progbits alloc noexec nowrite align=16
global font_psf_start
global font_psf_end
font_psf_start:
    incbin "font.psf"
font_psf_end:

section .note.GNU-stack noalloc noexec nowrite progbits
