/*
 * expand.c - word expansion (expand.h).
 *
 * A word is expanded into a buffer of bytes with one flag per byte: where
 * the byte came from decides what happens next. LITERAL bytes were
 * unquoted in the source (they may glob), QUOTED ones were quoted (they do
 * nothing more), EXPANDED ones came from an unquoted expansion (they are
 * split on IFS and may glob), and a BREAK between the elements of "$@"
 * ends a field whatever IFS holds.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arith.h"
#include "expand.h"
#include "glob.h"
#include "mem.h"
#include "parse.h"
#include "shell.h"

enum { LITERAL, QUOTED, EXPANDED, BREAK };

struct xbuf {
    struct strbuf s, f;         /* the bytes and their flags */
    bool quoted;                /* a quote was seen: the word makes a field even when empty */
    bool heredoc;               /* quotes are plain text */
    bool failed;
};

static void xadd(struct xbuf *x, const char *s, size_t n, char flag)
{
    sb_add(&x->s, s, n);
    for (size_t i = 0; i < n; i++)
        sb_addc(&x->f, flag);
}

/* The index of the " closing the one at s[i] (of the NUL when none). */
static size_t skip_dquote(const char *s, size_t i)
{
    for (i++; s[i] && s[i] != '"'; i++)
        if (s[i] == '\\' && s[i + 1])
            i++;
    return i;
}

/* The index of the close matching the open at s[i], quoted parts skipped (the lexer
 * has checked the nesting; a "..." holding a $( ) with quotes of its own is not). */
static size_t match_close(const char *s, size_t i, char open, char close)
{
    int level = 0;

    for (; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1])
            i++;
        else if (s[i] == '\'' && strchr(s + i + 1, '\''))
            i = (size_t)(strchr(s + i + 1, '\'') - s);
        else if (s[i] == '"' && (i = skip_dquote(s, i), !s[i]))
            return i;
        else if (s[i] == open)
            level++;
        else if (s[i] == close && --level == 0)
            return i;
    }
    return i;
}

static void expand_into(struct xbuf *x, const char *src, size_t len, bool dq);

/* The positional parameters as "$@" (BREAK between) or "$*" (IFS's first byte between). */
static void add_params(struct xbuf *x, bool at, bool dq)
{
    const char *ifs = var_get("IFS");
    char sep = ifs ? ifs[0] : ' ';

    for (int i = 0; sh.params[i]; i++) {
        if (i && (at || !dq))
            xadd(x, "", 1, BREAK);
        else if (i && sep)
            xadd(x, &sep, 1, QUOTED);
        xadd(x, sh.params[i], strlen(sh.params[i]), dq ? QUOTED : EXPANDED);
    }
}

/* $?, $$, ... and $0..$9 into buf; false if c is none of them. */
static bool special_param(char c, char *buf, size_t size)
{
    int n = c - '0';

    if (c == '?')
        snprintf(buf, size, "%d", sh.status);
    else if (c == '$')
        snprintf(buf, size, "%d", (int)sh.pid);
    else if (c == '!')
        snprintf(buf, size, "%d", (int)sh.last_bg);
    else if (c == '#')
        snprintf(buf, size, "%d", strv_len(sh.params));
    else if (c == '-')
        snprintf(buf, size, "%s%s", sh.errexit ? "e" : "", sh.xtrace ? "x" : "");
    else if (c == '0')
        snprintf(buf, size, "%s", sh.arg0);
    else if (n >= 1 && n <= 9)
        snprintf(buf, size, "%s", n <= strv_len(sh.params) ? sh.params[n - 1] : "");
    else
        return false;
    if (c == '!' && !sh.last_bg)
        buf[0] = 0;
    return true;
}

/* The value of a parameter by name ("x", "10", "?"), or NULL when unset. */
static const char *param_value(const char *name, char *buf, size_t size)
{
    if (parse_is_name(name, -1))
        return var_get(name);
    if (name[0] >= '1' && name[0] <= '9' && strspn(name, "0123456789") == strlen(name)) {
        int n = atoi(name);
        return n <= strv_len(sh.params) ? sh.params[n - 1] : NULL;
    }
    if (name[0] && !name[1] && special_param(name[0], buf, size))
        return buf;
    return NULL;
}

static void add_value(struct xbuf *x, const char *v, bool dq)
{
    xadd(x, v, strlen(v), dq ? QUOTED : EXPANDED);
}

