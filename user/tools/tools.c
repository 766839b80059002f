/*
 * tools.c - the helpers every tool of user/tools/ shares (tools.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools.h"

#define READ_CHUNK  4096

const char *tool_name = "tool";

void tool_fail(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "%s: ", tool_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

const char *tool_proc_root(void)
{
    const char *root = getenv("TESSERA_PROC");

    return root && *root ? root : "/proc";
}

/* Read fd to its end into a growing buffer; NULL with errno on failure. */
static char *read_all(int fd, size_t *len)
{
    size_t cap = READ_CHUNK, n = 0;
    char *buf = malloc(cap + 1);

    while (buf) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    if (!buf)
        return NULL;
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

char *tool_read_proc(const char *rel, size_t *len)
{
    char path[4096];
    char *text;
    int fd, saved;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", tool_proc_root(), rel) >= sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    text = read_all(fd, len);
    saved = errno;
    close(fd);
    errno = saved;
    return text;
}

char *tool_read_proc_or_fail(const char *rel, size_t *len)
{
    char *text = tool_read_proc(rel, len);

    if (!text)
        tool_fail("cannot read %s/%s: %s", tool_proc_root(), rel, strerror(errno));
    return text;
}

void tool_size_text(uint64_t bytes, char *out, size_t size)
{
    static const char units[] = "KMGTPE";
    double v = (double)bytes;
    int u = -1;

    while (v >= 1024 && u < (int)sizeof units - 2) {
        v /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(out, size, "%llu", (unsigned long long)bytes);
    else if (v < 10 && v != (double)(uint64_t)v)
        snprintf(out, size, "%.1f%c", v, units[u]);
    else
        snprintf(out, size, "%.0f%c", v, units[u]);
}

int tool_parse_number(const char *text, long *out)
{
    char *end;
    long v;

    if (!text || *text < '0' || *text > '9')
        return -1;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int tool_only_flag(int argc, char **argv, char flag, const char *usage_text)
{
    char letters[] = { flag, 0 };
    int given = 0, opt;

    while ((opt = getopt(argc, argv, letters)) != -1) {
        if (opt != flag) {
            fputs(usage_text, stderr);
            exit(2);
        }
        given = 1;
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        exit(2);
    }
    return given;
}
