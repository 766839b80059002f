/*
 * shutdown.c - the signals init answers and the way down, as busybox's init
 * has them (busybox's halt, poweroff and reboot applets send them to pid 1):
 *
 *   SIGUSR2   poweroff    ->  reboot(2) POWER_OFF (the kernel: ACPI S5)
 *   SIGTERM   reboot      ->  reboot(2) RESTART (the kernel: a reset)
 *   SIGINT    Ctrl-Alt-Del, as Linux sends it to pid 1: reboot
 *   SIGUSR1   halt        ->  reboot(2) HALT (the CPUs stop, the machine stays on)
 *
 * SIGHUP, SIGQUIT, SIGPIPE and the terminal stop signals are ignored: pid 1
 * must not end or stop. The handlers only note the request; init.c's loop
 * acts on it (all of them are blocked but in its sigsuspend, so none is lost
 * between a check and the wait). The way down: every other process sent
 * SIGTERM, SHUTDOWN_GRACE_MS to end, then SIGKILL; everything written back
 * (sync), the file systems unmounted, and reboot(2).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define SHUTDOWN_GRACE_MS   2000
#define SHUTDOWN_STEP_MS    50

static volatile sig_atomic_t requested;         /* a reboot(2) command, 0 for none */

static const struct {
    int sig;
    int cmd;
    const char *what;
} answers[] = {
    { SIGUSR2, RB_POWER_OFF, "power off" },
    { SIGTERM, RB_AUTOBOOT, "reboot" },
    { SIGINT, RB_AUTOBOOT, "reboot" },
    { SIGUSR1, RB_HALT_SYSTEM, "halt" },
};
static const int ignored[] = { SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void on_request(int sig)
{
    for (unsigned i = 0; i < COUNT(answers); i++)
        if (answers[i].sig == sig && !requested)
            requested = answers[i].cmd;
}

static void on_child(int sig)
{
    (void)sig;                          /* only wakes sigsuspend: reap.c does the work */
}

static void set_handler(int sig, void (*fn)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigfillset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
}

void shutdown_install_handlers(void)
{
    sigset_t all;

    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    for (unsigned i = 0; i < COUNT(answers); i++)
        set_handler(answers[i].sig, on_request);
    for (unsigned i = 0; i < COUNT(ignored); i++)
        set_handler(ignored[i], SIG_IGN);
    set_handler(SIGCHLD, on_child);
}

void shutdown_child_defaults(void)
{
    sigset_t none;

    for (unsigned i = 0; i < COUNT(answers); i++)
        set_handler(answers[i].sig, SIG_DFL);
    for (unsigned i = 0; i < COUNT(ignored); i++)
        set_handler(ignored[i], SIG_DFL);
    set_handler(SIGCHLD, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int shutdown_requested(void)
{
    return requested;
}

static const char *command_name(int cmd)
{
    for (unsigned i = 0; i < COUNT(answers); i++)
        if (answers[i].cmd == cmd)
            return answers[i].what;
    return "?";
}

/* Reap without starting anything again, for up to ms; 1 when no child is left. */
static int wait_for_none(int ms)
{
    struct timespec step = { 0, SHUTDOWN_STEP_MS * 1000000L };
    int status;

    for (int waited = 0;; waited += SHUTDOWN_STEP_MS) {
        while (waitpid(-1, &status, WNOHANG) > 0)
            ;
        if (waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD)
            return 1;
        if (waited >= ms)
            return 0;
        nanosleep(&step, NULL);
    }
}

void shutdown_now(int cmd)
{
    init_log("%s: sending SIGTERM to every process", command_name(cmd));
    terminals_stop_restarting();
    kill(-1, SIGTERM);
    kill(-1, SIGCONT);                  /* a stopped process gets to see its SIGTERM */
    if (!wait_for_none(SHUTDOWN_GRACE_MS)) {
        init_log("%s: sending SIGKILL to the processes still there", command_name(cmd));
        kill(-1, SIGKILL);
        wait_for_none(SHUTDOWN_GRACE_MS);
    }
    sync();
    mounts_unmount_all();
    sync();
    init_log("%s: file systems written and unmounted; reboot(2)", command_name(cmd));
    reboot(cmd);
    init_log("reboot(2) failed: %s; init goes on", strerror(errno));
    for (;;)
        pause();
}
