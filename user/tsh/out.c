/*
 * out.c - the shell's own output: write(2) straight to the descriptor, no
 * stdio buffer (a fork would copy a buffer not yet written, and a child's
 * dup2 would not reach it). Error messages begin with "tsh: ".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

void out_str(int fd, const char *s)
{
    out_write(fd, s, strlen(s));
}

void out_write(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = write(fd, s, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

static void out_vfmt(int fd, const char *prefix, const char *fmt, va_list ap)
{
    char buf[1024];
    int n = (int)strlen(prefix);

    memcpy(buf, prefix, (size_t)n);
    vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    out_str(fd, buf);
}

void out_fmt(int fd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    out_vfmt(fd, "", fmt, ap);
    va_end(ap);
}

void sh_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    out_vfmt(2, "tsh: ", fmt, ap);
    va_end(ap);
    out_str(2, "\n");
}
