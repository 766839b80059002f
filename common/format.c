/*
 * format.c - format_vsnprintf: printf-style formatting into a bounded buffer.
 *
 * Layers: format_vsnprintf walks the format string and parses one conversion
 * spec at a time (parse_spec), fetches its argument, and hands the text to
 * emit_field, which applies width, padding and alignment. All output goes
 * through out_char, the only place that touches the buffer: it counts every
 * byte but stores only while there is room for the terminating NUL. This is
 * what makes the snprintf contract (return the untruncated length, never
 * write past `size`) hold everywhere.
 *
 * Freestanding: no libc calls, no floating point, no allocation. Shared by
 * the kernel and, under ASan/UBSan, the host unit tests.
 */
#include <stdint.h>

#include "format.h"

struct out {
    char  *buf;
    size_t size;
    size_t pos;     /* bytes the full output has so far */
};

struct spec {
    int    left;        /* '-' */
    int    zero;        /* '0' */
    int    width;       /* -1: none */
    int    prec;        /* -1: none */
    int    length;      /* 0, 'l', 'L' (ll), 'z' */
    char   conv;
};

static void out_char(struct out *o, char c)
{
    if (o->size && o->pos < o->size - 1)
        o->buf[o->pos] = c;
    o->pos++;
}

static void out_repeat(struct out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

static int parse_number(const char **p)
{
    int n = 0;

    while (**p >= '0' && **p <= '9') {
        if (n < 100000)         /* clamp absurd widths instead of overflowing */
            n = n * 10 + (**p - '0');
        (*p)++;
    }
    return n;
}

/* Parse flags, width, precision and length after a '%'; *p ends on the conversion. */
static void parse_spec(const char **p, struct spec *s, va_list *ap)
{
    s->left = s->zero = 0;
    s->width = s->prec = -1;
    s->length = 0;
    for (;; (*p)++) {
        if (**p == '-')
            s->left = 1;
        else if (**p == '0')
            s->zero = 1;
        else
            break;
    }
    if (**p == '*') {
        s->width = va_arg(*ap, int);
        if (s->width < 0) {
            s->left = 1;
            s->width = s->width == INT32_MIN ? 0 : -s->width;
        }
        (*p)++;
    } else if (**p >= '0' && **p <= '9') {
        s->width = parse_number(p);
    }
    if (**p == '.') {
        (*p)++;
        if (**p == '*') {
            s->prec = va_arg(*ap, int);
            (*p)++;
        } else {
            s->prec = parse_number(p);
        }
        if (s->prec < 0)
            s->prec = -1;
    }
    if (**p == 'l') {
        (*p)++;
        s->length = 'l';
        if (**p == 'l') {
            (*p)++;
            s->length = 'L';
        }
    } else if (**p == 'z') {
        (*p)++;
        s->length = 'z';
    }
    s->conv = **p;
}

/*
 * Emit one field: sign/prefix, then body of len bytes, padded to the width.
 * Zero padding goes between the prefix and the body; `zeros` is the extra
 * leading zeros an integer precision asks for.
 */
static void emit_field(struct out *o, const struct spec *s, const char *prefix,
                       const char *body, int len, int zeros)
{
    int plen = 0, pad;

    while (prefix[plen])
        plen++;
    pad = s->width - plen - zeros - len;
    if (!s->left && !(s->zero && s->prec < 0))
        out_repeat(o, ' ', pad);
    for (int i = 0; i < plen; i++)
        out_char(o, prefix[i]);
    if (!s->left && s->zero && s->prec < 0)
        out_repeat(o, '0', pad);
    out_repeat(o, '0', zeros);
    for (int i = 0; i < len; i++)
        out_char(o, body[i]);
    if (s->left)
        out_repeat(o, ' ', pad);
}

/* Digits of v in base 10 or 16, written backwards from the end of tmp[24]. */
static int to_digits(uint64_t v, unsigned base, int upper, char *tmp, const char **start)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = tmp + 24;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    *start = p;
    return (int)(tmp + 24 - p);
}

static void emit_integer(struct out *o, const struct spec *s, uint64_t v,
                         int negative, const char *prefix)
{
    char tmp[24];
    const char *body;
    int len, zeros;
    int hex = s->conv == 'x' || s->conv == 'X' || s->conv == 'p';

    len = to_digits(v, hex ? 16 : 10, s->conv == 'X', tmp, &body);
    if (s->prec == 0 && v == 0)
        len = 0;                        /* C: "%.0d" of 0 prints nothing */
    zeros = s->prec > len ? s->prec - len : 0;
    emit_field(o, s, negative ? "-" : prefix, body, len, zeros);
}

static int64_t fetch_signed(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'z': return (int64_t)va_arg(*ap, size_t);
    default:  return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    default:  return va_arg(*ap, unsigned int);
    }
}

static void emit_string(struct out *o, const struct spec *s, const char *str)
{
    int len = 0;
    struct spec plain = *s;

    if (!str)
        str = "(null)";
    while (str[len] && (s->prec < 0 || len < s->prec))
        len++;
    plain.zero = 0;                     /* strings pad with spaces only */
    plain.prec = -1;
    emit_field(o, &plain, "", str, len, 0);
}

/* One conversion whose spec is parsed; returns 0 for an unknown conversion. */
static int convert(struct out *o, const struct spec *s, va_list *ap)
{
    char c;

    switch (s->conv) {
    case 'd': case 'i': {
        int64_t v = fetch_signed(s, ap);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        emit_integer(o, s, mag, v < 0, "");
        return 1;
    }
    case 'u': case 'x': case 'X':
        emit_integer(o, s, fetch_unsigned(s, ap), 0, "");
        return 1;
    case 'p':
        emit_integer(o, s, (uint64_t)(uintptr_t)va_arg(*ap, void *), 0, "0x");
        return 1;
    case 's':
        emit_string(o, s, va_arg(*ap, const char *));
        return 1;
    case 'c':
        c = (char)va_arg(*ap, int);
        emit_field(o, s, "", &c, 1, 0);
        return 1;
    case '%':
        out_char(o, '%');
        return 1;
    default:
        return 0;
    }
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec s;
    va_list args;

    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        const char *start = p;

        if (*p != '%') {
            out_char(&o, *p);
            continue;
        }
        p++;
        parse_spec(&p, &s, &args);
        if (!convert(&o, &s, &args)) {
            /* unknown or truncated spec: copy it through as written */
            for (; start <= p && *start; start++)
                out_char(&o, *start);
            if (!*p)
                break;
        }
    }
    va_end(args);
    if (size)
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return o.pos > INT32_MAX ? INT32_MAX : (int)o.pos;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = format_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
