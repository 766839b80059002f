/*
 * shell.h - the state of one running shell: its variables, positional
 * parameters, functions, aliases, options and the status of the last
 * command. There is one, `sh`; a subshell is a forked copy of it.
 *
 * Control flow that crosses commands (break, continue, return) is a
 * request here that the executor's loops and function calls answer.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "ast.h"

#define SHELL_FUNC_DEPTH_MAX 500        /* function calls inside one another */
#define SHELL_EVAL_DEPTH_MAX 100        /* eval, source and $( ) inside one another */

struct var {
    char *name, *value;
    bool exported;
    struct var *next;
};

struct func {
    char *name;
    struct node *body;                  /* a reference to the defining tree's node */
    struct func *next;
};

struct alias {
    char *name, *value;
    struct alias *next;
};

struct shell {
    struct var *vars;
    struct func *funcs;
    struct alias *aliases;
    char *arg0;                         /* $0 */
    char **params;                      /* $1 ... (NULL-terminated) */
    int status;                         /* $? */
    int subst_status;                   /* the last $( )'s status, for a command of assignments only */
    pid_t pid;                          /* $$ */
    pid_t last_bg;                      /* $! (0: none yet) */
    bool interactive, errexit, xtrace;
    int condition;                      /* > 0 inside an if/while test or an && || left side: no errexit */
    int loops;                          /* loops running, for break and continue */
    int breaking, continuing;           /* loops still to leave / to skip to the next turn */
    bool returning;                     /* a `return` is leaving the function */
    int func_depth, eval_depth;
    bool in_child;                      /* a forked subshell or pipeline element */
};

extern struct shell sh;

/* vars.c */
const char *var_get(const char *name);
void var_set(const char *name, const char *value, bool export);
void var_unset(const char *name);
void var_export(const char *name);
bool var_assign(const char *assignment, bool export);  /* "NAME=value" (already expanded) */
void var_import(char **environ_);
char **var_environ(void);                               /* malloc'd "NAME=value" of exported variables */
void var_print(bool exported_only);

/* funcs.c */
struct func *func_find(const char *name);
void func_define(const char *name, struct node *body);
void func_unset(const char *name);

/* alias.c */
const char *alias_get(const char *name);
void alias_set(const char *name, const char *value);
bool alias_unset(const char *name);
void alias_print(const char *name);
const char *alias_lookup(void *ctx, const char *name);

/* run.c: parse and run text: a script, -c, eval, source, $( ). The status of the last command. */
int shell_run_text(const char *text, size_t len);
int shell_run_file(const char *path);
/* Leave the shell (or the subshell) with status. */
_Noreturn void shell_exit(int status);

/* out.c: the shell's own output, unbuffered (no stdio buffer a fork would copy). */
void out_str(int fd, const char *s);
void out_write(int fd, const char *s, size_t len);    /* all of it, unless the descriptor fails */
void out_fmt(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
