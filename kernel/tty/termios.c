/*
 * termios.c - the settings a terminal starts with, and raw mode.
 *
 * termios_default is Linux's tty_std_termios (drivers/tty/tty_io.c) with its
 * INIT_C_CC (include/linux/tty.h); termios_make_raw is glibc's cfmakeraw.
 * Pure C: built for the host too (tests/host/test_tty_ldisc.c).
 */
#include <string.h>

#include "tty/termios.h"

#define CTRL(c) ((c) & 0x1F)

void termios_default(struct termios *t)
{
    static const cc_t init_cc[NCCS] = {
        [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7F, [VKILL] = CTRL('U'),
        [VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1, [VSWTC] = 0, [VSTART] = CTRL('Q'),
        [VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'), [VEOL] = 0, [VREPRINT] = CTRL('R'),
        [VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'), [VEOL2] = 0,
    };

    memset(t, 0, sizeof *t);
    t->c_iflag = ICRNL | IXON;
    t->c_oflag = OPOST | ONLCR;
    t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
    t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    memcpy(t->c_cc, init_cc, sizeof init_cc);
}

void termios_make_raw(struct termios *t)
{
    t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t->c_cflag |= CS8;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}
