/*
 * jobs.h - how the shell's children are grouped, signalled and waited for.
 *
 * Today this is the shell without job control: every child stays in the
 * shell's process group, an interactive shell ignores SIGINT and SIGQUIT
 * (so ^C reaches only the command running) and its children get the
 * default handling back; a background command's standard input is
 * /dev/null. Process groups, tcsetpgrp, jobs, fg and bg are not written
 * yet (docs/tsh.md); these functions are where they will go.
 */
#pragma once

#include <sys/types.h>

#include "ast.h"

void jobs_init(void);
void jobs_child_setup(void);
void jobs_join_group(pid_t leader);
void jobs_set_group(pid_t pid, pid_t leader);
void jobs_background_child(void);
void jobs_add_background(pid_t pid, struct node *cmd);
int jobs_wait_foreground(pid_t pid, const char *name);
/* Wait for all of a pipeline's children; the last one's status (or status if it was never started). */
int jobs_wait_pipeline(const pid_t *pids, int n, int status);