/* ${#name}: the length of the value. */
static void brace_length(struct xbuf *x, const char *name, size_t len, bool dq)
{
    char buf[32], *n = xstrndup(name, len);
    const char *v = param_value(n, buf, sizeof buf);

    snprintf(buf, sizeof buf, "%zu", v ? strlen(v) : 0);
    add_value(x, buf, dq);
    free(n);
}

/* ${NAME[:]OPword}, taken apart. */
struct brace {
    char *name;
    bool colon;                 /* `:-` and kin: empty counts as unset */
    char op;                    /* - = + ? % # or 0 for plain ${NAME} */
    bool longest;               /* %% or ## */
    const char *word;
    size_t wlen;
};

static bool split_brace(const char *body, size_t len, struct brace *b)
{
    size_t n = 0;
    const char *op;

    if (len && strchr("@*?$!#-0123456789", body[0]))
        n = 1 + (body[0] >= '0' && body[0] <= '9' ? strspn(body + 1, "0123456789") : 0);
    else
        while (n < len && parse_is_name(body, (int)n + 1))
            n++;
    op = body + n;
    if (n == 0 || (n < len && !strchr(":-=+?%#", *op)) ||
        (n < len && *op == ':' && (n + 1 >= len || !strchr("-=+?", op[1]))))
        return false;
    b->name = xstrndup(body, n);
    b->colon = n < len && *op == ':';
    b->op = n < len ? op[b->colon] : 0;
    b->word = n < len ? op + b->colon + 1 : op;
    b->longest = (b->op == '%' || b->op == '#') && b->word < body + len && *b->word == b->op;
    b->word += b->longest;
    b->wlen = len - (size_t)(b->word - body);
    return true;
}

/* ${NAME:=word} of an unset NAME: the word, expanded, becomes its value. */
static void assign_default(struct xbuf *x, const struct brace *b, bool dq)
{
    struct xbuf w = { .heredoc = true };
    char *val;

    expand_into(&w, b->word, b->wlen, true);
    val = sb_take(&w.s);
    if (parse_is_name(b->name, -1))
        var_set(b->name, val, false);
    add_value(x, val, dq);
    free(val);
    free(w.f.s);
}

static char *as_pattern(const char *s, const char *f, size_t n);

/* ${NAME%word} ${NAME%%word} ${NAME#word} ${NAME##word}: the value less the shortest or longest
 * suffix or prefix the pattern matches. */
static void remove_pattern(struct xbuf *x, const char *v, const struct brace *b, bool dq)
{
    struct xbuf w = { 0 };
    size_t len = strlen(v), keep_from = 0, keep_len = len;
    char *pat, *part = xmalloc(len + 1);

    expand_into(&w, b->word, b->wlen, false);
    pat = as_pattern(w.s.s ? w.s.s : "", w.f.s, w.s.len);
    for (size_t k = 0; k <= len; k++) {
        size_t i = b->longest == (b->op == '#') ? len - k : k;     /* the cut, in the order to try */
        bool match;
        if (b->op == '#') {
            memcpy(part, v, i);
            part[i] = 0;
            match = glob_match(pat, part);
        } else {
            match = glob_match(pat, v + i);
        }
        if (match) {
            keep_from = b->op == '#' ? i : 0;
            keep_len = b->op == '#' ? len - i : i;
            break;
        }
    }
    xadd(x, v + keep_from, keep_len, dq ? QUOTED : EXPANDED);
    free(part);
    free(pat);
    free(w.s.s);
    free(w.f.s);
}

/* ${...}: body is what is between the braces. */
static void expand_braces(struct xbuf *x, const char *body, size_t len, bool dq)
{
    struct brace b;
    char buf[32];

    if (len > 1 && body[0] == '#') {
        brace_length(x, body + 1, len - 1, dq);
        return;
    }
    if (!split_brace(body, len, &b)) {
        sh_error("${%.*s}: bad substitution", (int)len, body);
        x->failed = true;
        return;
    }
    bool is_at = !strcmp(b.name, "@") || !strcmp(b.name, "*");
    const char *v = is_at ? (sh.params[0] ? "" : NULL) : param_value(b.name, buf, sizeof buf);
    bool unset = !v || (b.colon && !*v && !(is_at && sh.params[0]));

    if ((b.op == '-' && unset) || (b.op == '+' && !unset)) {
        expand_into(x, b.word, b.wlen, dq);
    } else if (b.op == '=' && unset) {
        assign_default(x, &b, dq);
    } else if (b.op == '?' && unset) {
        sh_error("%s: %.*s", b.name, (int)b.wlen, b.wlen ? b.word : "parameter not set");
        x->failed = true;
    } else if (b.op == '%' || b.op == '#') {
        remove_pattern(x, v ? v : "", &b, dq);
    } else if (b.op != '+' && is_at) {
        add_params(x, b.name[0] == '@', dq);
    } else if (b.op != '+' && v) {
        add_value(x, v, dq);
    }
    free(b.name);
}

