/*
 * lex.c - the lexer (lex.h): where each word and operator of the source
 * begins and ends, comments dropped, `\` + newline joined, here-document
 * bodies read at the newline that follows their `<<`.
 *
 * A word's text is copied byte for byte. Quotes, `$(...)` and `${...}` are
 * scanned only to find their ends: `)` inside `$(...)` does not end the
 * word, nor does a blank inside quotes. That scan recurses for nested
 * quotes and substitutions, at most LEX_NEST_MAX deep.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "mem.h"

#define LEX_NEST_MAX 64

void lex_init(struct lexer *lx, const char *src, size_t len, int first_line)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = first_line;
    lx->col = 1;
}

/* The next byte without taking it, -1 at the end; an alias's text comes first. */
static int peekc(struct lexer *lx)
{
    while (lx->nalias) {
        struct lex_alias *a = &lx->alias[lx->nalias - 1];
        if (a->text[a->pos])
            return (unsigned char)a->text[a->pos];
        free(a->text);
        lx->nalias--;
    }
    return lx->pos < lx->len ? (unsigned char)lx->src[lx->pos] : -1;
}

/* The byte after peekc's, in the same input, or -1. */
static int peekc2(struct lexer *lx)
{
    if (lx->nalias) {
        struct lex_alias *a = &lx->alias[lx->nalias - 1];
        return a->text[a->pos] && a->text[a->pos + 1] ? (unsigned char)a->text[a->pos + 1] : -1;
    }
    return lx->pos + 1 < lx->len ? (unsigned char)lx->src[lx->pos + 1] : -1;
}

static int getc_(struct lexer *lx)
{
    int c = peekc(lx);

    if (c < 0)
        return c;
    if (lx->nalias) {
        lx->alias[lx->nalias - 1].pos++;
        return c;
    }
    lx->pos++;
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    return c;
}

static void set_error(struct lexer *lx, int line, int col, bool incomplete, const char *fmt, ...)
{
    va_list ap;

    if (lx->err_msg[0])
        return;
    va_start(ap, fmt);
    vsnprintf(lx->err_msg, sizeof lx->err_msg, fmt, ap);
    va_end(ap);
    lx->err_line = line;
    lx->err_col = col;
    lx->err_incomplete = incomplete;
}

bool lex_push_alias(struct lexer *lx, const char *text)
{
    if (lx->nalias == LEX_ALIAS_DEPTH)
        return false;
    lx->alias[lx->nalias].text = xstrdup(text);
    lx->alias[lx->nalias].pos = 0;
    lx->nalias++;
    return true;
}

bool lex_add_heredoc(struct lexer *lx, struct redir *r)
{
    if (lx->nheredocs == LEX_HEREDOCS_MAX)
        return false;
    lx->heredocs[lx->nheredocs++] = r;
    return true;
}

static bool scan_dollar(struct lexer *lx, struct strbuf *sb, int depth);

/* '...': everything up to the next quote, taken as it is. */
static bool scan_squote(struct lexer *lx, struct strbuf *sb)
{
    int line = lx->line, col = lx->col;

    sb_addc(sb, (char)getc_(lx));
    for (;;) {
        int c = getc_(lx);
        if (c < 0) {
            set_error(lx, line, col, true, "unterminated single quote");
            return false;
        }
        sb_addc(sb, (char)c);
        if (c == '\'')
            return true;
    }
}

/* "...": backslash pairs and substitutions inside are kept whole. */
static bool scan_dquote(struct lexer *lx, struct strbuf *sb, int depth)
{
    int line = lx->line, col = lx->col;

    sb_addc(sb, (char)getc_(lx));
    for (;;) {
        int c = peekc(lx);
        if (c < 0) {
            set_error(lx, line, col, true, "unterminated double quote");
            return false;
        }
        if (c == '"') {
            sb_addc(sb, (char)getc_(lx));
            return true;
        }
        if (c == '$') {
            if (!scan_dollar(lx, sb, depth + 1))
                return false;
            continue;
        }
        if (c == '`') {
            set_error(lx, lx->line, lx->col, false, "backquotes are not supported, use $( )");
            return false;
        }
        sb_addc(sb, (char)getc_(lx));
        if (c == '\\' && peekc(lx) >= 0)
            sb_addc(sb, (char)getc_(lx));
    }
}

