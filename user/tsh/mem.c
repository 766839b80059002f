/*
 * mem.c - allocation that cannot fail, and the growing string (mem.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static void *check(void *p)
{
    if (!p) {
        fputs("tsh: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

void *xmalloc(size_t size) { return check(malloc(size ? size : 1)); }
void *xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t size) { return check(realloc(p, size ? size : 1)); }

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);

    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void sb_add(struct strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_addc(struct strbuf *b, char c) { sb_add(b, &c, 1); }
void sb_adds(struct strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

char *sb_take(struct strbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");

    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}
