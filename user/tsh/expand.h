/*
 * expand.h - word expansion, in POSIX's order: tilde, parameters ($x,
 * ${x}, ${x:-y} and its kin, $? $$ $! $# $@ $* $0..$9), command
 * substitution $( ), arithmetic $(( )), then field splitting on IFS (of
 * what unquoted expansions produced), path name expansion (glob.h) and
 * quote removal.
 *
 * Each function prints its own error message and returns NULL on failure
 * (a bad ${...}, an arithmetic error).
 */
#pragma once

/* A command's words to its fields, NULL-terminated. */
char **expand_words(char *const *words);
/* One word to one string: no field splitting, no globbing (assignments, redirection targets, case's word). */
char *expand_string(const char *word);
/* A case pattern: expanded, with quoted pattern characters escaped by `\`. */
char *expand_pattern(const char *word);
/* A here-document's body: $ and \ expansions only, quotes are plain text. */
char *expand_heredoc(const char *body);

/* run.c provides it: the output of running text in a subshell. */
char *run_capture(const char *text, size_t len);
