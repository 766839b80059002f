/*
 * parse.c - the recursive-descent parser (parse.h).
 *
 * Each parse_X function returns the tree of one X, or NULL after an error
 * (p->err set), having freed whatever it had built. Reserved words are
 * words the parser recognises where a command may begin, when unquoted.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "parse.h"

static struct node *parse_list(struct parser *p, bool multiline);
static struct node *parse_command(struct parser *p);

void parser_init(struct parser *p, const char *src, size_t len, int first_line)
{
    memset(p, 0, sizeof *p);
    lex_init(&p->lx, src, len, first_line);
}

void parser_free(struct parser *p)
{
    if (p->have_tok)
        lex_token_free(&p->tok);
    p->have_tok = false;
    lex_free(&p->lx);
}

static void fail_at(struct parser *p, int line, int col, bool incomplete, const char *fmt, ...)
{
    va_list ap;

    if (p->err)
        return;
    p->err = true;
    p->err_line = line;
    p->err_col = col;
    p->err_incomplete = incomplete;
    va_start(ap, fmt);
    vsnprintf(p->err_msg, sizeof p->err_msg, fmt, ap);
    va_end(ap);
}

static struct token *peek(struct parser *p)
{
    if (!p->have_tok) {
        p->tok = lex_next(&p->lx);
        p->have_tok = true;
        if (p->tok.kind == TOK_ERROR)
            fail_at(p, p->lx.err_line, p->lx.err_col, p->lx.err_incomplete, "%s", p->lx.err_msg);
    }
    return &p->tok;
}

static void advance(struct parser *p)
{
    peek(p);
    lex_token_free(&p->tok);
    p->have_tok = false;
}

/* The look-ahead word's text, taken over by the caller. */
static char *take_word(struct parser *p)
{
    char *s = peek(p)->text;

    p->tok.text = NULL;
    advance(p);
    return s;
}

/* "unexpected X" at the look-ahead (X being what it is). */
static void fail_unexpected(struct parser *p, const char *expected)
{
    struct token *t = peek(p);
    bool eof = t->kind == TOK_EOF;
    const char *what = eof ? "end of input" : t->kind == TOK_NEWLINE ? "newline" : lex_token_name(t);

    if (expected)
        fail_at(p, t->line, t->col, eof, "%s%s%s, expected %s", eof ? "" : "unexpected '", what,
                eof ? "" : "'", expected);
    else
        fail_at(p, t->line, t->col, eof, "%s%s%s", eof ? "unexpected " : "unexpected '", what,
                eof ? "" : "'");
}

static bool is_reserved(struct parser *p, const char *word)
{
    struct token *t = peek(p);

    return t->kind == TOK_WORD && !t->quoted && strcmp(t->text, word) == 0;
}

/* Reserved words that end a list: a command cannot begin with them. */
static bool at_list_end(struct parser *p)
{
    static const char *const ends[] = { "then", "else", "elif", "fi", "do", "done", "esac", "}", NULL };
    struct token *t = peek(p);

    if (t->kind != TOK_WORD)
        return !(t->kind == TOK_IO_NUMBER || t->kind == TOK_LPAREN || (t->kind >= TOK_LESS));
    for (int i = 0; ends[i]; i++)
        if (is_reserved(p, ends[i]))
            return true;
    return false;
}

static void skip_newlines(struct parser *p)
{
    while (peek(p)->kind == TOK_NEWLINE)
        advance(p);
}

static bool expect_word(struct parser *p, const char *word)
{
    if (p->err)
        return false;
    if (!is_reserved(p, word)) {
        char quoted[32];
        snprintf(quoted, sizeof quoted, "'%s'", word);
        fail_unexpected(p, quoted);
        return false;
    }
    advance(p);
    return true;
}