static void expand_arith(struct xbuf *x, const char *body, size_t len, bool dq)
{
    struct xbuf inner = { .heredoc = true };
    char err[128], buf[32];
    long v;

    expand_into(&inner, body, len, true);
    char *expr = sb_take(&inner.s);
    free(inner.f.s);
    if (inner.failed || !arith_eval(expr, &v, err, sizeof err)) {
        if (!inner.failed)
            sh_error("%s: %s", expr, err);
        x->failed = true;
    } else {
        snprintf(buf, sizeof buf, "%ld", v);
        add_value(x, buf, dq);
    }
    free(expr);
}

static void expand_command(struct xbuf *x, const char *body, size_t len, bool dq)
{
    char *out = run_capture(body, len);
    size_t n = strlen(out);

    while (n && out[n - 1] == '\n')
        n--;
    xadd(x, out, n, dq ? QUOTED : EXPANDED);
    free(out);
}

/* $((...)), $(...) or ${...} at src[i]; the index after it. */
static size_t expand_group(struct xbuf *x, const char *src, size_t i, size_t len, bool dq)
{
    char open = src[i + 1];
    size_t end = match_close(src, i + 1, open, open == '(' ? ')' : '}');

    if (end >= len) {
        sh_error("missing '%c'", open == '(' ? ')' : '}');
        x->failed = true;
        return len;
    }
    if (open == '(' && src[i + 2] == '(' && match_close(src, i + 2, '(', ')') + 1 == end)
        expand_arith(x, src + i + 3, end - i - 4, dq);
    else if (open == '(')
        expand_command(x, src + i + 2, end - i - 2, dq);
    else
        expand_braces(x, src + i + 2, end - i - 2, dq);
    return end + 1;
}

/* A `$` at src[i]: what follows it expanded; the index after it. */
static size_t expand_dollar(struct xbuf *x, const char *src, size_t i, size_t len, bool dq)
{
    char c = i + 1 < len ? src[i + 1] : 0, buf[32];
    size_t n = 1;

    if (c == '(' || c == '{')
        return expand_group(x, src, i, len, dq);
    if (c == '@' || c == '*') {
        add_params(x, c == '@', dq);
        return i + 2;
    }
    if (c && special_param(c, buf, sizeof buf)) {
        add_value(x, buf, dq);
        return i + 2;
    }
    if (!parse_is_name(&c, 1)) {
        xadd(x, "$", 1, dq ? QUOTED : LITERAL);
        return i + 1;
    }
    while (i + 1 + n < len && parse_is_name(src + i + 1, (int)n + 1))
        n++;
    char *name = xstrndup(src + i + 1, n);
    const char *v = var_get(name);
    if (v)
        add_value(x, v, dq);
    free(name);
    return i + 1 + n;
}

/* A backslash at src[i] (not the last byte): what it quotes; the index after. Inside
 * double quotes (and in a here-document) it quotes only $ ` " \ and newline. */
static size_t expand_backslash(struct xbuf *x, const char *src, size_t i, bool dq)
{
    char next = src[i + 1];

    if (dq && next == '\n')
        return i + 2;
    if (dq && !strchr(x->heredoc ? "$`\\" : "$`\"\\", next)) {
        xadd(x, "\\", 1, QUOTED);
        return i + 1;
    }
    xadd(x, &next, 1, QUOTED);
    x->quoted |= !dq;
    return i + 2;
}

