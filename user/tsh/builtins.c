/*
 * builtins.c - the builtin commands (builtins.h), one function each, and
 * their table. Each gets argc and argv (argv[0] its name) and returns its
 * exit status; errors are one line "tsh: NAME: ..." and status 1 (2 for a
 * misused builtin, as POSIX shells do).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "exec.h"
#include "jobs.h"
#include "mem.h"
#include "parse.h"
#include "shell.h"
#include "trap.h"

static int bi_true(int argc, char **argv) { (void)argc, (void)argv; return 0; }
static int bi_false(int argc, char **argv) { (void)argc, (void)argv; return 1; }

/* A count argument (exit, return, shift, break, continue); def when absent, -1 when bad. */
static long count_arg(char **argv, long def)
{
    char *end;
    long n;

    if (!argv[1])
        return def;
    n = strtol(argv[1], &end, 10);
    if (!*argv[1] || *end || n < 0) {
        sh_error("%s: %s: a number is needed", argv[0], argv[1]);
        return -1;
    }
    return n;
}

static int bi_echo(int argc, char **argv)
{
    struct strbuf sb = { 0 };
    int i = 1;
    bool newline = true;

    if (argc > 1 && !strcmp(argv[1], "-n"))
        newline = false, i++;
    for (int first = i; i < argc; i++) {
        if (i > first)
            sb_addc(&sb, ' ');
        sb_adds(&sb, argv[i]);
    }
    if (newline)
        sb_addc(&sb, '\n');
    if (sb.s)
        out_str(1, sb.s);
    free(sb.s);
    return 0;
}

static int bi_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : var_get("HOME");
    char cwd[PATH_MAX];

    if (dir && !strcmp(dir, "-"))
        dir = var_get("OLDPWD");
    if (!dir || !*dir) {
        sh_error("cd: no folder given (HOME or OLDPWD is not set)");
        return 1;
    }
    if (chdir(dir) < 0) {
        sh_error("cd: %s: %s", dir, strerror(errno));
        return 1;
    }
    if (var_get("PWD"))
        var_set("OLDPWD", var_get("PWD"), false);
    if (getcwd(cwd, sizeof cwd))
        var_set("PWD", cwd, false);
    if (argc > 1 && !strcmp(argv[1], "-"))
        out_fmt(1, "%s\n", cwd);
    return 0;
}

static int bi_pwd(int argc, char **argv)
{
    char cwd[PATH_MAX];

    (void)argc, (void)argv;
    if (!getcwd(cwd, sizeof cwd)) {
        sh_error("pwd: %s", strerror(errno));
        return 1;
    }
    out_fmt(1, "%s\n", cwd);
    return 0;
}

static int bi_export(int argc, char **argv)
{
    int i = 1;

    if (argc > 1 && !strcmp(argv[1], "-p"))
        i++;
    if (i == argc)
        var_print(true);
    for (; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!parse_is_name(argv[i], eq ? (int)(eq - argv[i]) : -1)) {
            sh_error("export: %s: not a valid name", argv[i]);
            return 1;
        }
        if (eq)
            var_assign(argv[i], true);
        else
            var_export(argv[i]);
    }
    return 0;
}

static int bi_unset(int argc, char **argv)
{
    bool funcs = false;
    int i = 1;

    if (argc > 1 && (!strcmp(argv[1], "-f") || !strcmp(argv[1], "-v")))
        funcs = argv[i++][1] == 'f';
    for (; i < argc; i++)
        if (funcs)
            func_unset(argv[i]);
        else
            var_unset(argv[i]);
    return 0;
}

static int bi_exit(int argc, char **argv)
{
    long n = count_arg(argv, sh.status);

    (void)argc;
    shell_exit(n < 0 ? 2 : (int)(n & 255));
}

static int bi_return(int argc, char **argv)
{
    long n = count_arg(argv, sh.status);

    (void)argc;
    if (sh.func_depth == 0) {
        sh_error("return: not in a function");
        return 1;
    }
    sh.returning = true;
    return n < 0 ? 2 : (int)(n & 255);
}

