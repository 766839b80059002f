/*
 * arith.h - $(( )) arithmetic: long integers; + - * / % << >> < <= > >=
 * == != & ^ | && || ! ~ unary - +, parentheses, decimal, 0x hex and 0
 * octal numbers, variable names (unset or empty is 0) and COND ? A : B.
 * No assignment operators (docs/tsh.md).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The value of expr into *out; false with a message in err otherwise. */
bool arith_eval(const char *expr, long *out, char *err, size_t errlen);