static void expand_into(struct xbuf *x, const char *src, size_t len, bool dq)
{
    size_t i = 0, dq_start = 0;
    bool dq_has_at = false;

    if (!dq && len && src[0] == '~' && (len == 1 || src[1] == '/')) {
        const char *home = var_get("HOME");
        xadd(x, home ? home : "~", strlen(home ? home : "~"), QUOTED);
        i = 1;
    }
    while (i < len && !x->failed) {
        char c = src[i];
        if (c == '\'' && !dq && !x->heredoc) {
            size_t end = i + 1;
            while (end < len && src[end] != '\'')
                end++;
            xadd(x, src + i + 1, end - i - 1, QUOTED);
            x->quoted = true;
            i = end + 1;
        } else if (c == '"' && !x->heredoc) {
            if (!dq)
                dq_start = x->s.len, dq_has_at = false;
            else if (x->s.len > dq_start || !dq_has_at)
                x->quoted = true;           /* "$@" alone, with no parameters, makes no field */
            dq = !dq;
            i++;
        } else if (c == '\\' && i + 1 < len) {
            i = expand_backslash(x, src, i, dq);
        } else if (c == '$') {
            dq_has_at |= dq && i + 1 < len && (src[i + 1] == '@' || !strncmp(src + i + 1, "{@}", 3));
            i = expand_dollar(x, src, i, len, dq);
        } else {
            xadd(x, &c, 1, dq ? QUOTED : LITERAL);
            i++;
        }
    }
}

/* The field's bytes as a pattern: quoted pattern characters and backslashes escaped. */
static char *as_pattern(const char *s, const char *f, size_t n)
{
    struct strbuf sb = { 0 };

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' || (f[i] == QUOTED && strchr("*?[]", s[i])))
            sb_addc(&sb, '\\');
        sb_addc(&sb, s[i]);
    }
    return sb_take(&sb);
}

/* A finished field: globbed when it has an unquoted pattern character. */
static void push_field(char ***out, const char *s, const char *f, size_t n)
{
    bool magic = false;

    for (size_t i = 0; i < n; i++)
        magic |= f[i] != QUOTED && strchr("*?[", s[i]);
    if (magic) {
        char *pat = as_pattern(s, f, n);
        char **matches = glob_expand(pat);
        free(pat);
        if (matches) {
            for (int i = 0; matches[i]; i++)
                *out = strv_push(*out, matches[i]);
            free(matches);
            return;
        }
    }
    *out = strv_push(*out, xstrndup(s, n));
}

/* Field splitting of one expanded word into *out. */
static void split_fields(struct xbuf *x, char ***out)
{
    const char *ifs = var_get("IFS"), *s = x->s.s ? x->s.s : "", *f = x->f.s;
    size_t n = x->s.len;
    bool have = false, pushed = false;
    struct strbuf fs = { 0 }, ff = { 0 };

    if (!ifs)
        ifs = " \t\n";
    for (size_t i = 0; i < n; i++) {
        bool sep = f[i] == EXPANDED && *ifs && strchr(ifs, s[i]);
        bool white = sep && strchr(" \t\n", s[i]);
        if (f[i] == BREAK || (sep && (have || !white))) {
            push_field(out, fs.s ? fs.s : "", ff.s, fs.len);
            pushed = true;
            fs.len = ff.len = 0;
            have = f[i] == BREAK;
        } else if (!sep) {
            sb_addc(&fs, s[i]);
            sb_addc(&ff, f[i]);
            have = true;
        }
    }
    if (have || (!pushed && x->quoted))
        push_field(out, fs.s ? fs.s : "", ff.s ? ff.s : "", fs.len);
    free(fs.s);
    free(ff.s);
}

static void xfree(struct xbuf *x)
{
    free(x->s.s);
    free(x->f.s);
}

char **expand_words(char *const *words)
{
    char **out = xcalloc(1, sizeof *out);

    for (int i = 0; words && words[i]; i++) {
        struct xbuf x = { 0 };
        expand_into(&x, words[i], strlen(words[i]), false);
        if (x.failed) {
            xfree(&x);
            strv_free(out);
            return NULL;
        }
        split_fields(&x, &out);
        xfree(&x);
    }
    return out;
}

static char *expand_one(const char *word, bool pattern, bool heredoc)
{
    struct xbuf x = { .heredoc = heredoc };
    char *s;

    expand_into(&x, word, strlen(word), heredoc);
    for (size_t i = 0; i < x.s.len; i++)
        if (x.f.s[i] == BREAK)
            x.s.s[i] = ' ';
    if (x.failed)
        s = NULL;
    else if (pattern)
        s = as_pattern(x.s.s ? x.s.s : "", x.f.s, x.s.len);
    else
        s = xstrndup(x.s.s ? x.s.s : "", x.s.len);
    xfree(&x);
    return s;
}

char *expand_string(const char *word) { return expand_one(word, false, false); }
char *expand_pattern(const char *word) { return expand_one(word, true, false); }
char *expand_heredoc(const char *body) { return expand_one(body, false, true); }
