/*
 * bootcfg.c - parser for /boot/boot.cfg (format in bootcfg.h).
 *
 * Freestanding: no allocation, no libc beyond the string functions of
 * string.h. Input is untrusted: every line is bounded, every number is
 * range-checked, and the output is fully written (zeroed first) even when
 * the parse fails, so a caller never sees half-initialised state.
 */
#include "bootcfg.h"
#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Trim spaces on both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_space((*s)[*n - 1]))
        (*n)--;
}

/* First c in [s, s + n), or NULL. */
static const char *find_char(const char *s, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == c)
            return s + i;
    return NULL;
}

static int key_is(const char *key, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(key, name, n) == 0;
}

/* Parse a decimal number in [1, max] from [*s, end); advances *s. */
static int parse_uint(const char **s, const char *end, uint32_t max, uint32_t *out)
{
    uint32_t v = 0;
    const char *p = *s;

    if (p == end || *p < '0' || *p > '9')
        return -1;
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (uint32_t)(*p - '0');
        if (v > max)
            return -1;
        p++;
    }
    if (v == 0)
        return -1;
    *s = p;
    *out = v;
    return 0;
}

/* video=WxHxBPP: width and height up to 16384, bpp 8, 15, 16, 24 or 32. */
static int parse_video(const char *v, size_t n, struct bootcfg *cfg)
{
    const char *p = v, *end = v + n;
    uint32_t w, h, bpp;

    if (parse_uint(&p, end, 16384, &w) || p == end || (*p != 'x' && *p != 'X'))
        return BOOTCFG_ERR_BAD_VIDEO;
    p++;
    if (parse_uint(&p, end, 16384, &h) || p == end || (*p != 'x' && *p != 'X'))
        return BOOTCFG_ERR_BAD_VIDEO;
    p++;
    if (parse_uint(&p, end, 32, &bpp) || p != end)
        return BOOTCFG_ERR_BAD_VIDEO;
    if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
        return BOOTCFG_ERR_BAD_VIDEO;
    cfg->video_width = w;
    cfg->video_height = h;
    cfg->video_bpp = bpp;
    return BOOTCFG_OK;
}

static int copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    if (n >= cap)
        return BOOTCFG_ERR_VALUE_TOO_LONG;
    memcpy(dst, v, n);
    dst[n] = '\0';
    return BOOTCFG_OK;
}

/* One line into cfg; BOOTCFG_OK or why it was not used (*key, *klen: its key). */
static int parse_line(const char *line, size_t n, struct bootcfg *cfg, const char **key_out,
                      size_t *klen_out)
{
    const char *eq, *key, *val;
    size_t klen, vlen;

    trim(&line, &n);
    *key_out = line, *klen_out = 0;
    if (n == 0 || line[0] == '#')
        return BOOTCFG_OK;
    eq = find_char(line, n, '=');
    if (!eq)
        return BOOTCFG_ERR_NO_EQUALS;
    key = line;
    klen = (size_t)(eq - line);
    val = eq + 1;
    vlen = n - klen - 1;
    trim(&key, &klen);
    trim(&val, &vlen);
    *key_out = key, *klen_out = klen;

    if (key_is(key, klen, "cmdline"))
        return copy_value(cfg->cmdline, sizeof cfg->cmdline, val, vlen);
    if (key_is(key, klen, "video"))
        return parse_video(val, vlen, cfg);
    if (key_is(key, klen, "module")) {
        if (cfg->module_count == BOOTCFG_MAX_MODULES)
            return BOOTCFG_ERR_TOO_MANY_MODULES;
        if (vlen < 2 || val[0] != '/')
            return BOOTCFG_ERR_BAD_MODULE;
        if (copy_value(cfg->modules[cfg->module_count], BOOTINFO_MODULE_NAME_LEN, val, vlen))
            return BOOTCFG_ERR_VALUE_TOO_LONG;
        cfg->module_count++;
        return BOOTCFG_OK;
    }
    return BOOTCFG_ERR_UNKNOWN_KEY;
}

int bootcfg_parse(const char *text, size_t len, struct bootcfg *out,
                  unsigned *err_line, bootcfg_warn_fn *warn, void *warn_ctx)
{
    size_t pos = 0;
    unsigned lineno = 0;

    memset(out, 0, sizeof *out);
    *err_line = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = find_char(line, len - pos, '\n');
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        int err;

        const char *key = line;
        size_t klen = 0;

        lineno++;
        pos += n + (nl ? 1 : 0);
        if (find_char(line, n, '\0')) {
            *err_line = lineno;
            return BOOTCFG_ERR_NUL;
        }
        err = n >= BOOTCFG_LINE_MAX ? BOOTCFG_ERR_LINE_TOO_LONG : parse_line(line, n, out, &key, &klen);
        if (err == BOOTCFG_OK)
            continue;
        if (!*err_line)
            *err_line = lineno;
        if (warn)
            warn(warn_ctx, lineno, err, key, err == BOOTCFG_ERR_LINE_TOO_LONG ? 0 : klen);
    }
    return BOOTCFG_OK;
}

const char *bootcfg_strerror(int err)
{
    switch (err) {
    case BOOTCFG_OK:                   return "ok";
    case BOOTCFG_ERR_UNKNOWN_KEY:      return "unknown key";
    case BOOTCFG_ERR_NO_EQUALS:        return "line is not key=value";
    case BOOTCFG_ERR_LINE_TOO_LONG:    return "line too long";
    case BOOTCFG_ERR_VALUE_TOO_LONG:   return "value too long";
    case BOOTCFG_ERR_BAD_VIDEO:        return "video= is not WxHxBPP";
    case BOOTCFG_ERR_TOO_MANY_MODULES: return "too many module= lines";
    case BOOTCFG_ERR_BAD_MODULE:       return "module= path must start with /";
    case BOOTCFG_ERR_NUL:              return "NUL byte in file";
    }
    return "unknown error";
}
