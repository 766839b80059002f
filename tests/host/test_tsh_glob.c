/*
 * test_tsh_glob.c - host unit tests for tsh's pattern matching
 * (user/tsh/glob.c, glob_match): the answers come from the C library's
 * fnmatch(3) with no flags (POSIX's pattern matching notation, as `case`
 * uses it), first on patterns picked by hand (stars that must back up,
 * bracket expressions, ranges, negation, backslashes), then on 200,000
 * random patterns and strings over a small alphabet, where the corner cases
 * meet. And glob_expand on a folder made here: sorted results, dot files
 * only for a leading dot, no match gives NULL.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "glob.h"

static void check(const char *pattern, const char *s)
{
    int want = fnmatch(pattern, s, 0) == 0;

    if (glob_match(pattern, s) != want) {
        print_error("pattern '%s' against '%s': fnmatch says %d, glob_match %d\n", pattern, s, want, !want);
        fail();
    }
}

static void by_hand(void **state)
{
    static const char *const patterns[] = {
        "*", "a*", "*a", "a*b*c", "*ab*ab*", "?", "??", "a?c", "[abc]", "[!abc]", "[^abc]", "[a-c]x",
        "[]]", "[!]]", "[]a]*", "[a-]", "[-a]", "\\*", "a\\?b", "\\[a]", "[", "a[", "[a", "[\\]]", "[\\!a]",
        "*[0-9]", "x*y*z*", "", "a**b", "*?*", NULL,
    };
    static const char *const strings[] = {
        "", "a", "b", "ab", "abc", "aXbYc", "abab", "ababab", "x", "ax", "bx", "dx", "]", "a]b", "-", "*",
        "?", "a?b", "aXb", "[a]", "[", "a[", "!", "\\", "file9", "xyz", "xaybzc", "aab", NULL,
    };
    (void)state;
    for (int i = 0; patterns[i]; i++)
        for (int j = 0; strings[j]; j++)
            check(patterns[i], strings[j]);
}

static void random_sweep(void **state)
{
    static const char alphabet[] = "ab*?[]!-";
    static const char letters[] = "ab-]";
    char pattern[8], s[8];

    (void)state;
    srand(17);
    for (int n = 0; n < 200000; n++) {
        int plen = rand() % 7, slen = rand() % 7;
        for (int i = 0; i < plen; i++)
            pattern[i] = alphabet[rand() % (sizeof alphabet - 1)];
        pattern[plen] = 0;
        for (int i = 0; i < slen; i++)
            s[i] = letters[rand() % (sizeof letters - 1)];
        s[slen] = 0;
        check(pattern, s);
    }
}

static void expand_in_folder(void **state)
{
    char dir[] = "/tmp/test_tsh_glob.XXXXXX", **m;
    static const char *const files[] = { "b.c", "a.c", "c.h", ".hidden.c", "sub/x.c", NULL };

    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir("sub", 0700), 0);
    for (int i = 0; files[i]; i++)
        fclose(fopen(files[i], "w"));
    m = glob_expand("*.c");
    assert_non_null(m);
    assert_int_equal(strv_len(m), 2);
    assert_string_equal(m[0], "a.c");
    assert_string_equal(m[1], "b.c");
    strv_free(m);
    m = glob_expand(".*.c");
    assert_non_null(m);
    assert_string_equal(m[0], ".hidden.c");
    strv_free(m);
    m = glob_expand("*/*.c");
    assert_non_null(m);
    assert_string_equal(m[0], "sub/x.c");
    strv_free(m);
    assert_null(glob_expand("*.none"));
    assert_null(glob_expand("\\*.c"));
    for (int i = 0; files[i]; i++)
        unlink(files[i]);
    rmdir("sub");
    assert_int_equal(chdir("/"), 0);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_hand),
        cmocka_unit_test(random_sweep),
        cmocka_unit_test(expand_in_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
