/*
 * ast.h - the tree the parser builds and the executor walks.
 *
 * A node is one command: a simple command (words, assignments and
 * redirections), or a construct holding other nodes (a pipeline, an and-or
 * pair, a sequence, a subshell, a group, if/while/until/for/case, a function
 * definition). Words are kept as the source spelled them, quotes and `$`
 * included: expansion (expand.c) happens when the node runs, not here.
 *
 * Ownership: a node owns its children, words and redirections; ast_free
 * frees all of it. A function's body outlives the tree that defined it, so
 * nodes carry a reference count: ast_ref takes one more, ast_free drops one
 * and frees the node only at zero.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

enum node_kind {
    NODE_SIMPLE,        /* assigns, words, redirs */
    NODE_PIPE,          /* kids[0] | kids[1] | ...; bang for `!` */
    NODE_AND,           /* a && b */
    NODE_OR,            /* a || b */
    NODE_SEQ,           /* a ; b */
    NODE_BG,            /* a & */
    NODE_SUBSHELL,      /* ( a ) */
    NODE_GROUP,         /* { a ; } */
    NODE_IF,            /* if a then b else c (an elif is a NODE_IF in c) */
    NODE_WHILE,         /* while a do b done */
    NODE_UNTIL,         /* until a do b done */
    NODE_FOR,           /* for name in words do a done */
    NODE_CASE,          /* case name in items esac (name holds the word) */
    NODE_FUNC,          /* name() a */
};

enum redir_kind {
    REDIR_IN,           /* <  */
    REDIR_OUT,          /* >  (and >|) */
    REDIR_APPEND,       /* >> */
    REDIR_RDWR,         /* <> */
    REDIR_DUP_IN,       /* <& */
    REDIR_DUP_OUT,      /* >& */
    REDIR_HEREDOC,      /* << and <<- */
};

struct redir {
    enum redir_kind kind;
    int fd;                     /* the descriptor redirected */
    char *word;                 /* the file, descriptor or here-document delimiter, raw */
    char *body;                 /* a here-document's text (lex.c reads it) */
    bool body_quoted;           /* delimiter was quoted: the body is not expanded */
    bool strip_tabs;            /* <<- */
    struct redir *next;
};

struct case_item {
    char **patterns;            /* raw words, NULL-terminated */
    struct node *body;          /* may be NULL: an empty item */
    struct case_item *next;
};

struct node {
    enum node_kind kind;
    int refs;
    int line;                   /* where the command starts */
    bool bang;                  /* NODE_PIPE: `!` before the pipeline */
    char **words;               /* NODE_SIMPLE's words, NODE_FOR's list: NULL-terminated */
    char **assigns;             /* NODE_SIMPLE's NAME=value words */
    char *name;                 /* NODE_FOR's variable, NODE_CASE's word, NODE_FUNC's name */
    bool for_has_in;            /* NODE_FOR: an `in` list was given (else "$@") */
    struct node *a, *b, *c;     /* children, see enum node_kind */
    struct node **kids;         /* NODE_PIPE's commands */
    int nkids;
    struct case_item *items;    /* NODE_CASE */
    struct redir *redirs;       /* any command's redirections */
};

struct node *ast_new(enum node_kind kind, int line);
struct node *ast_ref(struct node *n);
void ast_free(struct node *n);
void ast_free_redirs(struct redir *r);

/* The canonical form the tests compare, e.g. (and (cmd true) (cmd echo 'a b' 1>out)). */
void ast_print(FILE *out, const struct node *n);

/* A NULL-terminated array of strings: grow by one, free all. */
char **strv_push(char **v, char *s);
int strv_len(char *const *v);
void strv_free(char **v);
