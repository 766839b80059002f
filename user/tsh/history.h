/*
 * history.h - the interactive shell's history: the lines entered, oldest
 * first, kept in memory (the last HISTORY_MAX) and in ~/.tsh_history, one
 * line each, appended as they are entered and read back at start.
 */
#pragma once

#define HISTORY_MAX 500

void history_load(const char *path);
/* Add a line (not an empty one, nor a repeat of the last); appended to path when not NULL. */
void history_add(const char *line, const char *path);
int history_count(void);
const char *history_get(int i);             /* 0 is the oldest */
/* The newest entry before index `before` that contains text; -1 when none. */
int history_search(const char *text, int before);
