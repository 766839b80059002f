/*
 * lex.h - the lexer: shell source text to tokens.
 *
 * Tokens are words, operators (&& || ;; & | ; ( ) < > >> << <<- <& >& <> >|),
 * IO numbers (digits just before < or >), newlines and the end. A word's
 * text is its source spelling with quotes, `\`, `$name`, `${...}` and
 * `$(...)` kept whole; the lexer only finds where the word ends. Reserved
 * words (if, then, ...) are words here; the parser decides where they count.
 *
 * Here-documents: the parser hands each `<<` redirection to lex_add_heredoc
 * once it has read the delimiter; at the next newline the lexer reads the
 * bodies, line by line, into those redirections.
 *
 * Aliases: lex_push_alias makes the lexer read an alias's text before the
 * rest of the source (the parser calls it for a command's first word).
 *
 * Errors: lex_next returns TOK_ERROR and fills the lexer's err_* fields;
 * err_incomplete says the text ended too early (an open quote, a
 * here-document without its end), so an interactive shell can read more.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

enum tok_kind {
    TOK_WORD, TOK_IO_NUMBER, TOK_NEWLINE, TOK_EOF, TOK_ERROR,
    TOK_AND_IF, TOK_OR_IF, TOK_DSEMI, TOK_AMP, TOK_PIPE, TOK_SEMI, TOK_LPAREN, TOK_RPAREN,
    TOK_LESS, TOK_GREAT, TOK_DGREAT, TOK_DLESS, TOK_DLESSDASH, TOK_LESSAND, TOK_GREATAND,
    TOK_LESSGREAT, TOK_CLOBBER,
};

struct token {
    enum tok_kind kind;
    char *text;                 /* TOK_WORD: the word as spelled (malloc'd) */
    bool quoted;                /* TOK_WORD: holds a quote or a backslash */
    int number;                 /* TOK_IO_NUMBER */
    int line, col;              /* where it starts, both from 1 */
};

#define LEX_ALIAS_DEPTH 16
#define LEX_HEREDOCS_MAX 32

struct lex_alias {
    char *text;                 /* a copy: the alias may change while its text is read */
    size_t pos;
};

struct lexer {
    const char *src;
    size_t len, pos;
    int line, col;
    struct lex_alias alias[LEX_ALIAS_DEPTH];   /* texts read before src, innermost last */
    int nalias;
    struct redir *heredocs[LEX_HEREDOCS_MAX];  /* waiting for their bodies */
    int nheredocs;
    int err_line, err_col;
    char err_msg[160];
    bool err_incomplete;
};

void lex_init(struct lexer *lx, const char *src, size_t len, int first_line);
struct token lex_next(struct lexer *lx);
void lex_token_free(struct token *t);
/* Free what the lexer still holds (alias texts not read to their end). */
void lex_free(struct lexer *lx);
bool lex_add_heredoc(struct lexer *lx, struct redir *r);
bool lex_push_alias(struct lexer *lx, const char *text);
const char *lex_token_name(const struct token *t);

/* The delimiter word with its quotes removed; *quoted set if it had any. */
char *lex_unquote_delim(const char *word, bool *quoted);
