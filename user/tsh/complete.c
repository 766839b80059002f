/*
 * complete.c - tab completion (complete.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "builtins.h"
#include "complete.h"
#include "mem.h"
#include "shell.h"

static void add_unique(char ***out, const char *s)
{
    for (int i = 0; *out && (*out)[i]; i++)
        if (!strcmp((*out)[i], s))
            return;
    *out = strv_push(*out, xstrdup(s));
}

/* Entries of dir starting with prefix, each as prefix_dir + name (+ '/' for a folder). */
static void complete_in(const char *dir, const char *shown, const char *prefix, bool programs, char ***out)
{
    DIR *d = opendir(*dir ? dir : ".");
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        struct strbuf path = { 0 }, word = { 0 };
        struct stat st;
        if (strncmp(e->d_name, prefix, strlen(prefix)) || (e->d_name[0] == '.' && prefix[0] != '.') ||
            !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        sb_adds(&path, *dir ? dir : ".");
        sb_addc(&path, '/');
        sb_adds(&path, e->d_name);
        bool isdir = stat(path.s, &st) == 0 && S_ISDIR(st.st_mode);
        if (!programs || (!isdir && access(path.s, X_OK) == 0)) {
            sb_adds(&word, shown);
            sb_adds(&word, e->d_name);
            if (isdir)
                sb_addc(&word, '/');
            add_unique(out, word.s);
        }
        free(path.s);
        free(word.s);
    }
    closedir(d);
}

static void complete_command(const char *word, char ***out)
{
    const char *path = var_get("PATH");
    const char *name;

    for (int i = 0; (name = builtin_name(i)); i++)
        if (!strncmp(name, word, strlen(word)) && strcmp(name, ".") && strcmp(name, ":"))
            add_unique(out, name);
    for (const char *dir = path ? path : ""; dir && *dir; dir = strchr(dir, ':') ? strchr(dir, ':') + 1 : NULL) {
        char *d = xstrndup(dir, strcspn(dir, ":"));
        complete_in(d, "", word, true, out);
        free(d);
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **complete_word(const char *line, size_t pos, size_t *start)
{
    size_t s = pos;
    char **out = NULL, *word;
    bool first = true;

    while (s > 0 && !strchr(" \t;|&(<>", line[s - 1]))
        s--;
    for (size_t i = s; i > 0; i--)
        if (!strchr(" \t", line[i - 1])) {
            first = strchr(";|&(", line[i - 1]) != NULL;
            break;
        }
    *start = s;
    word = xstrndup(line + s, pos - s);
    if (first && !strchr(word, '/')) {
        complete_command(word, &out);
    } else {
        char *slash = strrchr(word, '/');
        char *dir = slash ? xstrndup(word, (size_t)(slash - word) + 1) : xstrdup("");
        complete_in(dir, dir, slash ? slash + 1 : word, false, &out);
        free(dir);
    }
    free(word);
    if (out)
        qsort(out, (size_t)strv_len(out), sizeof *out, by_string);
    return out;
}
