/*
 * parse.h - the parser: tokens (lex.h) to trees (ast.h), one complete
 * command at a time, by recursive descent over this grammar (POSIX's, less
 * what docs/tsh.md lists as left out):
 *
 *   program      : linebreak (list newline_list)* list?
 *   list         : and_or ((';' | '&' | newline*) and_or)* [';' | '&']
 *   and_or       : pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline     : ['!'] command ('|' linebreak command)*
 *   command      : simple | compound redirect* | NAME '(' ')' linebreak compound redirect*
 *   compound     : '(' list ')' | '{' list '}' | if | while | until | for | case
 *   simple       : (ASSIGNMENT | redirect)* (WORD | redirect)*
 *
 * (newlines separate commands of a list only inside compounds; at the top a
 * newline ends the complete command that parser_next returns).
 *
 * Nesting is bounded: PARSE_DEPTH_MAX commands inside one another give an
 * error, never a stack overflow. A syntax error stops the parser; its
 * position and message are in err_line, err_col, err_msg, and
 * err_incomplete says the input only ended too early (an interactive shell
 * then reads another line and tries again).
 */
#pragma once

#include <stdbool.h>

#include "ast.h"
#include "lex.h"

#define PARSE_DEPTH_MAX 100

/* An alias's text for a command's first word, or NULL. */
typedef const char *alias_lookup_fn(void *ctx, const char *name);

struct parser {
    struct lexer lx;
    struct token tok;           /* the look-ahead, when have_tok */
    bool have_tok;
    alias_lookup_fn *alias_lookup;
    void *alias_ctx;
    int depth;
    bool err;
    int err_line, err_col;
    char err_msg[200];
    bool err_incomplete;
};

enum parse_result { PARSE_OK, PARSE_EOF, PARSE_ERROR };

void parser_init(struct parser *p, const char *src, size_t len, int first_line);
/* The next complete command into *out (the caller frees it with ast_free). */
enum parse_result parser_next(struct parser *p, struct node **out);
void parser_free(struct parser *p);
/* The whole text as one tree (NULL when empty), or NULL with p->err set. */
struct node *parse_all(struct parser *p);

/* A valid NAME: [A-Za-z_][A-Za-z0-9_]*, of n bytes (n < 0: the whole string). */
bool parse_is_name(const char *s, int n);
