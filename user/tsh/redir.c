/*
 * redir.c - redirections (redir.h).
 *
 * Before a descriptor is changed, a copy of it is kept above 10 with
 * close-on-exec (F_DUPFD_CLOEXEC), so redir_restore can put it back and a
 * program started meanwhile does not inherit the copy. A here-document is
 * a pipe the shell writes the (expanded) body into; a body larger than a
 * pipe holds is written by a forked child, so the shell never blocks on it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"
#include "mem.h"
#include "redir.h"
#include "shell.h"

#define HEREDOC_INLINE_MAX 4096         /* written without a child: fits any pipe's buffer */

static void save_fd(struct redir_saved *save, int fd)
{
    if (!save)
        return;
    for (int i = 0; i < save->n; i++)
        if (save->fd[i] == fd)
            return;
    save->fd = xrealloc(save->fd, (size_t)(save->n + 1) * sizeof *save->fd);
    save->copy = xrealloc(save->copy, (size_t)(save->n + 1) * sizeof *save->copy);
    save->fd[save->n] = fd;
    save->copy[save->n] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    save->n++;
}

/* A pipe whose read end gives the body; -1 on failure. */
static int heredoc_fd(const struct redir *r)
{
    char *body = r->body_quoted ? xstrdup(r->body ? r->body : "") : expand_heredoc(r->body ? r->body : "");
    int p[2];

    if (!body)
        return -1;
    if (pipe(p) < 0) {
        sh_error("here-document: %s", strerror(errno));
        free(body);
        return -1;
    }
    size_t n = strlen(body);
    if (n <= HEREDOC_INLINE_MAX) {
        out_write(p[1], body, n);
    } else if (fork() == 0) {
        close(p[0]);
        out_write(p[1], body, n);
        _exit(0);
    }
    close(p[1]);
    free(body);
    return p[0];
}

/* The descriptor a redirection's target gives, opened; -2 for `>&-` (close). */
static int target_fd(const struct redir *r, const char *word)
{
    static const int flags[] = {
        [REDIR_IN] = O_RDONLY, [REDIR_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
        [REDIR_APPEND] = O_WRONLY | O_CREAT | O_APPEND, [REDIR_RDWR] = O_RDWR | O_CREAT,
    };
    int fd;

    if (r->kind == REDIR_HEREDOC)
        return heredoc_fd(r);
    if (r->kind == REDIR_DUP_IN || r->kind == REDIR_DUP_OUT) {
        char *end;
        if (!strcmp(word, "-"))
            return -2;
        fd = (int)strtol(word, &end, 10);
        if (!*word || *end || fd < 0 || fcntl(fd, F_GETFD) < 0) {
            sh_error("%s: bad file descriptor", word);
            return -1;
        }
        return fd;
    }
    fd = open(word, flags[r->kind] | O_CLOEXEC, 0666);
    if (fd < 0)
        sh_error("%s: %s", word, strerror(errno));
    return fd;
}

bool redir_apply(const struct redir *r, struct redir_saved *save)
{
    for (; r; r = r->next) {
        char *word = r->kind == REDIR_HEREDOC ? NULL : expand_string(r->word);
        int fd;
        if (r->kind != REDIR_HEREDOC && !word)
            return false;
        fd = target_fd(r, word);
        free(word);
        if (fd == -1)
            return false;
        save_fd(save, r->fd);
        if (fd == -2) {
            close(r->fd);
        } else if (fd != r->fd) {
            if (dup2(fd, r->fd) < 0) {
                sh_error("%d: %s", r->fd, strerror(errno));
                return false;
            }
            if (r->kind != REDIR_DUP_IN && r->kind != REDIR_DUP_OUT)
                close(fd);
        } else {
            fcntl(fd, F_SETFD, 0);          /* opened onto the very descriptor: keep it across exec */
        }
    }
    return true;
}

void redir_restore(struct redir_saved *save)
{
    for (int i = save->n - 1; i >= 0; i--) {
        if (save->copy[i] >= 0) {
            dup2(save->copy[i], save->fd[i]);
            close(save->copy[i]);
        } else {
            close(save->fd[i]);
        }
    }
    free(save->fd);
    free(save->copy);
    save->fd = save->copy = NULL;
    save->n = 0;
}
