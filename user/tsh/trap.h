/*
 * trap.h - `trap ACTION SIGNAL...`: a command run when a signal arrives, or
 * when the shell exits (EXIT). The signal handler only marks the signal
 * pending; the executor runs pending actions between commands
 * (trap_run_pending), never inside a handler.
 */
#pragma once

int trap_builtin(int argc, char **argv);
void trap_run_pending(void);
/* The EXIT action, once (shell_exit calls it). */
void trap_run_exit(void);
/* In a new subshell: actions are not inherited (ignored signals stay ignored). */
void trap_child_reset(void);