static int loop_control(char **argv, int *request)
{
    long n = count_arg(argv, 1);

    if (n <= 0)
        return n < 0 ? 2 : (sh_error("%s: the count must be 1 or more", argv[0]), 1);
    if (sh.loops == 0)
        return 0;                        /* POSIX: unspecified; dash does nothing */
    *request = (int)(n > sh.loops ? sh.loops : n);
    return 0;
}

static int bi_break(int argc, char **argv) { (void)argc; return loop_control(argv, &sh.breaking); }
static int bi_continue(int argc, char **argv) { (void)argc; return loop_control(argv, &sh.continuing); }

static int bi_shift(int argc, char **argv)
{
    long n = count_arg(argv, 1);

    (void)argc;
    if (n < 0 || n > strv_len(sh.params)) {
        sh_error("shift: can't shift that many");
        return 2;
    }
    sh.params += n;
    return 0;
}

/* set -e, -x, +e, +x, and set [--] ARGS for the positional parameters. */
static int bi_set(int argc, char **argv)
{
    int i = 1;

    if (argc == 1) {
        var_print(false);
        return 0;
    }
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            bool on = argv[i][0] == '-';
            if (*o == 'e')
                sh.errexit = on;
            else if (*o == 'x')
                sh.xtrace = on;
            else
                return sh_error("set: -%c: unknown option", *o), 2;
        }
    }
    if (i < argc || (i > 1 && !strcmp(argv[i - 1], "--"))) {
        char **params = NULL;
        for (; i < argc; i++)
            params = strv_push(params, xstrdup(argv[i]));
        sh.params = params ? params : xcalloc(1, sizeof *params);   /* kept: positional params are never freed */
    }
    return 0;
}

/* A file for `.`: as given when it holds a /, else looked up in PATH. */
static char *find_in_path(const char *name, bool executable)
{
    const char *path = var_get("PATH");

    if (strchr(name, '/'))
        return xstrdup(name);
    for (const char *dir = path ? path : ""; dir && *dir; dir = strchr(dir, ':') ? strchr(dir, ':') + 1 : NULL) {
        size_t n = strcspn(dir, ":");
        struct strbuf full = { 0 };
        struct stat st;
        sb_add(&full, n ? dir : ".", n ? n : 1);
        sb_addc(&full, '/');
        sb_adds(&full, name);
        if (stat(full.s, &st) == 0 && S_ISREG(st.st_mode) && (!executable || access(full.s, X_OK) == 0))
            return sb_take(&full);
        free(full.s);
    }
    return NULL;
}

static int bi_source(int argc, char **argv)
{
    char **old = sh.params, *path;
    int status;

    if (argc < 2) {
        sh_error("%s: a file name is needed", argv[0]);
        return 2;
    }
    if (!(path = find_in_path(argv[1], false)))
        path = xstrdup(argv[1]);
    if (argc > 2)
        sh.params = argv + 2;
    status = shell_run_file(path);
    sh.params = old;
    free(path);
    return status;
}

static int bi_eval(int argc, char **argv)
{
    struct strbuf sb = { 0 };
    int status;

    for (int i = 1; i < argc; i++) {
        if (i > 1)
            sb_addc(&sb, ' ');
        sb_adds(&sb, argv[i]);
    }
    status = sb.s ? shell_run_text(sb.s, sb.len) : 0;
    free(sb.s);
    return status;
}

static int bi_type(int argc, char **argv)
{
    int status = 0;

    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        char *path;
        if (alias_get(name))
            out_fmt(1, "%s is an alias for %s\n", name, alias_get(name));
        else if (builtin_find(name) && builtin_find(name)->special)
            out_fmt(1, "%s is a special shell builtin\n", name);
        else if (func_find(name))
            out_fmt(1, "%s is a shell function\n", name);
        else if (builtin_find(name))
            out_fmt(1, "%s is a shell builtin\n", name);
        else if ((path = find_in_path(name, true))) {
            out_fmt(1, "%s is %s\n", name, path);
            free(path);
        } else {
            out_fmt(1, "%s: not found\n", name);
            status = 127;
        }
    }
    return status;
}

