/*
 * signal_tty.c - the terminal's signal characters as signals (POSIX XBD
 * 11.1.9, "Special Characters"): ^C (SIGINT), ^\ (SIGQUIT) and ^Z
 * (SIGTSTP), which the line discipline raises in ISIG mode, go to every
 * process of the terminal's foreground process group (TIOCSPGRP's). The
 * terminal calls the hook after letting go of its lock, from whatever
 * context the input came in (a UART's interrupt included): sending never
 * sleeps. No foreground group (0): nobody gets it.
 */
#include "proc/proc.h"
#include "proc/signal.h"
#include "tty/termios.h"
#include "tty/tty.h"

static void tty_signal(struct tty *t, int sig)
{
    int pgrp = 0;

    if (tty_ioctl(t, TIOCGPGRP, &pgrp) != 0 || pgrp <= 0)
        return;
    spin_lock(&proc_lock);
    signal_send_group_locked(pgrp, sig);
    spin_unlock(&proc_lock);
}

void signal_init(void)
{
    tty_set_signal_hook(tty_signal);
}
