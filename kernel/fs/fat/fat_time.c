/*
 * fat_time.c - FAT's timestamps (Microsoft FAT specification, section 6,
 * the directory entry's date and time fields): a date word (bits 15-9
 * years since 1980, 8-5 month, 4-0 day) and a time word (bits 15-11
 * hours, 10-5 minutes, 4-0 seconds / 2), plus the
 * creation time's tenths of a second (0..199, the odd second included).
 *
 * FAT stores local time without a zone; Tessera keeps UTC and writes it
 * as is, as Linux does with tz=UTC. Times before 1980 are written as
 * 1980-01-01 00:00:00, after 2107 as 2107-12-31 23:59:58: the range the
 * fields can hold.
 */
#include "fs/fat/fat.h"
#include "fs/fat/fat_time.h"

#define DOS_MIN 315532800LL         /* 1980-01-01 00:00:00 UTC */
#define DOS_MAX 4354819198LL        /* 2107-12-31 23:59:58 UTC */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* ...and back. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void fat_time_to_dos(int64_t t, uint16_t *date, uint16_t *time, uint8_t *tenth)
{
    int64_t y;
    unsigned m, d;

    if (t < DOS_MIN)
        t = DOS_MIN;
    if (t > DOS_MAX)
        t = DOS_MAX;
    civil_from_days(t / 86400, &y, &m, &d);
    unsigned s = (unsigned)(t % 86400);
    *date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
    *time = (uint16_t)((s / 3600) << 11 | (s / 60 % 60) << 5 | (s % 60) / 2);
    if (tenth)
        *tenth = (uint8_t)((s % 2) * 100);
}

int64_t fat_time_from_dos(uint16_t date, uint16_t time, uint8_t tenth)
{
    unsigned m = (date >> 5) & 0xF, d = date & 0x1F;

    if (m < 1 || m > 12 || d < 1)                  /* 0 (never set) or damaged: 1980-01-01 */
        return DOS_MIN;
    int64_t days = days_from_civil(1980 + (date >> 9), m, d);
    int64_t s = (time >> 11) * 3600 + ((time >> 5) & 0x3F) * 60 + (time & 0x1F) * 2;
    return days * 86400 + s + (tenth < 200 ? tenth / 100 : 0);
}
