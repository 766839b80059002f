/*
 * test_tsh_parse.c - host unit tests for tsh's lexer and parser
 * (user/tsh/lex.c, parse.c, ast.c): source text in, the tree printed in
 * its canonical form (ast_print) compared with the one expected; and bad
 * text, whose error must name the line, the column and what is wrong, and
 * say whether more input could complete it (what an interactive shell
 * needs to know to print PS2).
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The printed tree of src ("" when empty), or "ERROR L:C: MESSAGE [incomplete]". */
static char *parse_to_text(const char *src)
{
    static char out[8192];
    struct parser p;
    struct node *n;
    FILE *f = fmemopen(out, sizeof out, "w");

    parser_init(&p, src, strlen(src), 1);
    n = parse_all(&p);
    if (p.err)
        fprintf(f, "ERROR %d:%d: %s%s", p.err_line, p.err_col, p.err_msg, p.err_incomplete ? " [incomplete]" : "");
    else if (n)
        ast_print(f, n);
    fputc(0, f);
    fclose(f);
    ast_free(n);
    parser_free(&p);
    return out;
}

struct row {
    const char *src, *tree;
};

static void check_rows(const struct row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = parse_to_text(rows[i].src);
        if (strcmp(got, rows[i].tree)) {
            print_error("source: %s\nwanted: %s\ngot:    %s\n", rows[i].src, rows[i].tree, got);
            fail();
        }
    }
}

#define CHECK(rows) check_rows(rows, sizeof rows / sizeof rows[0])

static void simple_commands(void **state)
{
    static const struct row rows[] = {
        { "echo hi", "(cmd echo hi)" },
        { "  echo   a\tb  # a comment", "(cmd echo a b)" },
        { "x=1 y=$x env", "(cmd [x=1] [y=$x] env)" },
        { "x=1", "(cmd [x=1])" },
        { "echo x=1", "(cmd echo x=1)" },
        { "echo 'a b' \"c $d\" e\\ f", "(cmd echo 'a b' \"c $d\" e\\ f)" },
        { "echo $(echo \")\" ) ${a:-b c} $((1 + 2))", "(cmd echo $(echo \")\" ) ${a:-b c} $((1 + 2)))" },
        { "echo a\\\nb", "(cmd echo ab)" },
        { "", "" },
        { "\n\n# only a comment\n", "" },
    };
    (void)state;
    CHECK(rows);
}

static void redirections(void **state)
{
    static const struct row rows[] = {
        { "cmd <in >out 2>>log", "(cmd cmd 0<in 1>out 2>>log)" },
        { "cmd 2>&1 >&2 <>rw >|clob 3<&-", "(cmd cmd 2>&1 1>&2 0<>rw 1>clob 3<&-)" },
        { ">out", "(cmd 1>out)" },
        { "echo 12>f 123a>g", "(cmd echo 123a 12>f 1>g)" },
        { "cat <<EOF\nline $x\nEOF\n", "(cmd cat 0<<EOF[\"line $x\\n\"])" },
        { "cat <<'E' <<-F\n$x\nE\n\tt\n\tF\necho", "(seq (cmd cat 0<<'E'[quoted \"$x\\n\"] 0<<-F[\"t\\n\"]) (cmd echo))" },
    };
    (void)state;
    CHECK(rows);
}

static void lists_and_pipelines(void **state)
{
    static const struct row rows[] = {
        { "a | b | c", "(pipe (cmd a) (cmd b) (cmd c))" },
        { "a && b || c", "(or (and (cmd a) (cmd b)) (cmd c))" },
        { "a; b & c", "(seq (seq (cmd a) (bg (cmd b))) (cmd c))" },
        { "a; b &", "(seq (cmd a) (bg (cmd b)))" },
        { "! a | b", "(not-pipe (cmd a) (cmd b))" },
        { "a |\n b &&\n c", "(and (pipe (cmd a) (cmd b)) (cmd c))" },
        { "a\nb", "(seq (cmd a) (cmd b))" },
    };
    (void)state;
    CHECK(rows);
}

static void compound_commands(void **state)
{
    static const struct row rows[] = {
        { "(a; b) >out", "(subshell (seq (cmd a) (cmd b)) 1>out)" },
        { "{ a\n b; }", "(group (seq (cmd a) (cmd b)))" },
        { "if a; then b; fi", "(if (cmd a) (cmd b))" },
        { "if a\nthen b\nelif c; then d\nelse e\nfi", "(if (cmd a) (cmd b) (if (cmd c) (cmd d) (cmd e)))" },
        { "while a; do b; done", "(while (cmd a) (cmd b))" },
        { "until a; do b; done 2>/dev/null", "(until (cmd a) (cmd b) 2>/dev/null)" },
        { "for i in 1 \"2 3\"; do echo $i; done", "(for i in (1 \"2 3\") (cmd echo $i))" },
        { "for i\ndo echo; done", "(for i (cmd echo))" },
        { "case $x in\n a|b) one;;\n (c) two; three;;\n *) ;;\nesac",
          "(case $x (a | b : (cmd one)) (c : (seq (cmd two) (cmd three))) (* :))" },
        { "case x in x) y\nesac", "(case x (x : (cmd y)))" },
        { "f() { echo $1; }", "(func f (group (cmd echo $1)))" },
        { "f()\n(a) >x", "(func f (subshell (cmd a) 1>x))" },
        { "echo if then fi", "(cmd echo if then fi)" },
        { "\"if\" a", "(cmd \"if\" a)" },
    };
    (void)state;
    CHECK(rows);
}

