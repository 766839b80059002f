/*
 * termios.h - the terminal settings: struct termios and struct winsize with
 * Linux's x86_64 layout, flag bits, c_cc indices and ioctl request numbers
 * (include/uapi/asm-generic/termbits.h, ioctls.h), so the structures a later
 * system call copies to and from user space need no translation: the
 * asserts below check the size and every offset against Linux's kernel
 * struct termios (36 bytes) and struct winsize (8 bytes).
 *
 * The meaning of each flag, and which ones the line discipline honours, is
 * in kernel/tty/ldisc.h and docs/tty.md. termios_default (termios.c) gives
 * a fresh Linux tty's settings (tty_std_termios in drivers/tty/tty_io.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef uint32_t tcflag_t;
typedef uint8_t cc_t;

#define NCCS 19

struct termios {
    tcflag_t c_iflag;           /* input modes: I* */
    tcflag_t c_oflag;           /* output modes: O* */
    tcflag_t c_cflag;           /* control modes: C*, B* (kept, not acted on) */
    tcflag_t c_lflag;           /* local modes: ISIG, ICANON, ECHO* ... */
    cc_t c_line;                /* line discipline number: 0, N_TTY */
    cc_t c_cc[NCCS];            /* special characters: V* indices */
};

struct winsize {
    unsigned short ws_row, ws_col;
    unsigned short ws_xpixel, ws_ypixel;
};

_Static_assert(sizeof(struct termios) == 36, "struct termios is Linux's 36 bytes");
_Static_assert(offsetof(struct termios, c_iflag) == 0, "termios c_iflag offset");
_Static_assert(offsetof(struct termios, c_oflag) == 4, "termios c_oflag offset");
_Static_assert(offsetof(struct termios, c_cflag) == 8, "termios c_cflag offset");
_Static_assert(offsetof(struct termios, c_lflag) == 12, "termios c_lflag offset");
_Static_assert(offsetof(struct termios, c_line) == 16, "termios c_line offset");
_Static_assert(offsetof(struct termios, c_cc) == 17, "termios c_cc offset");
_Static_assert(sizeof(struct winsize) == 8, "struct winsize is Linux's 8 bytes");
_Static_assert(offsetof(struct winsize, ws_col) == 2, "winsize ws_col offset");
_Static_assert(offsetof(struct winsize, ws_ypixel) == 6, "winsize ws_ypixel offset");

/* c_cc indices */
#define VINTR     0     /* ^C: SIGINT */
#define VQUIT     1     /* ^\: SIGQUIT */
#define VERASE    2     /* DEL: erase a character */
#define VKILL     3     /* ^U: erase the line */
#define VEOF      4     /* ^D: end the line without a newline (at its start: end of file) */
#define VTIME     5     /* raw reads: tenths of a second */
#define VMIN      6     /* raw reads: bytes */
#define VSWTC     7
#define VSTART    8     /* ^Q: output on again (IXON) */
#define VSTOP     9     /* ^S: output off (IXON) */
#define VSUSP    10     /* ^Z: SIGTSTP */
#define VEOL     11     /* another line end (0: none) */
#define VREPRINT 12     /* ^R: type the line again */
#define VDISCARD 13     /* ^O (kept, not acted on) */
#define VWERASE  14     /* ^W: erase a word (IEXTEN) */
#define VLNEXT   15     /* ^V: the next character literally (IEXTEN) */
#define VEOL2    16     /* another line end (0: none) */

/* c_iflag */
#define IGNBRK  0000001
#define BRKINT  0000002
#define IGNPAR  0000004
#define PARMRK  0000010
#define INPCK   0000020
#define ISTRIP  0000040         /* clear bit 7 of input */
#define INLCR   0000100         /* NL in: CR */
#define IGNCR   0000200         /* CR in: dropped */
#define ICRNL   0000400         /* CR in: NL (unless IGNCR) */
#define IUCLC   0001000
#define IXON    0002000         /* ^S/^Q stop and start output */
#define IXANY   0004000         /* any character starts output */
#define IXOFF   0010000         /* send ^S/^Q as the input buffer fills and drains */
#define IMAXBEL 0020000
#define IUTF8   0040000

/* c_oflag */
#define OPOST   0000001         /* output processing on */
#define OLCUC   0000002
#define ONLCR   0000004         /* NL out: CR NL */
#define OCRNL   0000010         /* CR out: NL */
#define ONOCR   0000020
#define ONLRET  0000040
#define OFILL   0000100
#define OFDEL   0000200

/* c_cflag */
#define CBAUD   0010017
#define B9600   0000015
#define B38400  0000017
#define B115200 0010002
#define CSIZE   0000060
#define CS8     0000060
#define CSTOPB  0000100
#define CREAD   0000200
#define PARENB  0000400
#define PARODD  0001000
#define HUPCL   0002000
#define CLOCAL  0004000

/* c_lflag */
#define ISIG    0000001         /* ^C ^\ ^Z raise signals */
#define ICANON  0000002         /* canonical mode: lines, editing */
#define XCASE   0000004
#define ECHO    0000010         /* echo input */
#define ECHOE   0000020         /* erase: "\b \b" */
#define ECHOK   0000040         /* kill: a newline after the kill character */
#define ECHONL  0000100         /* echo NL even without ECHO */
#define NOFLSH  0000200         /* signals do not flush the input */
#define TOSTOP  0000400
#define ECHOCTL 0001000         /* echo control characters as ^X */
#define ECHOPRT 0002000
#define ECHOKE  0004000         /* kill: erase the line on the screen */
#define FLUSHO  0010000
#define PENDIN  0040000
#define IEXTEN  0100000         /* VWERASE, VLNEXT, VREPRINT */
#define EXTPROC 0200000

/* ioctl requests (asm-generic/ioctls.h) */
#define TCGETS      0x5401      /* struct termios * out */
#define TCSETS      0x5402      /* struct termios * in: now */
#define TCSETSW     0x5403      /* ... after the output drained */
#define TCSETSF     0x5404      /* ... after the output drained, input flushed */
#define TCXONC      0x540A      /* 0 stop output, 1 start it */
#define TCFLSH      0x540B      /* 0 flush input, 1 output, 2 both */
#define TIOCGPGRP   0x540F      /* int * out: the foreground process group */
#define TIOCSPGRP   0x5410      /* int * in */
#define TIOCOUTQ    0x5411
#define TIOCGWINSZ  0x5413      /* struct winsize * out */
#define TIOCSWINSZ  0x5414      /* struct winsize * in */
#define FIONREAD    0x541B      /* int * out: bytes a read would return now */

/* A fresh Linux tty's settings: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL,
 * ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN, ^C ^\ DEL ^U ^D ... */
void termios_default(struct termios *t);
/* Raw mode as cfmakeraw(3) makes it (VMIN 1, VTIME 0). */
void termios_make_raw(struct termios *t);