/* After `$(` or `${`: up to the matching close, nested quotes and substitutions skipped. */
static bool scan_group(struct lexer *lx, struct strbuf *sb, char open, char close, int depth)
{
    int line = lx->line, col = lx->col, level = 1;

    sb_addc(sb, (char)getc_(lx));           /* the open */
    while (level) {
        int c = peekc(lx);
        bool ok = true;
        if (c < 0) {
            set_error(lx, line, col - 1, true, "missing '%c' to close '$%c'", close, open);
            return false;
        }
        if (c == '\'')
            ok = scan_squote(lx, sb);
        else if (c == '"')
            ok = scan_dquote(lx, sb, depth);
        else if (c == '$')
            ok = scan_dollar(lx, sb, depth + 1);
        else if (c == '`') {
            set_error(lx, lx->line, lx->col, false, "backquotes are not supported, use $( )");
            return false;
        } else {
            sb_addc(sb, (char)getc_(lx));
            if (c == '\\' && peekc(lx) >= 0)
                sb_addc(sb, (char)getc_(lx));
            level += (c == open) - (c == close);
        }
        if (!ok)
            return false;
    }
    return true;
}

/* `$`, and `$(...)` or `${...}` after it. */
static bool scan_dollar(struct lexer *lx, struct strbuf *sb, int depth)
{
    int c2 = peekc2(lx);

    if (depth > LEX_NEST_MAX) {
        set_error(lx, lx->line, lx->col, false, "quotes and substitutions nested too deep");
        return false;
    }
    sb_addc(sb, (char)getc_(lx));
    if (c2 == '(')
        return scan_group(lx, sb, '(', ')', depth);
    if (c2 == '{')
        return scan_group(lx, sb, '{', '}', depth);
    return true;
}

static bool ends_word(int c)
{
    return c < 0 || strchr(" \t\n&|;<>()", c);
}

/* A word: bytes up to an unquoted blank, newline or operator. */
static struct token scan_word(struct lexer *lx, struct token t)
{
    struct strbuf sb = { 0 };
    bool ok = true, digits = true;

    t.kind = TOK_WORD;
    while (ok && !ends_word(peekc(lx))) {
        int c = peekc(lx);
        if (c == '\\' && peekc2(lx) == '\n') {
            getc_(lx), getc_(lx);
            continue;
        }
        digits = digits && c >= '0' && c <= '9';
        if (c == '\'' || c == '"' || c == '\\')
            t.quoted = true;
        if (c == '\'')
            ok = scan_squote(lx, &sb);
        else if (c == '"')
            ok = scan_dquote(lx, &sb, 0);
        else if (c == '$')
            ok = scan_dollar(lx, &sb, 0);
        else if (c == '`') {
            set_error(lx, lx->line, lx->col, false, "backquotes are not supported, use $( )");
            ok = false;
        } else {
            sb_addc(&sb, (char)getc_(lx));
            if (c == '\\' && peekc(lx) >= 0)
                sb_addc(&sb, (char)getc_(lx));
        }
    }
    t.text = sb_take(&sb);
    if (!ok) {
        free(t.text);
        t.text = NULL;
        t.kind = TOK_ERROR;
    } else if (digits && (peekc(lx) == '<' || peekc(lx) == '>') && strlen(t.text) < 4) {
        t.kind = TOK_IO_NUMBER;
        t.number = atoi(t.text);
    }
    return t;
}

/* An operator: the longest one the next bytes spell. */
static struct token scan_operator(struct lexer *lx, struct token t)
{
    static const struct { const char *op; enum tok_kind kind; } ops[] = {
        { "<<-", TOK_DLESSDASH }, { "&&", TOK_AND_IF }, { "||", TOK_OR_IF }, { ";;", TOK_DSEMI },
        { "<<", TOK_DLESS }, { ">>", TOK_DGREAT }, { "<&", TOK_LESSAND }, { ">&", TOK_GREATAND },
        { "<>", TOK_LESSGREAT }, { ">|", TOK_CLOBBER }, { "&", TOK_AMP }, { "|", TOK_PIPE },
        { ";", TOK_SEMI }, { "(", TOK_LPAREN }, { ")", TOK_RPAREN }, { "<", TOK_LESS }, { ">", TOK_GREAT },
    };
    char first = (char)getc_(lx);

    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const char *op = ops[i].op;
        if (op[0] != first || (op[1] && op[1] != peekc(lx)))
            continue;
        if (op[1])
            getc_(lx);
        if (op[1] && op[2]) {
            if (peekc(lx) != op[2]) {
                t.kind = TOK_DLESS;     /* "<<" not followed by "-" */
                return t;
            }
            getc_(lx);
        }
        t.kind = ops[i].kind;
        return t;
    }
    t.kind = TOK_ERROR;
    return t;
}

