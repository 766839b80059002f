/*
 * table.h - reading the corpus tables (tests/rules/cfg.txt, elf.txt) in the
 * host tests: one row per line, fields separated by blanks, '#' lines and
 * blank lines skipped; field 2 (from 0) is the rule's name. Header-only, for
 * tests/host/test_bootcfg.c and test_elf64.c (run from the top of the
 * checkout, as tests/run.sh does).
 */
#pragma once

#include <stdio.h>
#include <string.h>

#include "bootrules.h"

#define TABLE_FIELDS_MAX 16

struct table_row {
    char line[512];
    char *field[TABLE_FIELDS_MAX];
    int count;
};

/* The next row of f into *row; 0 at the end of the file. */
static int table_next(FILE *f, struct table_row *row)
{
    while (fgets(row->line, sizeof row->line, f)) {
        char *tok = strtok(row->line, " \t\r\n");

        if (!tok || tok[0] == '#')
            continue;
        row->count = 0;
        for (; tok && row->count < TABLE_FIELDS_MAX; tok = strtok(NULL, " \t\r\n"))
            row->field[row->count++] = tok;
        return 1;
    }
    return 0;
}

/*
 * Run check(row) on every row of the table at path (it returns 0 when the
 * code under test agrees, and says why not on stderr). Returns the rows
 * that disagree plus the rules in [first, last] that no row names (a rule
 * without a row is an untested rule); *rows counts the rows.
 */
static int table_run(const char *path, int (*check)(const struct table_row *), int first,
                     int last, int *rows)
{
    FILE *f = fopen(path, "r");
    struct table_row row;
    int wrong = 0;
    int seen[BOOTRULE_COUNT] = { 0 };

    *rows = 0;
    if (!f)
        return perror(path), 1;
    while (table_next(f, &row)) {
        if (row.count < 4) {
            fprintf(stderr, "%s: row %s has %d fields\n", path, row.field[0], row.count);
            wrong++;
            continue;
        }
        wrong += check(&row);
        for (int r = first; r <= last; r++)
            seen[r] |= strcmp(bootrule_name(r), row.field[2]) == 0;
        (*rows)++;
    }
    fclose(f);
    for (int r = first; r <= last; r++)
        if (!seen[r])
            fprintf(stderr, "%s: no row for rule %s\n", path, bootrule_name(r)), wrong++;
    fprintf(stderr, "%s: %d rows, %d wrong\n", path, *rows, wrong);
    return wrong;
}
