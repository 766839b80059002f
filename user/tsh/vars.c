/*
 * vars.c - shell variables: a list of name, value and the export flag.
 * The environment given at start is imported, all exported; a program
 * started by the shell gets the exported ones (var_environ).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "shell.h"

static struct var *find(const char *name)
{
    for (struct var *v = sh.vars; v; v = v->next)
        if (strcmp(v->name, name) == 0)
            return v;
    return NULL;
}

const char *var_get(const char *name)
{
    struct var *v = find(name);

    return v ? v->value : NULL;
}

void var_set(const char *name, const char *value, bool export)
{
    struct var *v = find(name);

    if (!v) {
        v = xcalloc(1, sizeof *v);
        v->name = xstrdup(name);
        v->next = sh.vars;
        sh.vars = v;
    }
    free(v->value);
    v->value = xstrdup(value);
    v->exported |= export;
}

void var_unset(const char *name)
{
    for (struct var **pv = &sh.vars; *pv; pv = &(*pv)->next)
        if (strcmp((*pv)->name, name) == 0) {
            struct var *v = *pv;
            *pv = v->next;
            free(v->name);
            free(v->value);
            free(v);
            return;
        }
}

void var_export(const char *name)
{
    struct var *v = find(name);

    if (v)
        v->exported = true;
    else
        var_set(name, "", true), find(name)->exported = true;
}

bool var_assign(const char *assignment, bool export)
{
    const char *eq = strchr(assignment, '=');
    char *name;

    if (!eq)
        return false;
    name = xstrndup(assignment, (size_t)(eq - assignment));
    var_set(name, eq + 1, export);
    free(name);
    return true;
}

void var_import(char **environ_)
{
    for (int i = 0; environ_ && environ_[i]; i++)
        var_assign(environ_[i], true);
}

char **var_environ(void)
{
    char **env = NULL;

    for (struct var *v = sh.vars; v; v = v->next)
        if (v->exported) {
            size_t n = strlen(v->name), m = strlen(v->value);
            char *s = xmalloc(n + m + 2);
            memcpy(s, v->name, n);
            s[n] = '=';
            memcpy(s + n + 1, v->value, m + 1);
            env = strv_push(env, s);
        }
    return env ? env : xcalloc(1, sizeof *env);
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

/* `set` and `export` without arguments: NAME='value' lines, sorted. */
void var_print(bool exported_only)
{
    int n = 0, i = 0;
    struct var **all;

    for (struct var *v = sh.vars; v; v = v->next)
        n++;
    all = xmalloc((size_t)(n + 1) * sizeof *all);
    for (struct var *v = sh.vars; v; v = v->next)
        all[i++] = v;
    qsort(all, (size_t)n, sizeof *all, by_name);
    for (i = 0; i < n; i++) {
        if (exported_only && !all[i]->exported)
            continue;
        out_fmt(1, "%s%s='", exported_only ? "export " : "", all[i]->name);
        for (const char *s = all[i]->value; *s; s++)
            out_str(1, *s == '\'' ? "'\\''" : (char[]){ *s, 0 });
        out_str(1, "'\n");
    }
    free(all);
}
