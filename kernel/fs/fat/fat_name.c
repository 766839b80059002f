/*
 * fat_name.c - FAT names: long names in UTF-16 (Microsoft FAT
 * specification, section 7) beside the 8.3 short name every entry has
 * (section 6), and the checksum that ties the two (section 7).
 *
 * The VFS speaks UTF-8; long names on the disk are UTF-16, so names are
 * converted both ways here (characters beyond U+FFFF as surrogate pairs; an
 * unpaired surrogate read from a disk comes out as U+FFFD). Lookup is
 * case-insensitive, as on Windows: both sides are upper-cased with
 * fat_fold (ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic: the
 * scripts whose case pairs are a fixed offset apart) before comparing; the
 * name is stored with the case it was written in.
 *
 * A short name is made by the spec's basis-name algorithm (section 7):
 * upper-case, drop spaces and leading periods, characters a short name may
 * not hold become '_', at most 8 characters before the last period and 3
 * after. When the long name is exactly that (but for the case of each
 * part, which NTRes's two bits record as Windows NT does), the short entry
 * alone stores it; otherwise the short name gets a "~N" tail that makes it
 * unique in its directory (fat_dir.c picks N) and long entries hold the name.
 */
#include "errno.h"
#include "mutant.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"

/* Characters a long name may not hold (section 7: besides the control characters). */
static int long_forbidden(uint32_t c)
{
    return c < 0x20 || c == '"' || c == '*' || c == '/' || c == ':' || c == '<' || c == '>' ||
           c == '?' || c == '\\' || c == '|' || c == 0x7F;
}

/* One code point from UTF-8 at s (n bytes left): its length, or 0 when malformed. */
static unsigned utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 :
                   (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    uint32_t c;

    if (len == 0 || len > n)
        return 0;
    c = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (unsigned i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int fat_utf8_to_16(const char *s, size_t len, uint16_t *out, unsigned max)
{
    unsigned units = 0;
    uint32_t c;

    for (size_t i = 0; i < len;) {
        unsigned n = utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (n == 0 || long_forbidden(c))
            return -EINVAL;
        i += n;
        if (units + (c > 0xFFFF ? 2 : 1) > max)
            return -ENAMETOOLONG;
        if (c > 0xFFFF) {
            c -= 0x10000;
            out[units++] = (uint16_t)(0xD800 | c >> 10);
            out[units++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            out[units++] = (uint16_t)c;
        }
    }
    return units;
}

int fat_utf16_to_8(const uint16_t *u, unsigned units, char *out, size_t size)
{
    size_t o = 0;

    for (unsigned i = 0; i < units; i++) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
            c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
        else if (c >= 0xD800 && c <= 0xDFFF)
            c = 0xFFFD;
        unsigned n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (o + n >= size)
            return -EINVAL;
        if (n == 1) {
            out[o++] = (char)c;
            continue;
        }
        out[o++] = (char)((0xF00u >> n) | (c >> (6 * (n - 1))));
        for (unsigned k = n - 1; k > 0; k--)
            out[o++] = (char)(0x80 | ((c >> (6 * (k - 1))) & 0x3F));
    }
    out[o] = '\0';
    return (int)o;
}

uint16_t fat_fold(uint16_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0xE0)
        return c;
    if (c <= 0xFE)
        return c == 0xF7 ? c : c - 32;
    if (c == 0xFF)
        return 0x178;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c & ~1u;                         /* Latin Extended-A: upper even, lower odd */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c : c - 1;             /* ...and here upper odd, lower even */
    if (c == 0x3AC)
        return 0x386;                           /* Greek with tonos */
    if (c >= 0x3AD && c <= 0x3AF)
        return c - 37;
    if (c == 0x3CC)
        return 0x38C;
    if (c == 0x3CD || c == 0x3CE)
        return c - 63;
    if (c >= 0x3B1 && c <= 0x3C9)
        return c == 0x3C2 ? 0x3A3 : c - 32;     /* Greek, final sigma too */
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;                          /* Cyrillic */
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

int fat_name_equal(const uint16_t *a, unsigned alen, const uint16_t *b, unsigned blen)
{
    if (alen != blen)
        return 0;
    for (unsigned i = 0; i < alen; i++)
        if (MUTANT_ENABLED(fat_case_fold) ? a[i] != b[i] : fat_fold(a[i]) != fat_fold(b[i]))
            return 0;
    return 1;
}

uint8_t fat_checksum(const uint8_t short_name[11])
{
    uint8_t sum = 0;

    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) ? 0x80 : 0) + (sum >> 1) + short_name[i]);
    return sum;
}

