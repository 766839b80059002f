/*
 * funcs.c - shell functions: a name and a reference to its body's tree
 * (ast_ref), so the body outlives the command that defined it.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "shell.h"

struct func *func_find(const char *name)
{
    for (struct func *f = sh.funcs; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

void func_define(const char *name, struct node *body)
{
    struct func *f = func_find(name);

    if (!f) {
        f = xcalloc(1, sizeof *f);
        f->name = xstrdup(name);
        f->next = sh.funcs;
        sh.funcs = f;
    } else {
        ast_free(f->body);
    }
    f->body = ast_ref(body);
}

void func_unset(const char *name)
{
    for (struct func **pf = &sh.funcs; *pf; pf = &(*pf)->next)
        if (strcmp((*pf)->name, name) == 0) {
            struct func *f = *pf;
            *pf = f->next;
            ast_free(f->body);
            free(f->name);
            free(f);
            return;
        }
}
