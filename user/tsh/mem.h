/*
 * mem.h - allocation that cannot fail: on exhaustion tsh prints one line and
 * exits with status 2, so no caller carries an out-of-memory path.
 */
#pragma once

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growing string: append bytes, take the result. */
struct strbuf {
    char *s;
    size_t len, cap;
};
void sb_addc(struct strbuf *b, char c);
void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_adds(struct strbuf *b, const char *s);
char *sb_take(struct strbuf *b);        /* the NUL-terminated string; b is empty again */
