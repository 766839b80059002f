/*
 * exec.h - the executor: walks a tree (ast.h) and runs it.
 *
 * exec_node returns the command's exit status and leaves it in sh.status.
 * tail says nothing runs after this command in this process (a forked
 * child's last command): an external program is then exec'd in place
 * instead of forked and waited for.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "ast.h"

int exec_node(struct node *n, bool tail);
/* Replace this process with the program argv[0] (PATH searched); returns only if tsh runs it as a script. */
void exec_program(char **argv);
/* What every forked child does first: default signal handling back, sh.in_child set. */
void exec_child_setup(void);
/* Wait for a child; its status as the shell reports it (128 + signal when killed). */
int exec_wait(pid_t pid);
