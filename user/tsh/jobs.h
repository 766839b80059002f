/*
 * jobs.h - job control: process groups, the terminal's foreground group,
 * stopped and background jobs, and the builtins jobs, fg and bg.
 *
 * Job control is on in an interactive shell whose standard input is a
 * terminal it can own (tcgetpgrp works: a controlling terminal). Each
 * pipeline (or single command, or subshell) is then a job: its own process
 * group, led by its first child; in the foreground, that group is the
 * terminal's (tcsetpgrp), so ^C and ^Z reach it and not the shell, which
 * ignores SIGINT, SIGQUIT, SIGTSTP, SIGTTIN and SIGTTOU. A job stopped by
 * ^Z, or started with &, stays in the job table for jobs, fg and bg.
 *
 * Without job control (scripts, `-c`, a terminal that is not a controlling
 * one, as for the first process) every child stays in the shell's group,
 * an interactive shell still ignores SIGINT and SIGQUIT, and a background
 * command's standard input is /dev/null, as POSIX says.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "ast.h"

void jobs_init(void);
/* fork(); the child joins the group of leader (0: a new group of its own), in the foreground or not. */
pid_t jobs_fork(pid_t leader, bool foreground);
/* In a child that is not a job (a $( )): the shell's signal handling undone, job control off. */
void jobs_child_reset(void);
/* Wait for a foreground job's processes; the last one's status, or 128 + the signal that stopped it. */
int jobs_wait(const pid_t *pids, int n, const struct node *cmd);
void jobs_add_background(pid_t pid, const struct node *cmd);
/* Before a prompt: report the background jobs that ended or stopped. */
void jobs_notify(void);

int jobs_builtin_jobs(int argc, char **argv);
int jobs_builtin_fg(int argc, char **argv);
int jobs_builtin_bg(int argc, char **argv);
