/*
 * cmdline.c - word matching on the kernel command line (see cmdline.h).
 * Pure functions of their arguments: the ktests call them directly.
 */
#include <stdint.h>
#include <string.h>

#include "cmdline.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Walk the words; call match(word, n, arg) on each until it returns 1. */
static int each_word(const char *cmdline, size_t len, int (*match)(const char *, size_t, void *), void *arg)
{
    size_t i = 0;

    len = strnlen(cmdline, len);
    while (i < len) {
        size_t start;

        while (i < len && is_space(cmdline[i]))
            i++;
        start = i;
        while (i < len && !is_space(cmdline[i]))
            i++;
        if (i > start && match(cmdline + start, i - start, arg))
            return 1;
    }
    return 0;
}

static int word_equals(const char *w, size_t n, void *arg)
{
    const char *word = arg;

    return n == strlen(word) && memcmp(w, word, n) == 0;
}

int cmdline_has_word(const char *cmdline, size_t len, const char *word)
{
    return each_word(cmdline, len, word_equals, (void *)(uintptr_t)word);
}

struct key_search {
    const char *key;
    uint64_t value;
    int found;                  /* 1: a number, -1: the key with a bad value */
};

static int key_number(const char *w, size_t n, void *arg)
{
    struct key_search *k = arg;
    size_t klen = strlen(k->key);
    uint64_t v = 0;

    if (n <= klen + 1 || memcmp(w, k->key, klen) != 0 || w[klen] != '=')
        return 0;
    for (size_t i = klen + 1; i < n; i++) {
        if (w[i] < '0' || w[i] > '9' || v > (UINT64_MAX - 9) / 10) {
            k->found = -1;
            return 1;
        }
        v = v * 10 + (uint64_t)(w[i] - '0');
    }
    k->value = v;
    k->found = 1;
    return 1;
}

int cmdline_number(const char *cmdline, size_t len, const char *key, uint64_t *value)
{
    struct key_search k = { key, 0, 0 };

    each_word(cmdline, len, key_number, &k);
    if (k.found == 1)
        *value = k.value;
    return k.found;
}
