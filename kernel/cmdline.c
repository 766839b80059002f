/*
 * cmdline.c - word matching on the kernel command line (see cmdline.h).
 * Pure functions of their arguments: the ktests call them directly.
 */
#include "cmdline.h"
#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

int cmdline_has_word(const char *cmdline, size_t len, const char *word)
{
    size_t wlen = strlen(word);
    size_t i = 0;

    len = strnlen(cmdline, len);
    while (i < len) {
        size_t start, n;

        while (i < len && is_space(cmdline[i]))
            i++;
        start = i;
        while (i < len && !is_space(cmdline[i]))
            i++;
        n = i - start;
        if (n && n == wlen && memcmp(cmdline + start, word, n) == 0)
            return 1;
    }
    return 0;
}
