/*
 * alias.c - aliases: a command's first word replaced by a text (the parser
 * asks alias_lookup; lex.c reads the text in the word's place).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "shell.h"

static struct alias *find(const char *name)
{
    for (struct alias *a = sh.aliases; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

const char *alias_get(const char *name)
{
    struct alias *a = find(name);

    return a ? a->value : NULL;
}

const char *alias_lookup(void *ctx, const char *name)
{
    (void)ctx;
    return alias_get(name);
}

void alias_set(const char *name, const char *value)
{
    struct alias *a = find(name);

    if (!a) {
        a = xcalloc(1, sizeof *a);
        a->name = xstrdup(name);
        a->next = sh.aliases;
        sh.aliases = a;
    }
    free(a->value);
    a->value = xstrdup(value);
}

bool alias_unset(const char *name)
{
    for (struct alias **pa = &sh.aliases; *pa; pa = &(*pa)->next)
        if (strcmp((*pa)->name, name) == 0) {
            struct alias *a = *pa;
            *pa = a->next;
            free(a->name);
            free(a->value);
            free(a);
            return true;
        }
    return false;
}

void alias_print(const char *name)
{
    for (struct alias *a = sh.aliases; a; a = a->next)
        if (!name || strcmp(a->name, name) == 0)
            out_fmt(1, "%s='%s'\n", a->name, a->value);
}
