/*
 * signal_stub.c - a weak stand-in for the signals helper's
 * signal_send_thread (issue 16's contract, kernel/proc/signal.c), so a
 * pipe's SIGPIPE has a call to make before signals exist: it does nothing
 * (the write's -EPIPE still goes back). The real one overrides it; this
 * file goes once it is on main.
 */
struct uthread;

int signal_send_thread(struct uthread *u, int sig);

__attribute__((weak)) int signal_send_thread(struct uthread *u, int sig)
{
    (void)u;
    (void)sig;
    return 0;
}
