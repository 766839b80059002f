/*
 * exec.c - the executor (exec.h): one function per kind of node.
 *
 * A pipeline of n commands is n children: the shell makes the pipe between
 * each pair, forks, and in each child dup2s the pipe's ends onto 0 and 1,
 * closes the rest and runs its command (an external one by exec, in place);
 * then it waits for all of them, and the status is the last one's. A
 * subshell ( ) and a background command & are a child too; a group { } and
 * the other compound commands run in the shell itself, their redirections
 * undone afterwards (redir.c).
 *
 * break, continue and return are requests in `sh` (shell.h): every list
 * and loop stops running commands while one is pending, and the loop or
 * function it is addressed to takes it back.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"
#include "expand.h"
#include "glob.h"
#include "jobs.h"
#include "mem.h"
#include "redir.h"
#include "shell.h"
#include "trap.h"

static bool interrupted(void)
{
    return sh.breaking || sh.continuing || sh.returning;
}

void exec_child_setup(void)
{
    jobs_child_reset();
}

int exec_wait(pid_t pid)
{
    int st;

    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 127;
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

/* execve through PATH; on failure the child ends with 126 or 127. */
void exec_program(char **argv)
{
    char **env = var_environ();
    const char *path = var_get("PATH"), *name = argv[0];
    int err = ENOENT;

    if (strchr(name, '/')) {
        execve(name, argv, env);
        err = errno;
        if (err == ENOEXEC)
            return;
    } else {
        for (const char *dir = path ? path : "/bin:/usr/bin"; dir; dir = strchr(dir, ':') ? strchr(dir, ':') + 1 : NULL) {
            size_t n = strcspn(dir, ":");
            struct strbuf full = { 0 };
            sb_add(&full, n ? dir : ".", n ? n : 1);
            sb_addc(&full, '/');
            sb_adds(&full, name);
            execve(full.s, argv, env);
            if (errno == ENOEXEC) {
                argv[0] = sb_take(&full);
                return;
            }
            if (errno != ENOENT && errno != ENOTDIR)
                err = errno;
            free(full.s);
        }
    }
    if (err == ENOENT)
        sh_error("%s: not found", name);
    else
        sh_error("%s: %s", name, strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

/* In a child: an external program, or argv[0] as a script of tsh's when it is none. */
static _Noreturn void run_external(char **argv)
{
    exec_program(argv);
    sh.arg0 = argv[0];
    sh.params = argv + 1;
    shell_exit(shell_run_file(argv[0]));
}

/* NAME=value words, expanded; into the shell's variables (exported for a program's environment). */
static bool assign_all(char *const *assigns, bool export)
{
    for (int i = 0; assigns && assigns[i]; i++) {
        const char *eq = strchr(assigns[i], '=');
        char *value = expand_string(eq + 1), *name = xstrndup(assigns[i], (size_t)(eq - assigns[i]));
        if (value)
            var_set(name, value, export);
        free(name);
        if (!value)
            return false;
        free(value);
    }
    return true;
}

/* The values the assignments replace, to put back after a builtin or function. */
static char **save_vars(char *const *assigns)
{
    char **saved = NULL;

    for (int i = 0; assigns && assigns[i]; i++) {
        const char *eq = strchr(assigns[i], '=');
        char *name = xstrndup(assigns[i], (size_t)(eq - assigns[i]));
        const char *old = var_get(name);
        struct strbuf sb = { 0 };
        sb_adds(&sb, name);
        if (old) {
            sb_addc(&sb, '=');
            sb_adds(&sb, old);
        }
        saved = strv_push(saved, sb_take(&sb));
        free(name);
    }
    return saved;
}

static void restore_vars(char **saved)
{
    for (int i = 0; saved && saved[i]; i++)
        if (!var_assign(saved[i], false))
            var_unset(saved[i]);
    strv_free(saved);
}

static void trace(char **argv)
{
    struct strbuf sb = { 0 };

    sb_addc(&sb, '+');
    for (int i = 0; argv[i]; i++) {
        sb_addc(&sb, ' ');
        sb_adds(&sb, argv[i]);
    }
    sb_addc(&sb, '\n');
    out_str(2, sb.s);
    free(sb.s);
}

static int call_function(struct func *f, char **argv)
{
    char **old_params = sh.params;
    struct node *body = ast_ref(f->body);
    int status;

    if (sh.func_depth >= SHELL_FUNC_DEPTH_MAX) {
        sh_error("%s: functions nested too deep (more than %d)", argv[0], SHELL_FUNC_DEPTH_MAX);
        ast_free(body);
        return 2;
    }
    sh.params = argv + 1;
    sh.func_depth++;
    status = exec_node(body, false);
    sh.func_depth--;
    sh.returning = false;
    sh.params = old_params;
    ast_free(body);
    return status;
}

/* `exec`: its redirections stay; with a command, that program replaces the shell. */
static int run_exec(struct node *n, char **argv)
{
    if (!redir_apply(n->redirs, NULL))
        return 1;
    if (!argv[1])
        return 0;
    assign_all(n->assigns, true);
    run_external(argv + 1);
}

/* A builtin or a function: in the shell itself, redirections and assignments undone after. */
static int run_in_shell(struct node *n, char **argv, const struct builtin *b, struct func *f)
{
    struct redir_saved saved = { 0 };
    bool keep = b && b->special;
    char **vars = keep ? NULL : save_vars(n->assigns);
    int status = 1;

    if (assign_all(n->assigns, false) && redir_apply(n->redirs, &saved))
        status = b ? b->fn(strv_len(argv), argv) : call_function(f, argv);
    redir_restore(&saved);
    restore_vars(vars);
    return status;
}

static int exec_simple(struct node *n, bool tail)
{
    char **argv;
    int status;

    sh.subst_status = 0;
    if (!(argv = expand_words(n->words)))
        return 1;
    if (!argv[0]) {
        struct redir_saved saved = { 0 };
        status = assign_all(n->assigns, false) && redir_apply(n->redirs, &saved) ? sh.subst_status : 1;
        redir_restore(&saved);
        strv_free(argv);
        return status;
    }
    if (sh.xtrace)
        trace(argv);
    const struct builtin *b = builtin_find(argv[0]);
    struct func *f = b && b->special ? NULL : func_find(argv[0]);
    if (!strcmp(argv[0], "exec")) {
        status = run_exec(n, argv);
    } else if (b || f) {
        status = run_in_shell(n, argv, b, f);
    } else {
        pid_t pid = tail ? 0 : jobs_fork(0, true);
        if (pid == 0) {
            if (!redir_apply(n->redirs, NULL) || !assign_all(n->assigns, true))
                _exit(1);
            run_external(argv);
        }
        status = pid < 0 ? 2 : jobs_wait(&pid, 1, n);
    }
    strv_free(argv);
    return status;
}

static int exec_pipeline(struct node *n)
{
    pid_t *pids = xcalloc((size_t)n->nkids, sizeof *pids);
    int prev = -1, status = 0, p[2] = { -1, -1 };

    for (int i = 0; i < n->nkids; i++) {
        bool last = i == n->nkids - 1;
        if (!last && pipe(p) < 0) {
            sh_error("pipe: %s", strerror(errno));
            status = 2;
            break;
        }
        pids[i] = jobs_fork(i ? pids[0] : 0, true);
        if (pids[i] == 0) {
            if (prev >= 0) {
                dup2(prev, 0);
                close(prev);
            }
            if (!last) {
                close(p[0]);
                dup2(p[1], 1);
                close(p[1]);
            }
            shell_exit(exec_node(n->kids[i], true));
        }
        if (prev >= 0)
            close(prev);
        if (!last) {
            close(p[1]);
            prev = p[0];
        }
    }
    int waited = jobs_wait(pids, n->nkids, n);
    status = status ? status : waited;
    free(pids);
    return n->bang ? !status : status;
}

static int exec_subshell(struct node *n, bool tail)
{
    pid_t pid = tail ? 0 : jobs_fork(0, true);

    if (pid == 0) {
        if (!redir_apply(n->redirs, NULL))
            shell_exit(1);
        shell_exit(exec_node(n->a, true));
    }
    return pid < 0 ? 2 : jobs_wait(&pid, 1, n);
}

static int exec_background(struct node *n)
{
    pid_t pid = jobs_fork(0, false);

    if (pid == 0)
        shell_exit(exec_node(n->a, true));
    if (pid > 0) {
        sh.last_bg = pid;
        jobs_add_background(pid, n->a);
    }
    return pid < 0 ? 2 : 0;
}

static int exec_condition(struct node *n)
{
    int status;

    sh.condition++;
    status = exec_node(n, false);
    sh.condition--;
    return status;
}

/* Whether the loop must end after a body ran (a break, a return, or a continue for an outer loop). */
static bool loop_leaves(void)
{
    if (sh.breaking) {
        sh.breaking--;
        return true;
    }
    if (sh.continuing)
        return --sh.continuing > 0;
    return sh.returning;
}

static int exec_while(struct node *n)
{
    int status = 0;

    sh.loops++;
    for (;;) {
        int cond = exec_condition(n->a);
        if (loop_leaves() || (cond == 0) != (n->kind == NODE_WHILE))
            break;
        status = exec_node(n->b, false);
        if (loop_leaves())
            break;
    }
    sh.loops--;
    return status;
}

static int exec_for(struct node *n)
{
    char **words = n->for_has_in ? expand_words(n->words) : NULL;
    char *const *list = n->for_has_in ? words : sh.params;
    int status = 0;

    if (n->for_has_in && !words)
        return 1;
    sh.loops++;
    for (int i = 0; list[i]; i++) {
        var_set(n->name, list[i], false);
        status = exec_node(n->a, false);
        if (loop_leaves())
            break;
    }
    sh.loops--;
    strv_free(words);
    return status;
}

static int exec_case(struct node *n)
{
    char *word = expand_string(n->name);

    if (!word)
        return 1;
    for (struct case_item *it = n->items; it; it = it->next)
        for (int i = 0; it->patterns[i]; i++) {
            char *pat = expand_pattern(it->patterns[i]);
            bool match = pat && glob_match(pat, word);
            free(pat);
            if (match) {
                free(word);
                return it->body ? exec_node(it->body, false) : 0;
            }
        }
    free(word);
    return 0;
}

static int exec_if(struct node *n, bool tail)
{
    int cond = exec_condition(n->a);

    if (interrupted())
        return cond;
    if (cond == 0)
        return exec_node(n->b, tail);
    return n->c ? exec_node(n->c, tail) : 0;
}

static int exec_and_or(struct node *n, bool tail)
{
    int status = exec_condition(n->a);

    if (interrupted() || (status == 0) != (n->kind == NODE_AND))
        return status;
    return exec_node(n->b, tail);
}

static int exec_kind(struct node *n, bool tail)
{
    switch (n->kind) {
    case NODE_SIMPLE: return exec_simple(n, tail);
    case NODE_PIPE: return n->nkids == 1 ? !exec_condition(n->kids[0]) : exec_pipeline(n);
    case NODE_AND:
    case NODE_OR: return exec_and_or(n, tail);
    case NODE_SEQ:
        exec_node(n->a, false);
        return interrupted() ? sh.status : exec_node(n->b, tail);
    case NODE_BG: return exec_background(n);
    case NODE_SUBSHELL: return exec_subshell(n, tail);
    case NODE_GROUP: return exec_node(n->a, tail);
    case NODE_IF: return exec_if(n, tail);
    case NODE_WHILE:
    case NODE_UNTIL: return exec_while(n);
    case NODE_FOR: return exec_for(n);
    case NODE_CASE: return exec_case(n);
    case NODE_FUNC: func_define(n->name, n->a); return 0;
    }
    return 2;
}

int exec_node(struct node *n, bool tail)
{
    int status;

    if (n->redirs && n->kind != NODE_SIMPLE && n->kind != NODE_SUBSHELL && n->kind != NODE_FUNC) {
        struct redir_saved saved = { 0 };
        status = redir_apply(n->redirs, &saved) ? exec_kind(n, false) : 1;
        redir_restore(&saved);
    } else {
        status = exec_kind(n, tail);
    }
    sh.status = status;
    trap_run_pending();
    if (sh.errexit && status && !sh.condition && !interrupted() &&
        (n->kind == NODE_SIMPLE || n->kind == NODE_SUBSHELL || (n->kind == NODE_PIPE && !n->bang)))
        shell_exit(status);
    return status;
}
