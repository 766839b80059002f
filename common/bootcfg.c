/*
 * bootcfg.c - parser for /boot/boot.cfg (format in bootcfg.h, rules in
 * bootrules.h).
 *
 * Freestanding: no allocation, no libc beyond the string functions of
 * string.h. Input is untrusted: every number is range-checked as it is
 * read (no overflow), every value measured before it is copied. The file
 * is judged whole first (its size, then a NUL byte anywhere: not a text
 * file), then line by line; config.asm walks it in the same order, so the
 * two loaders name the same first rule.
 */
#include "bootcfg.h"
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Trim blanks on both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
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

/* One number of WxHxBPP and the 'x' after it (none after the last). */
static int video_field(const char **p, const char *end, uint32_t max, uint32_t *out, int last)
{
    if (parse_uint(p, end, max, out))
        return -1;
    if (last)
        return *p == end ? 0 : -1;
    if (*p == end || (**p != 'x' && **p != 'X'))
        return -1;
    (*p)++;
    return 0;
}

static int parse_video(const char *v, size_t n, struct bootcfg *cfg)
{
    const char *p = v, *end = v + n;
    uint32_t w, h, bpp;

    if (video_field(&p, end, BOOTCFG_VIDEO_DIM_MAX, &w, 0) ||
        video_field(&p, end, BOOTCFG_VIDEO_DIM_MAX, &h, 0) ||
        video_field(&p, end, BOOTCFG_VIDEO_BPP_MAX, &bpp, 1))
        return BOOTRULE_CFG_VIDEO;
    if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
        return BOOTRULE_CFG_VIDEO;
    cfg->video_width = w;
    cfg->video_height = h;
    cfg->video_bpp = bpp;
    return BOOTRULE_OK;
}

static int parse_module(const char *v, size_t n, struct bootcfg *cfg)
{
    if (cfg->module_count == BOOTCFG_MODULES_MAX)
        return BOOTRULE_CFG_MODULES;
    if (n < 2 || v[0] != '/')
        return BOOTRULE_CFG_MODULE_PATH;
    if (n > BOOTCFG_PATH_MAX)
        return BOOTRULE_CFG_PATH_LENGTH;
    memcpy(cfg->modules[cfg->module_count++], v, n);   /* zeroed: NUL-terminated */
    return BOOTRULE_OK;
}

/* key=value: act on a known key; *unknown = 1 for any other key. */
static int parse_pair(const char *key, size_t klen, const char *val, size_t vlen,
                      struct bootcfg *cfg, int *unknown)
{
    if (key_is(key, klen, "cmdline")) {
        if (vlen > BOOTCFG_CMDLINE_MAX)
            return BOOTRULE_CFG_CMDLINE;
        memcpy(cfg->cmdline, val, vlen);
        cfg->cmdline[vlen] = '\0';
        return BOOTRULE_OK;
    }
    if (key_is(key, klen, "video"))
        return parse_video(val, vlen, cfg);
    if (key_is(key, klen, "module"))
        return parse_module(val, vlen, cfg);
    *unknown = 1;
    return BOOTRULE_OK;
}

/* One line (without its LF); BOOTRULE_OK or the rule it breaks. */
static int parse_line(const char *line, size_t n, struct bootcfg *cfg, unsigned lineno,
                      bootcfg_warn_fn *warn, void *warn_ctx)
{
    const char *eq, *key = line, *val;
    size_t klen, vlen;
    int unknown = 0, rule;

    trim(&key, &n);
    if (n == 0 || key[0] == '#')
        return BOOTRULE_OK;
    eq = find_char(key, n, '=');
    if (!eq)
        return BOOTRULE_CFG_KEY_VALUE;
    klen = (size_t)(eq - key);
    val = eq + 1;
    vlen = n - klen - 1;
    trim(&key, &klen);
    trim(&val, &vlen);
    if (klen == 0)
        return BOOTRULE_CFG_KEY_VALUE;
    rule = parse_pair(key, klen, val, vlen, cfg, &unknown);
    if (unknown && warn)
        warn(warn_ctx, lineno, key, klen);
    return rule;
}

/* The line of the first NUL byte, 0 when there is none. */
static unsigned nul_line(const char *text, size_t len)
{
    unsigned line = 1;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\0')
            return line;
        line += text[i] == '\n';
    }
    return 0;
}

int bootcfg_parse(const char *text, size_t len, struct bootcfg *out,
                  unsigned *err_line, bootcfg_warn_fn *warn, void *warn_ctx)
{
    size_t pos = 0;
    unsigned lineno = 0;

    memset(out, 0, sizeof *out);
    *err_line = 0;
    if (len > BOOTCFG_FILE_MAX)
        return BOOTRULE_CFG_SIZE;
    if ((*err_line = nul_line(text, len)))
        return BOOTRULE_CFG_NUL;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = find_char(line, len - pos, '\n');
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        int rule;

        lineno++;
        pos += n + (nl ? 1 : 0);
        rule = parse_line(line, n, out, lineno, warn, warn_ctx);
        if (rule != BOOTRULE_OK) {
            *err_line = lineno;
            memset(out, 0, sizeof *out);
            return rule;
        }
    }
    return BOOTRULE_OK;
}