char *lex_unquote_delim(const char *word, bool *quoted)
{
    struct strbuf sb = { 0 };
    char q = 0;

    *quoted = false;
    for (const char *s = word; *s; s++) {
        if (!q && (*s == '\'' || *s == '"')) {
            q = *s, *quoted = true;
        } else if (q && *s == q) {
            q = 0;
        } else if (*s == '\\' && q != '\'' && s[1]) {
            *quoted = true;
            sb_addc(&sb, *++s);
        } else {
            sb_addc(&sb, *s);
        }
    }
    return sb_take(&sb);
}

/* One line of the base source, without its newline; false at the very end. */
static bool read_line(struct lexer *lx, struct strbuf *line)
{
    if (lx->pos >= lx->len)
        return false;
    while (lx->pos < lx->len && lx->src[lx->pos] != '\n') {
        sb_addc(line, lx->src[lx->pos]);
        getc_(lx);
    }
    if (lx->pos < lx->len)
        getc_(lx);
    return true;
}

/* The bodies of the here-documents whose `<<` were on the line just ended. */
static bool read_heredocs(struct lexer *lx)
{
    for (int i = 0; i < lx->nheredocs; i++) {
        struct redir *r = lx->heredocs[i];
        struct strbuf body = { 0 };
        char *delim = lex_unquote_delim(r->word, &r->body_quoted);
        int line = lx->line;
        bool found = false;
        for (;;) {
            struct strbuf ln = { 0 };
            bool more = read_line(lx, &ln);
            char *text = sb_take(&ln), *t = text;
            while (r->strip_tabs && *t == '\t')
                t++;
            found = more && strcmp(t, delim) == 0;
            if (more && !found) {
                sb_adds(&body, t);
                sb_addc(&body, '\n');
            }
            free(text);
            if (!more || found)
                break;
        }
        if (!found)
            set_error(lx, line, 1, true, "here-document ended by the end of input, expected '%s'", delim);
        free(delim);
        r->body = sb_take(&body);
        if (!found) {
            lx->nheredocs = 0;
            return false;
        }
    }
    lx->nheredocs = 0;
    return true;
}

/* Blanks, `\` + newline pairs and a comment before the next token. */
static void skip_blanks(struct lexer *lx)
{
    for (;;) {
        int c = peekc(lx);
        if (c == ' ' || c == '\t') {
            getc_(lx);
        } else if (c == '\\' && peekc2(lx) == '\n') {
            getc_(lx), getc_(lx);
        } else if (c == '#') {
            while (peekc(lx) >= 0 && peekc(lx) != '\n')
                getc_(lx);
        } else {
            return;
        }
    }
}

struct token lex_next(struct lexer *lx)
{
    struct token t = { 0 };
    int c;

    skip_blanks(lx);
    t.line = lx->line;
    t.col = lx->col;
    c = peekc(lx);
    if (c == 0) {
        set_error(lx, t.line, t.col, false, "NUL byte in the input");
        t.kind = TOK_ERROR;
    } else if (c < 0) {
        t.kind = TOK_EOF;
        if (lx->nheredocs && !read_heredocs(lx))
            t.kind = TOK_ERROR;
    } else if (c == '\n') {
        getc_(lx);
        t.kind = TOK_NEWLINE;
        if (lx->nheredocs && !read_heredocs(lx))
            t.kind = TOK_ERROR;
    } else if (strchr("&|;<>()", c)) {
        t = scan_operator(lx, t);
    } else {
        t = scan_word(lx, t);
    }
    return t;
}

void lex_free(struct lexer *lx)
{
    while (lx->nalias)
        free(lx->alias[--lx->nalias].text);
}

void lex_token_free(struct token *t)
{
    free(t->text);
    t->text = NULL;
}

const char *lex_token_name(const struct token *t)
{
    static const char *const names[] = {
        [TOK_WORD] = "word", [TOK_IO_NUMBER] = "number", [TOK_NEWLINE] = "newline",
        [TOK_EOF] = "end of input", [TOK_ERROR] = "error", [TOK_AND_IF] = "&&", [TOK_OR_IF] = "||",
        [TOK_DSEMI] = ";;", [TOK_AMP] = "&", [TOK_PIPE] = "|", [TOK_SEMI] = ";", [TOK_LPAREN] = "(",
        [TOK_RPAREN] = ")", [TOK_LESS] = "<", [TOK_GREAT] = ">", [TOK_DGREAT] = ">>",
        [TOK_DLESS] = "<<", [TOK_DLESSDASH] = "<<-", [TOK_LESSAND] = "<&", [TOK_GREATAND] = ">&",
        [TOK_LESSGREAT] = "<>", [TOK_CLOBBER] = ">|",
    };
    return t->kind == TOK_WORD ? t->text : names[t->kind];
}
