/*
 * glob.c - pattern matching and path name expansion (glob.h).
 *
 * Matching is iterative: a `*` remembers where it stood and the match
 * backs up to it on a mismatch, so no pattern costs more than
 * len(pattern) * len(string) steps. Expansion walks the pattern one path
 * component at a time; a component without pattern characters is taken
 * as it is, one with them is matched against its folder's entries (a
 * leading `.` must be matched by a `.` in the pattern).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ast.h"
#include "glob.h"
#include "mem.h"

/* [...] at *pp against c: *pp moves past the bracket. -1: not a bracket expression. */
static int match_bracket(const char **pp, unsigned char c)
{
    const char *p = *pp + 1;
    bool negate = false, found = false;

    if (*p == '!' || *p == '^')
        negate = true, p++;
    for (bool first = true; *p && (first || *p != ']'); first = false) {
        unsigned char lo = (unsigned char)*p, hi;
        if (*p == '\\' && p[1])
            lo = (unsigned char)*++p;
        p++;
        hi = lo;
        if (p[0] == '-' && p[1] && p[1] != ']') {
            hi = (unsigned char)p[1];
            if (p[1] == '\\' && p[2])
                hi = (unsigned char)p[2], p++;
            p += 2;
        }
        if (c >= lo && c <= hi)
            found = true;
    }
    if (*p != ']')
        return -1;
    *pp = p + 1;
    return found != negate;
}

/* One pattern element at *pp against c; *pp moves past it. */
static bool match_one(const char **pp, unsigned char c)
{
    const char *p = *pp;

    if (*p == '?') {
        *pp = p + 1;
        return true;
    }
    if (*p == '[') {
        int r = match_bracket(pp, c);
        if (r >= 0)
            return r;
    }
    if (*p == '\\' && p[1])
        p++;
    *pp = p + 1;
    return (unsigned char)*p == c;
}

bool glob_match(const char *pattern, const char *s)
{
    const char *p = pattern, *star_p = NULL, *star_s = NULL;

    while (*s) {
        const char *q = p;
        if (*p == '*') {
            star_p = ++p;
            star_s = s;
            continue;
        }
        if (*p && match_one(&q, (unsigned char)*s)) {
            p = q;
            s++;
            continue;
        }
        if (!star_p)
            return false;
        p = star_p;
        s = ++star_s;
    }
    while (*p == '*')
        p++;
    return !*p;
}

bool glob_has_magic(const char *pattern)
{
    for (const char *p = pattern; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '*' || *p == '?' || *p == '[')
            return true;
    }
    return false;
}

static char *unescape(const char *s, size_t n)
{
    struct strbuf sb = { 0 };

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        sb_addc(&sb, s[i]);
    }
    return sb_take(&sb);
}

static char *join(const char *dir, const char *name)
{
    struct strbuf sb = { 0 };

    sb_adds(&sb, dir);
    if (*dir && dir[strlen(dir) - 1] != '/')
        sb_addc(&sb, '/');
    sb_adds(&sb, name);
    return sb_take(&sb);
}

/* Match the components of rest under dir ("" for the current folder) into *out. */
static void expand_from(const char *dir, const char *rest, char ***out)
{
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    char *comp = xstrndup(rest, n);
    struct dirent *e;
    DIR *d;

    if (!glob_has_magic(comp)) {
        char *name = unescape(comp, n), *path = join(dir, name);
        struct stat st;
        if (slash)
            expand_from(path, slash + 1, out);
        else if (lstat(path, &st) == 0)
            *out = strv_push(*out, xstrdup(path));
        free(name);
        free(path);
    } else if ((d = opendir(*dir ? dir : "."))) {
        while ((e = readdir(d))) {
            if ((e->d_name[0] == '.' && comp[0] != '.') || !glob_match(comp, e->d_name))
                continue;
            char *path = join(dir, e->d_name);
            if (slash)
                expand_from(path, slash + 1, out);
            else
                *out = strv_push(*out, xstrdup(path));
            free(path);
        }
        closedir(d);
    }
    free(comp);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **glob_expand(const char *pattern)
{
    char **out = NULL;

    if (pattern[0] == '/')
        expand_from("/", pattern + 1, &out);
    else
        expand_from("", pattern, &out);
    if (out)
        qsort(out, (size_t)strv_len(out), sizeof *out, by_string);
    return out;
}
