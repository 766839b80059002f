/*
 * builtins.h - the commands tsh runs itself: they change the shell (cd,
 * export, set, ...) or are cheaper without a fork (echo, true).
 * Special builtins (POSIX's term: exit, export, set, ...) keep the
 * assignments written before them; a function cannot hide them.
 */
#pragma once

#include <stdbool.h>

struct builtin {
    const char *name;
    int (*fn)(int argc, char **argv);
    bool special;
};

const struct builtin *builtin_find(const char *name);
/* The i-th builtin's name (for completion); NULL past the last. */
const char *builtin_name(int i);