bool parse_is_name(const char *s, int n)
{
    if (n < 0)
        n = (int)strlen(s);
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (int i = 1; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

static bool is_assignment(const char *word)
{
    const char *eq = strchr(word, '=');

    return eq && parse_is_name(word, (int)(eq - word));
}

static bool is_redirect_op(enum tok_kind k)
{
    return k >= TOK_LESS;
}

/* [n]OP WORD, appended to *list. */
static bool parse_redirect(struct parser *p, struct redir **list)
{
    struct redir *r = xcalloc(1, sizeof *r);
    enum tok_kind op;

    r->fd = -1;
    if (peek(p)->kind == TOK_IO_NUMBER) {
        r->fd = p->tok.number;
        advance(p);
    }
    op = peek(p)->kind;
    static const enum redir_kind kinds[] = {
        [TOK_LESS] = REDIR_IN, [TOK_GREAT] = REDIR_OUT, [TOK_DGREAT] = REDIR_APPEND,
        [TOK_DLESS] = REDIR_HEREDOC, [TOK_DLESSDASH] = REDIR_HEREDOC, [TOK_LESSAND] = REDIR_DUP_IN,
        [TOK_GREATAND] = REDIR_DUP_OUT, [TOK_LESSGREAT] = REDIR_RDWR, [TOK_CLOBBER] = REDIR_OUT,
    };
    r->kind = kinds[op];
    r->strip_tabs = op == TOK_DLESSDASH;
    if (r->fd < 0)
        r->fd = (r->kind == REDIR_IN || r->kind == REDIR_DUP_IN || r->kind == REDIR_RDWR ||
                 r->kind == REDIR_HEREDOC) ? 0 : 1;
    advance(p);
    if (peek(p)->kind != TOK_WORD) {
        fail_unexpected(p, "a word after the redirection");
        free(r);
        return false;
    }
    r->word = take_word(p);
    while (*list)
        list = &(*list)->next;
    *list = r;
    if (r->kind == REDIR_HEREDOC && !lex_add_heredoc(&p->lx, r)) {
        fail_at(p, p->lx.line, p->lx.col, false, "too many here-documents on one line");
        return false;
    }
    return true;
}

static bool parse_redirects(struct parser *p, struct redir **list)
{
    while (!p->err && (peek(p)->kind == TOK_IO_NUMBER || is_redirect_op(peek(p)->kind)))
        if (!parse_redirect(p, list))
            return false;
    return !p->err;
}

/* A list inside a compound command: newlines around it allowed. */
static struct node *parse_compound_list(struct parser *p)
{
    skip_newlines(p);
    return parse_list(p, true);
}

/* After `if` or `elif`: COND then BODY [elif ...| else BODY] fi. */
static struct node *parse_if_rest(struct parser *p, int line)
{
    struct node *n = ast_new(NODE_IF, line);

    if (++p->depth > PARSE_DEPTH_MAX) {
        fail_at(p, line, 1, false, "commands nested too deep (more than %d)", PARSE_DEPTH_MAX);
    } else if ((n->a = parse_compound_list(p)) && expect_word(p, "then") && (n->b = parse_compound_list(p))) {
        if (is_reserved(p, "elif")) {
            int l = peek(p)->line;
            advance(p);
            n->c = parse_if_rest(p, l);
        } else if (is_reserved(p, "else")) {
            advance(p);
            if ((n->c = parse_compound_list(p)))
                expect_word(p, "fi");
        } else {
            expect_word(p, "fi");
        }
    }
    p->depth--;
    if (p->err) {
        ast_free(n);
        return NULL;
    }
    return n;
}

static struct node *parse_loop(struct parser *p, enum node_kind kind, int line)
{
    struct node *n = ast_new(kind, line);

    advance(p);
    if ((n->a = parse_compound_list(p)) && expect_word(p, "do") && (n->b = parse_compound_list(p)))
        expect_word(p, "done");
    if (p->err) {
        ast_free(n);
        return NULL;
    }
    return n;
}

static struct node *parse_for(struct parser *p, int line)
{
    struct node *n = ast_new(NODE_FOR, line);

    advance(p);
    if (peek(p)->kind != TOK_WORD || !parse_is_name(p->tok.text, -1)) {
        fail_unexpected(p, "a variable name after 'for'");
    } else {
        n->name = take_word(p);
        skip_newlines(p);
        if (is_reserved(p, "in")) {
            advance(p);
            n->for_has_in = true;
            while (peek(p)->kind == TOK_WORD)
                n->words = strv_push(n->words, take_word(p));
            if (peek(p)->kind == TOK_SEMI || peek(p)->kind == TOK_NEWLINE)
                advance(p);
            else
                fail_unexpected(p, "';' or a newline after the words of 'for'");
        } else if (peek(p)->kind == TOK_SEMI) {
            advance(p);
        }
        skip_newlines(p);
        if (expect_word(p, "do") && (n->a = parse_compound_list(p)))
            expect_word(p, "done");
    }
    if (p->err) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* [(] PATTERN [| PATTERN]... ) [LIST] [;;] */
static bool parse_case_item(struct parser *p, struct case_item *it)
{
    if (peek(p)->kind == TOK_LPAREN)
        advance(p);
    for (;;) {
        if (peek(p)->kind != TOK_WORD) {
            fail_unexpected(p, "a pattern");
            return false;
        }
        it->patterns = strv_push(it->patterns, take_word(p));
        if (peek(p)->kind != TOK_PIPE)
            break;
        advance(p);
    }
    if (peek(p)->kind != TOK_RPAREN) {
        fail_unexpected(p, "')' after the pattern");
        return false;
    }
    advance(p);
    skip_newlines(p);
    if (peek(p)->kind != TOK_DSEMI && !is_reserved(p, "esac") && !(it->body = parse_list(p, true)))
        return false;
    if (peek(p)->kind == TOK_DSEMI) {
        advance(p);
        skip_newlines(p);
    } else if (!is_reserved(p, "esac")) {
        fail_unexpected(p, "';;' or 'esac'");
        return false;
    }
    return true;
}

static struct node *parse_case(struct parser *p, int line)
{
    struct node *n = ast_new(NODE_CASE, line);
    struct case_item **tail = &n->items;

    advance(p);
    if (peek(p)->kind != TOK_WORD) {
        fail_unexpected(p, "a word after 'case'");
    } else {
        n->name = take_word(p);
        skip_newlines(p);
        if (expect_word(p, "in")) {
            skip_newlines(p);
            while (!p->err && !is_reserved(p, "esac")) {
                *tail = xcalloc(1, sizeof **tail);
                if (!parse_case_item(p, *tail))
                    break;
                tail = &(*tail)->next;
            }
            expect_word(p, "esac");
        }
    }
    if (p->err) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* ( LIST ) or { LIST } */
static struct node *parse_block(struct parser *p, enum node_kind kind, int line)
{
    struct node *n = ast_new(kind, line);

    advance(p);
    if ((n->a = parse_compound_list(p))) {
        if (kind == NODE_GROUP)
            expect_word(p, "}");
        else if (peek(p)->kind == TOK_RPAREN)
            advance(p);
        else
            fail_unexpected(p, "')'");
    }
    if (p->err) {
        ast_free(n);
        return NULL;
    }
    return n;
}

static bool at_compound_start(struct parser *p)
{
    static const char *const starts[] = { "{", "if", "while", "until", "for", "case", NULL };

    if (peek(p)->kind == TOK_LPAREN)
        return true;
    for (int i = 0; starts[i]; i++)
        if (is_reserved(p, starts[i]))
            return true;
    return false;
}

/* NAME ( ) linebreak COMPOUND: the name is already in fn->name. */
static struct node *parse_function(struct parser *p, struct node *fn)
{
    advance(p);                         /* ( */
    if (peek(p)->kind != TOK_RPAREN) {
        fail_unexpected(p, "')' after '('");
    } else {
        advance(p);
        skip_newlines(p);
        if (!at_compound_start(p))
            fail_unexpected(p, "a compound command as the body of a function");
        else
            fn->a = parse_command(p);
    }
    if (p->err) {
        ast_free(fn);
        return NULL;
    }
    return fn;
}

static struct node *parse_simple(struct parser *p)
{
    struct node *n = ast_new(NODE_SIMPLE, peek(p)->line);

    for (;;) {
        struct token *t = peek(p);
        if (t->kind == TOK_IO_NUMBER || is_redirect_op(t->kind)) {
            if (!parse_redirect(p, &n->redirs))
                break;
        } else if (t->kind == TOK_WORD && !n->words && is_assignment(t->text)) {
            n->assigns = strv_push(n->assigns, take_word(p));
        } else if (t->kind == TOK_WORD) {
            n->words = strv_push(n->words, take_word(p));
            if (!n->assigns && !n->redirs && !n->words[1] && peek(p)->kind == TOK_LPAREN) {
                if (!parse_is_name(n->words[0], -1)) {
                    fail_unexpected(p, NULL);
                    break;
                }
                n->kind = NODE_FUNC;
                n->name = n->words[0];
                n->words[0] = NULL;
                return parse_function(p, n);
            }
        } else {
            break;
        }
    }
    if (!p->err && !n->words && !n->assigns && !n->redirs)
        fail_unexpected(p, NULL);
    if (p->err) {
        ast_free(n);
        return NULL;
    }
    return n;
}

/* A command's first word may be an alias: its text is read in its place (an
 * alias naming itself, or a ring of them, stops after LEX_ALIAS_DEPTH rounds). */
static void expand_aliases(struct parser *p)
{
    for (int round = 0; p->alias_lookup && peek(p)->kind == TOK_WORD && !p->tok.quoted; round++) {
        const char *text = p->alias_lookup(p->alias_ctx, p->tok.text);
        if (!text || round == LEX_ALIAS_DEPTH || p->lx.nalias == LEX_ALIAS_DEPTH)
            return;
        advance(p);
        lex_push_alias(&p->lx, text);
    }
}

static struct node *parse_compound(struct parser *p)
{
    int line = peek(p)->line;

    if (peek(p)->kind == TOK_LPAREN)
        return parse_block(p, NODE_SUBSHELL, line);
    if (is_reserved(p, "{"))
        return parse_block(p, NODE_GROUP, line);
    if (is_reserved(p, "if")) {
        advance(p);
        return parse_if_rest(p, line);
    }
    if (is_reserved(p, "while"))
        return parse_loop(p, NODE_WHILE, line);
    if (is_reserved(p, "until"))
        return parse_loop(p, NODE_UNTIL, line);
    if (is_reserved(p, "for"))
        return parse_for(p, line);
    return parse_case(p, line);
}

static struct node *parse_command(struct parser *p)
{
    struct node *n = NULL;

    if (++p->depth > PARSE_DEPTH_MAX) {
        fail_at(p, peek(p)->line, peek(p)->col, false, "commands nested too deep (more than %d)",
                PARSE_DEPTH_MAX);
        p->depth--;
        return NULL;
    }
    expand_aliases(p);
    if (at_compound_start(p)) {
        n = parse_compound(p);
        if (n && !parse_redirects(p, &n->redirs)) {
            ast_free(n);
            n = NULL;
        }
    } else if (at_list_end(p) || is_reserved(p, "!")) {
        fail_unexpected(p, NULL);
    } else {
        n = parse_simple(p);
    }
    p->depth--;
    return n;
}

static struct node *parse_pipeline(struct parser *p)
{
    struct node *pipe = NULL, *cmd;
    bool bang = false;

    if (is_reserved(p, "!")) {
        advance(p);
        bang = true;
    }
    for (;;) {
        if (!(cmd = parse_command(p))) {
            ast_free(pipe);
            return NULL;
        }
        if (!pipe && !bang && peek(p)->kind != TOK_PIPE)
            return cmd;
        if (!pipe) {
            pipe = ast_new(NODE_PIPE, cmd->line);
            pipe->bang = bang;
        }
        pipe->kids = xrealloc(pipe->kids, (pipe->nkids + 1) * sizeof *pipe->kids);
        pipe->kids[pipe->nkids++] = cmd;
        if (peek(p)->kind != TOK_PIPE)
            return pipe;
        advance(p);
        skip_newlines(p);
    }
}

static struct node *pair(enum node_kind kind, struct node *a, struct node *b)
{
    struct node *n = ast_new(kind, a->line);

    n->a = a;
    n->b = b;
    return n;
}

static struct node *parse_and_or(struct parser *p)
{
    struct node *left = parse_pipeline(p);

    while (left && (peek(p)->kind == TOK_AND_IF || peek(p)->kind == TOK_OR_IF)) {
        enum node_kind kind = p->tok.kind == TOK_AND_IF ? NODE_AND : NODE_OR;
        struct node *right;
        advance(p);
        skip_newlines(p);
        if (!(right = parse_pipeline(p))) {
            ast_free(left);
            return NULL;
        }
        left = pair(kind, left, right);
    }
    return left;
}

static struct node *parse_list(struct parser *p, bool multiline)
{
    struct node *acc = NULL;

    for (;;) {
        struct node *cur = parse_and_or(p);
        enum tok_kind sep;
        if (!cur) {
            ast_free(acc);
            return NULL;
        }
        sep = peek(p)->kind;
        if (sep == TOK_AMP) {
            struct node *bg = ast_new(NODE_BG, cur->line);
            bg->a = cur;
            cur = bg;
        }
        acc = acc ? pair(NODE_SEQ, acc, cur) : cur;
        if (sep != TOK_SEMI && sep != TOK_AMP && !(multiline && sep == TOK_NEWLINE))
            return acc;
        if (sep != TOK_NEWLINE)
            advance(p);
        if (multiline)
            skip_newlines(p);
        if (p->err) {
            ast_free(acc);
            return NULL;
        }
        if (at_list_end(p))
            return acc;
    }
}

enum parse_result parser_next(struct parser *p, struct node **out)
{
    struct node *n;

    *out = NULL;
    if (p->err)
        return PARSE_ERROR;
    skip_newlines(p);
    if (p->err)
        return PARSE_ERROR;
    if (peek(p)->kind == TOK_EOF)
        return PARSE_EOF;
    if (!(n = parse_list(p, false)))
        return PARSE_ERROR;
    if (peek(p)->kind != TOK_NEWLINE && peek(p)->kind != TOK_EOF) {
        fail_unexpected(p, NULL);
        ast_free(n);
        return PARSE_ERROR;
    }
    if (peek(p)->kind == TOK_NEWLINE)
        advance(p);
    if (p->err) {
        ast_free(n);
        return PARSE_ERROR;
    }
    *out = n;
    return PARSE_OK;
}

struct node *parse_all(struct parser *p)
{
    struct node *all = NULL, *n;
    enum parse_result r;

    while ((r = parser_next(p, &n)) == PARSE_OK)
        all = all ? pair(NODE_SEQ, all, n) : n;
    if (r == PARSE_ERROR) {
        ast_free(all);
        return NULL;
    }
    return all;
}