static int bi_alias(int argc, char **argv)
{
    int status = 0;

    if (argc == 1)
        alias_print(NULL);
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq) {
            char *name = xstrndup(argv[i], (size_t)(eq - argv[i]));
            alias_set(name, eq + 1);
            free(name);
        } else if (alias_get(argv[i])) {
            alias_print(argv[i]);
        } else {
            sh_error("alias: %s: not found", argv[i]);
            status = 1;
        }
    }
    return status;
}

static int bi_unalias(int argc, char **argv)
{
    int status = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-a")) {
            while (sh.aliases)
                alias_unset(sh.aliases->name);
        } else if (!alias_unset(argv[i])) {
            sh_error("unalias: %s: not found", argv[i]);
            status = 1;
        }
    }
    return status;
}

static int bi_wait(int argc, char **argv)
{
    int status = 0;

    if (argc == 1) {
        while (wait(NULL) > 0 || errno == EINTR)
            ;
        return 0;
    }
    for (int i = 1; i < argc; i++)
        status = exec_wait((pid_t)atoi(argv[i]));
    return status;
}

/* read [-r] NAME...: one line of standard input, split on IFS, the last name gets the rest. */
static int bi_read(int argc, char **argv)
{
    struct strbuf line = { 0 };
    const char *ifs = var_get("IFS");
    int i = 1, got = 0;
    bool raw = argc > 1 && !strcmp(argv[1], "-r");
    char c;

    i += raw;
    if (!ifs)
        ifs = " \t\n";
    while (read(0, &c, 1) == 1 && (got = 1)) {
        if (c == '\\' && !raw) {
            if (read(0, &c, 1) == 1 && c != '\n')
                sb_addc(&line, c);
            continue;
        }
        if (c == '\n')
            break;
        sb_addc(&line, c);
    }
    char *s = line.s ? line.s : "";
    for (; i < argc; i++) {
        while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
            s++;
        size_t n = i == argc - 1 ? strlen(s) : strcspn(s, ifs);
        char *v = xstrndup(s, n);
        while (i == argc - 1 && n && strchr(ifs, v[n - 1]) && strchr(" \t\n", v[n - 1]))
            v[--n] = 0;
        var_set(argv[i], v, false);
        free(v);
        s += n;
        if (*s)
            s++;
    }
    free(line.s);
    return got ? 0 : 1;
}

static const struct builtin builtins[] = {
    { ":", bi_true, true },         { ".", bi_source, true },     { "alias", bi_alias, false },
    { "break", bi_break, true },    { "cd", bi_cd, false },       { "continue", bi_continue, true },
    { "echo", bi_echo, false },     { "eval", bi_eval, true },    { "exec", bi_true, true },
    { "exit", bi_exit, true },      { "export", bi_export, true }, { "false", bi_false, false },
    { "pwd", bi_pwd, false },       { "read", bi_read, false },   { "return", bi_return, true },
    { "set", bi_set, true },        { "shift", bi_shift, true },  { "source", bi_source, true },
    { "true", bi_true, false },     { "type", bi_type, false },   { "unalias", bi_unalias, false },
    { "unset", bi_unset, true },    { "wait", bi_wait, false },
    { "trap", trap_builtin, true },   { "jobs", jobs_builtin_jobs, false }, { "fg", jobs_builtin_fg, false }, { "bg", jobs_builtin_bg, false },
};

const struct builtin *builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (!strcmp(builtins[i].name, name))
            return &builtins[i];
    return NULL;
}

const char *builtin_name(int i)
{
    return i >= 0 && (size_t)i < sizeof builtins / sizeof builtins[0] ? builtins[i].name : NULL;
}
