/*
 * prompt.h - the prompt's backslash escapes, as bash and busybox's shell
 * read PS1 and PS2: \u the user, \h the host name up to its first dot,
 * \H all of it, \w the working folder (~ for $HOME and below), \W its last
 * part, \$ '#' for root and '$' for others, \\ a backslash. Anything else
 * stays as it is written.
 */
#pragma once

/* PS (a PS1 or PS2 value) with its escapes replaced: a malloc'd string. */
char *prompt_expand(const char *ps);
