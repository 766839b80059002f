/*
 * signal_tty.c - the terminal's signal characters as signals (POSIX XBD
 * 11.1.9, "Special Characters"): ^C (SIGINT), ^\ (SIGQUIT) and ^Z
 * (SIGTSTP), which the line discipline raises in ISIG mode, go to every
 * process of the terminal's foreground process group (TIOCSPGRP's). The
 * terminal calls the hook after letting go of its lock, from whatever
 * context the input came in (a UART's interrupt included): sending never
 * sleeps. No foreground group (0): nobody gets it.
 *
 * The other direction is job control's (POSIX XBD 11.1.4, "Terminal
 * Access Control"): a process of a background group that reads its
 * controlling terminal gets SIGTTIN, one that writes it with TOSTOP set
 * SIGTTOU, sent to its whole group, and the call is restarted once the
 * group is continued in the foreground (signal_tty_access, which the
 * terminal's read and write call through the access hook, tty_access).
 */
#include "proc/proc.h"
#include "errno.h"
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

static long tty_access(struct tty *t, int writing)
{
    return signal_tty_access(t, writing ? SIGTTOU : SIGTTIN);
}

void signal_init(void)
{
    tty_set_signal_hook(tty_signal);
    tty_set_access_hook(tty_access);
}

/* 1 when the calling thread blocks sig or its process ignores it. */
static int refused(int sig)
{
    struct k_sigaction a;

    if (signal_action(sig, NULL, &a) != 0)
        return 1;
    return (uthread_current()->sig.blocked & SIG_BIT(sig)) || a.handler == SIG_IGN;
}

int signal_tty_access(struct tty *t, int sig)
{
    struct proc *p = proc_current();
    struct termios tio;
    int pgrp = 0;

    if (!p || p->ctty != t || tty_ioctl(t, TIOCGPGRP, &pgrp) != 0 || pgrp <= 0 || pgrp == p->pgid)
        return 0;                               /* not its terminal, or it is in the foreground */
    if (sig == SIGTTOU && (tty_ioctl(t, TCGETS, &tio) != 0 || !(tio.c_lflag & TOSTOP)))
        return 0;                               /* background writes are allowed without TOSTOP */
    if (refused(sig))
        return sig == SIGTTIN ? -EIO : 0;       /* POSIX: a read fails, a write goes through */
    spin_lock(&proc_lock);
    signal_send_group_locked(p->pgid, sig);
    spin_unlock(&proc_lock);
    return -ERESTARTSYS;
}
