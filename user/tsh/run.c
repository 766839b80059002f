/*
 * run.c - running text: a script, `tsh -c`, eval, `.` and $( ) all come
 * here. The text is parsed one complete command at a time and each is run
 * before the next is parsed, so an alias or function defined on one line
 * counts on the next. A syntax error ends the text with status 2 and one
 * line: "tsh: line L, column C: MESSAGE".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "expand.h"
#include "mem.h"
#include "parse.h"
#include "run.h"
#include "shell.h"
#include "trap.h"

void run_report(const struct parser *p)
{
    out_fmt(2, "tsh: line %d, column %d: %s\n", p->err_line, p->err_col, p->err_msg);
}

int shell_run_text(const char *text, size_t len)
{
    struct parser p;
    struct node *n;
    enum parse_result r;
    int status = 0;

    if (sh.eval_depth >= SHELL_EVAL_DEPTH_MAX) {
        sh_error("eval, . and $( ) nested too deep (more than %d)", SHELL_EVAL_DEPTH_MAX);
        return 2;
    }
    sh.eval_depth++;
    parser_init(&p, text, len, 1);
    p.alias_lookup = alias_lookup;
    while ((r = parser_next(&p, &n)) == PARSE_OK) {
        status = exec_node(n, false);
        ast_free(n);
        if (sh.breaking || sh.continuing || sh.returning)
            break;
    }
    if (r == PARSE_ERROR) {
        run_report(&p);
        status = 2;
    }
    parser_free(&p);
    sh.eval_depth--;
    return status;
}

/* All of a descriptor's bytes, NUL-terminated; *len their count. */
char *run_read_all(int fd, size_t *len)
{
    struct strbuf sb = { 0 };
    char buf[4096];
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        sb_add(&sb, buf, (size_t)n);
    }
    *len = sb.len;
    return sb_take(&sb);
}

int shell_run_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), status;
    size_t len;
    char *text;

    if (fd < 0) {
        sh_error("%s: %s", path, strerror(errno));
        return 127;
    }
    text = run_read_all(fd, &len);
    close(fd);
    status = shell_run_text(text, len);
    free(text);
    return status;
}

char *run_capture(const char *text, size_t len)
{
    int p[2];
    pid_t pid;
    size_t n;
    char *out;

    if (pipe(p) < 0) {
        sh_error("pipe: %s", strerror(errno));
        return xstrdup("");
    }
    if ((pid = fork()) == 0) {
        exec_child_setup();
        close(p[0]);
        dup2(p[1], 1);
        close(p[1]);
        shell_exit(shell_run_text(text, len));
    }
    close(p[1]);
    out = run_read_all(p[0], &n);
    close(p[0]);
    if (pid > 0)
        sh.subst_status = exec_wait(pid);
    else
        sh_error("fork: %s", strerror(errno));
    return out;
}

void shell_exit(int status)
{
    sh.status = status;
    trap_run_exit();                    /* an `exit` inside it ends the shell with its own status */
    if (sh.in_child)
        _exit(status & 255);
    exit(status & 255);
}
