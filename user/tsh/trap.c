/*
 * trap.c - traps (trap.h). A trapped signal's handler sets pending[sig];
 * trap_run_pending runs its action with $? kept. `trap '' SIG` ignores the
 * signal, `trap - SIG` gives it back its default.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "shell.h"
#include "trap.h"

#define TRAP_EXIT 0
#define TRAP_MAX 32

static const struct { const char *name; int sig; } signals[] = {
    { "EXIT", TRAP_EXIT }, { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "TERM", SIGTERM },
    { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "ALRM", SIGALRM }, { "PIPE", SIGPIPE }, { "CHLD", SIGCHLD },
};

static char *actions[TRAP_MAX];                 /* NULL: default */
static volatile sig_atomic_t pending[TRAP_MAX], any_pending;

static void on_signal(int sig)
{
    pending[sig] = 1;
    any_pending = 1;
}

/* A signal's number from its name (with or without SIG) or number; -1 if unknown. */
static int signal_number(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);

    if (*s && !*end)
        return n >= 0 && n < TRAP_MAX ? (int)n : -1;
    if (!strncmp(s, "SIG", 3))
        s += 3;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (!strcmp(signals[i].name, s))
            return signals[i].sig;
    return -1;
}

static const char *signal_name(int sig)
{
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (signals[i].sig == sig)
            return signals[i].name;
    return "?";
}

static void set_trap(int sig, const char *action)
{
    struct sigaction sa = { 0 };

    free(actions[sig]);
    actions[sig] = action && strcmp(action, "-") ? xstrdup(action) : NULL;
    if (sig == TRAP_EXIT)
        return;
    sa.sa_handler = !actions[sig] ? SIG_DFL : !*actions[sig] ? SIG_IGN : on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void print_traps(void)
{
    for (int sig = 0; sig < TRAP_MAX; sig++)
        if (actions[sig]) {
            out_str(1, "trap -- '");
            for (const char *s = actions[sig]; *s; s++)
                out_str(1, *s == '\'' ? "'\\''" : (char[]){ *s, 0 });
            out_fmt(1, "' %s\n", signal_name(sig));
        }
}

int trap_builtin(int argc, char **argv)
{
    int i = 1, status = 0;

    if (argc == 1) {
        print_traps();
        return 0;
    }
    if (!strcmp(argv[1], "--"))
        i++;
    const char *action = argv[i];
    if (action && signal_number(action) >= 0 && argc == i + 1)
        action = "-";                           /* trap SIG: back to the default */
    else
        i++;
    for (; i < argc; i++) {
        int sig = signal_number(argv[i]);
        if (sig < 0 || sig == SIGKILL || sig == SIGSTOP) {
            sh_error("trap: %s: bad signal", argv[i]);
            status = 1;
            continue;
        }
        set_trap(sig, action);
    }
    return status;
}

void trap_run_pending(void)
{
    while (any_pending) {
        any_pending = 0;
        for (int sig = 1; sig < TRAP_MAX; sig++)
            if (pending[sig]) {
                int status = sh.status;
                pending[sig] = 0;
                if (actions[sig] && *actions[sig])
                    shell_run_text(actions[sig], strlen(actions[sig]));
                sh.status = status;
            }
    }
}

void trap_run_exit(void)
{
    char *action = actions[TRAP_EXIT];

    actions[TRAP_EXIT] = NULL;
    if (action && *action)
        shell_run_text(action, strlen(action));
    free(action);
}

void trap_child_reset(void)
{
    for (int sig = 0; sig < TRAP_MAX; sig++)
        if (actions[sig] && *actions[sig])
            set_trap(sig, NULL);
}
