/*
 * main.c - tsh's start: the arguments, the shell's first state, and the
 * interactive loop.
 *
 *   tsh                  commands from standard input (a prompt when it is a terminal)
 *   tsh FILE [ARG...]    a script; $0 is FILE, $1... the ARGs
 *   tsh -c CMD [NAME [ARG...]]   CMD; $0 is NAME
 *   -e and -x before any of these set errexit and xtrace; -i makes the shell
 *   interactive even when standard input is no terminal (the tests use it).
 *   An argv[0] starting with '-' (init's "-tsh") makes a login shell: it runs
 *   /etc/profile, then $HOME/.profile, before its first prompt.
 *
 * The interactive loop reads a line and parses all it has; when the parser
 * says the text ended too early (an open quote, an `if` without `fi`) it
 * prints PS2 and reads another line. A syntax error is reported and the
 * text thrown away; the shell goes on.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "history.h"
#include "jobs.h"
#include "lineedit.h"
#include "mem.h"
#include "parse.h"
#include "prompt.h"
#include "run.h"
#include "shell.h"

extern char **environ;

struct shell sh;

static void init_shell(char *arg0, char **params)
{
    char pid[24];

    sh.pid = getpid();
    sh.arg0 = arg0;
    sh.params = params;
    var_import(environ);
    var_set("PS1", "$ ", false);
    var_set("PS2", "> ", false);
    var_set("PPID", (snprintf(pid, sizeof pid, "%d", (int)getppid()), pid), false);
    var_unset("IFS");
    jobs_init();
}

static char *history_path;              /* ~/.tsh_history, when the line editor is on */

/* One line from standard input into *text (with its newline); false at the end. */
static bool read_line(struct strbuf *text, const char *prompt)
{
    char c, *line;
    ssize_t n;
    bool any = false;

    if (history_path) {
        if (!(line = le_read_line(prompt)))
            return false;
        history_add(line, history_path);
        sb_adds(text, line);
        sb_addc(text, '\n');
        free(line);
        return true;
    }
    if (sh.interactive)
        out_str(2, prompt);
    while ((n = read(0, &c, 1)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        any = true;
        sb_addc(text, c);
        if (c == '\n')
            return true;
    }
    return any;
}

/* The line editor and history for a shell whose input is a terminal. */
static void start_editing(void)
{
    const char *home = var_get("HOME");
    struct strbuf path = { 0 };

    if (!sh.interactive || !isatty(0))
        return;
    sb_adds(&path, home && *home ? home : "/");
    sb_adds(&path, "/.tsh_history");
    history_path = sb_take(&path);
    history_load(history_path);
}

/* Parse the whole text; run it if complete. False: it needs more lines. */
static bool run_complete(const char *text, size_t len, bool at_end, int first_line)
{
    struct parser p;
    struct node *n, **cmds = NULL;
    int ncmds = 0;
    enum parse_result r;

    parser_init(&p, text, len, first_line);
    p.alias_lookup = alias_lookup;
    while ((r = parser_next(&p, &n)) == PARSE_OK) {
        cmds = xrealloc(cmds, (size_t)(ncmds + 1) * sizeof *cmds);
        cmds[ncmds++] = n;
    }
    bool wait_more = r == PARSE_ERROR && p.err_incomplete && !at_end;
    if (r == PARSE_ERROR && !wait_more) {
        run_report(&p);
        sh.status = 2;
        if (!sh.interactive)
            shell_exit(2);              /* commands from a pipe or file: as a script would */
    }
    for (int i = 0; i < ncmds; i++) {
        if (r == PARSE_EOF)
            exec_node(cmds[i], false);
        ast_free(cmds[i]);
    }
    free(cmds);
    parser_free(&p);
    return !wait_more;
}

/* A login shell's profiles, each run when it is there to read. */
static void run_profiles(void)
{
    const char *home = var_get("HOME");
    struct strbuf path = { 0 };

    if (access("/etc/profile", R_OK) == 0)
        shell_run_file("/etc/profile");
    if (home && *home) {
        sb_adds(&path, home);
        sb_adds(&path, strcmp(home, "/") ? "/.profile" : ".profile");
        char *p = sb_take(&path);
        if (access(p, R_OK) == 0)
            shell_run_file(p);
        free(p);
    }
}

static int interactive_loop(void)
{
    struct strbuf text = { 0 };
    int line = 1;                       /* of the text's first line, counted over the session */

    start_editing();
    for (;;) {
        if (!text.len)
            jobs_notify();
        const char *ps = var_get(text.len ? "PS2" : "PS1");
        char *prompt = prompt_expand(ps ? ps : "");
        bool more = read_line(&text, prompt);
        free(prompt);
        if (!more && !text.len)
            break;
        if (run_complete(text.s, text.len, !more, line)) {
            for (size_t i = 0; i < text.len; i++)
                line += text.s[i] == '\n';
            free(text.s);
            text = (struct strbuf){ 0 };
        }
        if (!more)
            break;
        sh.breaking = sh.continuing = 0;
        sh.returning = false;
    }
    free(text.s);
    if (sh.interactive && !history_path)
        out_str(2, "\n");
    return sh.status;
}

static _Noreturn void usage(void)
{
    out_str(2, "usage: tsh [-eix] [FILE [ARG...] | -c COMMAND [NAME [ARG...]]]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int i = 1;
    const char *command = NULL;
    bool force_interactive = false;

    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'c' && i + 1 < argc)
                command = argv[++i];
            else if (*o == 'e')
                sh.errexit = true;
            else if (*o == 'x')
                sh.xtrace = true;
            else if (*o == 'i')
                force_interactive = true;
            else
                usage();
        }
    }
    if (command) {
        init_shell(i < argc ? argv[i] : argv[0], argv + (i < argc ? i + 1 : argc));
        shell_exit(shell_run_text(command, strlen(command)));
    }
    if (i < argc) {
        init_shell(argv[i], argv + i + 1);
        shell_exit(shell_run_file(argv[i]));
    }
    sh.interactive = force_interactive || (isatty(0) && isatty(2));
    init_shell(argv[0], argv + argc);
    if (argv[0][0] == '-')
        run_profiles();
    shell_exit(interactive_loop());
}