static void syntax_errors(void **state)
{
    static const struct row rows[] = {
        { "fi", "ERROR 1:1: unexpected 'fi'" },
        { "echo a; ; b", "ERROR 1:9: unexpected ';'" },
        { "a |", "ERROR 1:4: unexpected end of input [incomplete]" },
        { "if a; then b\n", "ERROR 2:1: end of input, expected 'fi' [incomplete]" },
        { "if a; b; fi", "ERROR 1:10: unexpected 'fi', expected 'then'" },
        { "while a; do b; fi", "ERROR 1:16: unexpected 'fi', expected 'done'" },
        { "echo 'abc", "ERROR 1:6: unterminated single quote [incomplete]" },
        { "x\necho \"abc\n", "ERROR 2:6: unterminated double quote [incomplete]" },
        { "echo $(a", "ERROR 1:6: missing ')' to close '$(' [incomplete]" },
        { "cat <<EOF\nbody\n", "ERROR 2:1: here-document ended by the end of input, expected 'EOF' [incomplete]" },
        { "echo >", "ERROR 1:7: end of input, expected a word after the redirection [incomplete]" },
        { "echo `ls`", "ERROR 1:6: backquotes are not supported, use $( )" },
        { "for 1 in a; do b; done", "ERROR 1:5: unexpected '1', expected a variable name after 'for'" },
        { "case a in b) c;; d) e; f esac", "ERROR 1:30: end of input, expected ';;' or 'esac' [incomplete]" },
        { "f() echo", "ERROR 1:5: unexpected 'echo', expected a compound command as the body of a function" },
        { "()", "ERROR 1:2: unexpected ')'" },
        { "a\n\n  b )", "ERROR 3:5: unexpected ')'" },
    };
    (void)state;
    CHECK(rows);
}

/* Deep nesting is an error, not a stack overflow. */
static void nesting_bounded(void **state)
{
    char *src = malloc(200001);

    (void)state;
    memset(src, '(', 200000);
    src[200000] = 0;
    assert_string_equal(parse_to_text(src), "ERROR 1:101: commands nested too deep (more than 100)");
    for (int i = 0; i < 50000; i++)
        memcpy(src + i * 4, "$( \"", 4);
    assert_non_null(strstr(parse_to_text(src), "nested too deep"));
    free(src);
    /* 100 levels is allowed */
    char ok[1024] = "";
    for (int i = 0; i < 99; i++)
        strcat(ok, "(");
    strcat(ok, "a");
    for (int i = 0; i < 99; i++)
        strcat(ok, ")");
    assert_int_equal(strncmp(parse_to_text(ok), "(subshell (subshell", 19), 0);
}

/* parser_next hands out one complete command at a time, lines counted on. */
static void one_command_at_a_time(void **state)
{
    const char *src = "a; b\n\nif c\nthen d; fi\n e )";
    struct parser p;
    struct node *n;

    (void)state;
    parser_init(&p, src, strlen(src), 1);
    assert_int_equal(parser_next(&p, &n), PARSE_OK);
    assert_int_equal(n->kind, NODE_SEQ);
    ast_free(n);
    assert_int_equal(parser_next(&p, &n), PARSE_OK);
    assert_int_equal(n->kind, NODE_IF);
    assert_int_equal(n->line, 3);
    ast_free(n);
    assert_int_equal(parser_next(&p, &n), PARSE_ERROR);
    assert_int_equal(p.err_line, 5);
    assert_int_equal(p.err_col, 4);
    parser_free(&p);
}

static const char *fake_alias(void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "ll"))
        return "ls -l";
    if (!strcmp(name, "loop"))
        return "loop";
    return NULL;
}

/* An alias's text is read in place of a command's first word, and only there. */
static void aliases(void **state)
{
    const char *src = "ll /tmp | ll; echo ll; loop";
    struct parser p;
    char out[512];
    FILE *f = fmemopen(out, sizeof out, "w");

    (void)state;
    parser_init(&p, src, strlen(src), 1);
    p.alias_lookup = fake_alias;
    struct node *n = parse_all(&p);
    assert_non_null(n);
    ast_print(f, n);
    fputc(0, f);
    fclose(f);
    assert_string_equal(out, "(seq (seq (pipe (cmd ls -l /tmp) (cmd ls -l)) (cmd echo ll)) (cmd loop))");
    ast_free(n);
    parser_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_commands),
        cmocka_unit_test(redirections),
        cmocka_unit_test(lists_and_pipelines),
        cmocka_unit_test(compound_commands),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(nesting_bounded),
        cmocka_unit_test(one_command_at_a_time),
        cmocka_unit_test(aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
