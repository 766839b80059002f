/*
 * ast.c - making, freeing and printing the tree (ast.h).
 *
 * The printed form is canonical: one S-expression per node, words exactly
 * as the source spelled them, redirections as FD OP WORD after the words.
 * The host tests compare it with the expected trees.
 */
#include <stdlib.h>

#include "ast.h"
#include "mem.h"

struct node *ast_new(enum node_kind kind, int line)
{
    struct node *n = xcalloc(1, sizeof *n);

    n->kind = kind;
    n->refs = 1;
    n->line = line;
    return n;
}

struct node *ast_ref(struct node *n)
{
    if (n)
        n->refs++;
    return n;
}

char **strv_push(char **v, char *s)
{
    int n = strv_len(v);

    v = xrealloc(v, (n + 2) * sizeof *v);
    v[n] = s;
    v[n + 1] = NULL;
    return v;
}

int strv_len(char *const *v)
{
    int n = 0;

    while (v && v[n])
        n++;
    return n;
}

void strv_free(char **v)
{
    for (int i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

void ast_free_redirs(struct redir *r)
{
    while (r) {
        struct redir *next = r->next;
        free(r->word);
        free(r->body);
        free(r);
        r = next;
    }
}

static void free_items(struct case_item *it)
{
    while (it) {
        struct case_item *next = it->next;
        strv_free(it->patterns);
        ast_free(it->body);
        free(it);
        it = next;
    }
}

void ast_free(struct node *n)
{
    if (!n || --n->refs > 0)
        return;
    strv_free(n->words);
    strv_free(n->assigns);
    free(n->name);
    ast_free(n->a);
    ast_free(n->b);
    ast_free(n->c);
    for (int i = 0; i < n->nkids; i++)
        ast_free(n->kids[i]);
    free(n->kids);
    free_items(n->items);
    ast_free_redirs(n->redirs);
    free(n);
}

static const char *const redir_ops[] = {
    [REDIR_IN] = "<", [REDIR_OUT] = ">", [REDIR_APPEND] = ">>", [REDIR_RDWR] = "<>",
    [REDIR_DUP_IN] = "<&", [REDIR_DUP_OUT] = ">&", [REDIR_HEREDOC] = "<<",
};

static void print_redirs(FILE *out, const struct redir *r)
{
    for (; r; r = r->next) {
        fprintf(out, " %d%s%s%s", r->fd, redir_ops[r->kind], r->strip_tabs ? "-" : "", r->word);
        if (r->kind == REDIR_HEREDOC) {
            fputs(r->body_quoted ? "[quoted \"" : "[\"", out);
            for (const char *s = r->body ? r->body : ""; *s; s++)
                if (*s == '\n')
                    fputs("\\n", out);
                else
                    fputc(*s, out);
            fputs("\"]", out);
        }
    }
}

static void print_words(FILE *out, char *const *v)
{
    for (int i = 0; v && v[i]; i++)
        fprintf(out, " %s", v[i]);
}

static void print_case(FILE *out, const struct node *n)
{
    fprintf(out, "(case %s", n->name);
    for (const struct case_item *it = n->items; it; it = it->next) {
        fputs(" (", out);
        for (int i = 0; it->patterns[i]; i++)
            fprintf(out, "%s%s", i ? " | " : "", it->patterns[i]);
        fputs(" :", out);
        if (it->body) {
            fputc(' ', out);
            ast_print(out, it->body);
        }
        fputc(')', out);
    }
    fputc(')', out);
}

static const char *const node_names[] = {
    [NODE_SIMPLE] = "cmd", [NODE_PIPE] = "pipe", [NODE_AND] = "and", [NODE_OR] = "or",
    [NODE_SEQ] = "seq", [NODE_BG] = "bg", [NODE_SUBSHELL] = "subshell", [NODE_GROUP] = "group",
    [NODE_IF] = "if", [NODE_WHILE] = "while", [NODE_UNTIL] = "until", [NODE_FOR] = "for",
    [NODE_CASE] = "case", [NODE_FUNC] = "func",
};

static void print_children(FILE *out, const struct node *n)
{
    const struct node *kids[3] = { n->a, n->b, n->c };

    for (int i = 0; i < 3; i++)
        if (kids[i]) {
            fputc(' ', out);
            ast_print(out, kids[i]);
        }
}

void ast_print(FILE *out, const struct node *n)
{
    if (n->kind == NODE_CASE) {
        print_case(out, n);
        print_redirs(out, n->redirs);
        return;
    }
    fprintf(out, "(%s", n->kind == NODE_PIPE && n->bang ? "not-pipe" : node_names[n->kind]);
    if (n->kind == NODE_SIMPLE) {
        for (int i = 0; n->assigns && n->assigns[i]; i++)
            fprintf(out, " [%s]", n->assigns[i]);
        print_words(out, n->words);
    }
    if (n->kind == NODE_FOR) {
        fprintf(out, " %s", n->name);
        if (n->for_has_in) {
            fputs(" in (", out);
            for (int i = 0; n->words && n->words[i]; i++)
                fprintf(out, "%s%s", i ? " " : "", n->words[i]);
            fputc(')', out);
        }
    }
    if (n->kind == NODE_FUNC)
        fprintf(out, " %s", n->name);
    for (int i = 0; i < n->nkids; i++) {
        fputc(' ', out);
        ast_print(out, n->kids[i]);
    }
    print_children(out, n);
    print_redirs(out, n->redirs);
    fputc(')', out);
}
