/*
 * glob.h - patterns: `*`, `?`, `[...]` (with `!` or `^` to negate, ranges
 * a-z), `\` quoting the next byte. Matching (case patterns) and path
 * name expansion (words with an unquoted pattern character).
 */
#pragma once

#include <stdbool.h>

bool glob_match(const char *pattern, const char *s);
/* Whether pattern holds an unquoted *, ? or [. */
bool glob_has_magic(const char *pattern);
/* The paths the pattern matches, sorted, NULL-terminated; NULL when none. */
char **glob_expand(const char *pattern);
