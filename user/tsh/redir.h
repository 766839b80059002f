/*
 * redir.h - redirections: open the files, make the here-documents' pipes,
 * dup2 onto the descriptors named; and put the descriptors back afterwards
 * for a command the shell runs itself (a builtin, a function, a group).
 */
#pragma once

#include <stdbool.h>

#include "ast.h"

struct redir_saved {
    int *fd, *copy;             /* fd[i] was copy[i] before (-1: it was closed) */
    int n;
};

/* Apply the list in order; save (may be NULL: nothing to restore) records the old descriptors. */
bool redir_apply(const struct redir *r, struct redir_saved *save);
void redir_restore(struct redir_saved *save);
