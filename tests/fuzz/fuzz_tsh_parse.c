/*
 * fuzz_tsh_parse.c - libFuzzer target for tsh's lexer and parser
 * (user/tsh/lex.c, parse.c, ast.c): any bytes, parsed whole with an alias
 * table in play, the tree printed and freed. Must not crash, leak or
 * overflow the stack (deep nesting is an error: PARSE_DEPTH_MAX).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

static const char *fuzz_alias(void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "a"))
        return "echo a; if";
    if (!strcmp(name, "b"))
        return "b (";
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct parser p;
    struct node *n;
    FILE *devnull = fopen("/dev/null", "w");

    parser_init(&p, (const char *)data, size, 1);
    p.alias_lookup = fuzz_alias;
    n = parse_all(&p);
    if (n && devnull)
        ast_print(devnull, n);
    if (p.err && (p.err_line < 1 || p.err_col < 1 || !p.err_msg[0]))
        __builtin_trap();
    ast_free(n);
    parser_free(&p);
    if (devnull)
        fclose(devnull);
    return 0;
}