/* A character a short name may hold as it is (section 6), after upper-casing. */
static int short_ok(uint16_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    for (const char *p = "!#$%&'()-@^_`{}~"; *p; p++)
        if (c == (uint16_t)*p)
            return 1;
    return 0;
}

/* Case of the letters of u[0..n): 1 all lower, 2 all upper, 3 mixed, 0 none. */
static unsigned letter_case(const uint16_t *u, unsigned n)
{
    unsigned k = 0;

    for (unsigned i = 0; i < n; i++) {
        if (u[i] >= 'a' && u[i] <= 'z')
            k |= 1;
        else if (u[i] >= 'A' && u[i] <= 'Z')
            k |= 2;
    }
    return k;
}

int fat_short_basis(const uint16_t *u, unsigned units, uint8_t out[11], uint8_t *ntres)
{
    int last_dot = -1, exact = 1;
    unsigned o = 0, start = 0;

    for (unsigned i = 0; i < units; i++)
        if (u[i] == '.')
            last_dot = (int)i;
    for (unsigned i = 0; i < 11; i++)
        out[i] = ' ';
    while (start < units && (u[start] == '.' || u[start] == ' '))
        start++, exact = 0;                     /* leading periods and spaces go */
    unsigned base_end = last_dot > (int)start ? (unsigned)last_dot : units;
    for (unsigned i = start; i < base_end; i++) {
        uint16_t c = fat_fold(u[i]);
        if (c == ' ' || c == '.') {
            exact = 0;
            continue;
        }
        if (o == 8) {
            exact = 0;
            break;
        }
        exact &= short_ok(c);
        out[o++] = short_ok(c) ? (uint8_t)c : '_';
    }
    for (unsigned i = base_end + 1, e = 8; i < units && base_end < units; i++) {
        uint16_t c = fat_fold(u[i]);
        if (c == ' ') {
            exact = 0;
            continue;
        }
        if (e == 11) {
            exact = 0;
            break;
        }
        exact &= short_ok(c);
        out[e++] = short_ok(c) ? (uint8_t)c : '_';
    }
    if (o == 0) {
        out[0] = '_';
        exact = 0;
    }
    if (last_dot >= 0 && (unsigned)last_dot + 1 == units)
        exact = 0;                              /* "name." */
    unsigned bc = letter_case(u + start, base_end - start);
    unsigned ec = base_end < units ? letter_case(u + base_end + 1, units - base_end - 1) : 0;
    *ntres = (bc == 1 ? NTRES_BASE_LOWER : 0) | (ec == 1 ? NTRES_EXT_LOWER : 0);
    return exact && bc != 3 && ec != 3;
}

void fat_short_with_tail(uint8_t name[11], unsigned n)
{
    char digits[8];
    unsigned d = 0, len = 8;

    do
        digits[d++] = (char)('0' + n % 10);
    while ((n /= 10) && d < 7);
    while (len > 0 && name[len - 1] == ' ')
        len--;
    unsigned at = len + d + 1 > 8 ? 8 - d - 1 : len;
    name[at++] = '~';
    while (d)
        name[at++] = (uint8_t)digits[--d];
    while (at < 8)
        name[at++] = ' ';
}

static uint16_t oem_char(uint8_t c, int lower)
{
    if (lower && c >= 'A' && c <= 'Z')
        return c + 32;
    return c;                                   /* bytes >= 0x80: taken as Latin-1 */
}

unsigned fat_short_display(const uint8_t *entry, uint16_t out[13])
{
    unsigned n = 0, base = 8, ext = 3;
    uint8_t nt = entry[DIR_NTRes];

    while (base > 0 && entry[base - 1] == ' ')
        base--;
    while (ext > 0 && entry[8 + ext - 1] == ' ')
        ext--;
    for (unsigned i = 0; i < base; i++)
        out[n++] = oem_char(i == 0 && entry[0] == DIR_KANJI_E5 ? 0xE5 : entry[i], nt & NTRES_BASE_LOWER);
    if (ext) {
        out[n++] = '.';
        for (unsigned i = 0; i < ext; i++)
            out[n++] = oem_char(entry[8 + i], nt & NTRES_EXT_LOWER);
    }
    return n;
}
