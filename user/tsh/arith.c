/*
 * arith.c - $(( )) arithmetic (arith.h) by precedence climbing: one
 * function for the binary operators, a table of their precedences, and
 * primary() for numbers, names, unary operators and parentheses (at most
 * ARITH_DEPTH_MAX of them inside one another).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arith.h"
#include "parse.h"
#include "shell.h"

#define ARITH_DEPTH_MAX 64

struct arith {
    const char *s;
    int depth;
    const char *err;
};

static const struct { const char *op; int prec; } binops[] = {
    { "||", 1 }, { "&&", 2 }, { "|", 3 }, { "^", 4 }, { "&", 5 }, { "==", 6 }, { "!=", 6 },
    { "<=", 7 }, { ">=", 7 }, { "<<", 8 }, { ">>", 8 }, { "<", 7 }, { ">", 7 }, { "+", 9 },
    { "-", 9 }, { "*", 10 }, { "/", 10 }, { "%", 10 },
};

static void skip_space(struct arith *a)
{
    while (*a->s == ' ' || *a->s == '\t' || *a->s == '\n')
        a->s++;
}

static long binary(struct arith *a, int min_prec);
static long conditional(struct arith *a);

static long number(struct arith *a)
{
    char *end;
    long v;

    if (parse_is_name(a->s, 1)) {
        const char *start = a->s;
        while (parse_is_name(start, (int)(a->s - start) + 1))
            a->s++;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(a->s - start), start);
        const char *val = var_get(name);
        v = val && *val ? strtol(val, &end, 0) : 0;
        if (val && *val && *end)
            a->err = "a variable's value is not a number";
        return v;
    }
    v = strtol(a->s, &end, 0);
    if (end == a->s)
        a->err = *a->s ? "a number or a name expected" : "the expression ends too early";
    a->s = end;
    return v;
}

static long primary(struct arith *a)
{
    long v;

    skip_space(a);
    if (++a->depth > ARITH_DEPTH_MAX) {
        a->err = "nested too deep";
        return 0;
    }
    if (*a->s == '(') {
        a->s++;
        v = conditional(a);
        skip_space(a);
        if (*a->s != ')')
            a->err = a->err ? a->err : "')' expected";
        else
            a->s++;
    } else if (*a->s == '-' || *a->s == '+' || *a->s == '!' || *a->s == '~') {
        char op = *a->s++;
        v = primary(a);
        v = op == '-' ? (long)(0UL - (unsigned long)v) : op == '!' ? !v : op == '~' ? ~v : v;
    } else {
        v = number(a);
    }
    a->depth--;
    return v;
}

static long apply(struct arith *a, const char *op, long l, long r)
{
    unsigned long ul = (unsigned long)l, ur = (unsigned long)r;

    if ((op[0] == '/' || op[0] == '%') && (r == 0 || (l == (long)(1UL << 63) && r == -1))) {
        a->err = r == 0 ? "division by zero" : "division overflows";
        return 0;
    }
    switch (op[0] * 256 + op[1]) {
    case '|' * 256 + '|': return l || r;
    case '&' * 256 + '&': return l && r;
    case '|' * 256: return l | r;
    case '^' * 256: return l ^ r;
    case '&' * 256: return l & r;
    case '=' * 256 + '=': return l == r;
    case '!' * 256 + '=': return l != r;
    case '<' * 256 + '=': return l <= r;
    case '>' * 256 + '=': return l >= r;
    case '<' * 256 + '<': return (long)(ul << (ur & 63));
    case '>' * 256 + '>': return l >> (ur & 63);
    case '<' * 256: return l < r;
    case '>' * 256: return l > r;
    case '+' * 256: return (long)(ul + ur);
    case '-' * 256: return (long)(ul - ur);
    case '*' * 256: return (long)(ul * ur);
    case '/' * 256: return l / r;
    default: return l % r;
    }
}

static long binary(struct arith *a, int min_prec)
{
    long left = primary(a);

    for (;;) {
        size_t i, n = sizeof binops / sizeof binops[0];
        skip_space(a);
        for (i = 0; i < n; i++)
            if (strncmp(a->s, binops[i].op, strlen(binops[i].op)) == 0)
                break;
        if (a->err || i == n || binops[i].prec < min_prec)
            return left;
        a->s += strlen(binops[i].op);
        long right = binary(a, binops[i].prec + 1);
        if (a->err)
            return 0;
        left = apply(a, binops[i].op, left, right);
    }
}

/* COND ? A : B, the lowest precedence, right to left; both sides are parsed, one is used. */
static long conditional(struct arith *a)
{
    long cond = binary(a, 1), yes, no;

    skip_space(a);
    if (a->err || *a->s != '?')
        return cond;
    a->s++;
    if (++a->depth > ARITH_DEPTH_MAX) {
        a->err = "nested too deep";
        return 0;
    }
    yes = conditional(a);
    skip_space(a);
    if (*a->s != ':') {
        a->err = a->err ? a->err : "':' expected after '?'";
        a->depth--;
        return 0;
    }
    a->s++;
    no = conditional(a);
    a->depth--;
    return cond ? yes : no;
}

bool arith_eval(const char *expr, long *out, char *err, size_t errlen)
{
    struct arith a = { .s = expr };

    *out = conditional(&a);
    skip_space(&a);
    if (!a.err && *a.s)
        a.err = "unexpected characters after the expression";
    if (a.err)
        snprintf(err, errlen, "arithmetic: %s", a.err);
    return !a.err;
}
