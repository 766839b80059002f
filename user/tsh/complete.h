/*
 * complete.h - tab completion: the word before the cursor completed as a
 * command (the first word, no `/`: builtins and the programs in PATH) or
 * as a path (files and folders; a folder gets a `/`).
 */
#pragma once

#include <stddef.h>

/*
 * The candidates for the word that ends at line[pos], sorted, NULL-terminated
 * (NULL when none); *start is where that word begins. A candidate is the
 * whole word completed; a folder's ends in '/'.
 */
char **complete_word(const char *line, size_t pos, size_t *start);
