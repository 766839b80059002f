/*
 * rtc.c - the CMOS clock (see rtc.h). Registers and bits: MC146818A data
 * sheet (time registers 0x00-0x09, status A-C at 0x0A-0x0C); index port
 * 0x70 (bit 7 gates NMI on PCs: kept clear, NMI enabled), data port 0x71.
 */
#include <stdint.h>
#include <string.h>

#include "acpi/acpi_kernel.h"
#include "arch.h"
#include "printk.h"
#include "timer/clock.h"
#include "timer/rtc.h"

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define REG_SECONDS     0x00
#define REG_MINUTES     0x02
#define REG_HOURS       0x04
#define REG_DAY         0x07
#define REG_MONTH       0x08
#define REG_YEAR        0x09
#define REG_STATUS_A    0x0A
#define REG_STATUS_B    0x0B
#define REG_STATUS_C    0x0C
#define A_UPDATE_IN_PROGRESS 0x80
#define A_RATE_MASK     0x0F
#define B_24_HOUR       0x02
#define B_BINARY        0x04    /* DM: binary, else BCD */
#define B_PERIODIC_IE   0x40    /* PIE */
#define HOUR_PM         0x80    /* 12-hour mode: bit 7 of the hour */
#define READ_TRIES      10
#define UIP_SPIN_MAX    10000000

static struct rtc_time boot_time;
static uint64_t boot_time_ns;
static uint64_t boot_unix;               /* boot_time in seconds since 1970 */
static int have_boot_time;

static uint8_t cmos_read(uint8_t reg)
{
    arch_outb(CMOS_INDEX, reg);
    return arch_inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    arch_outb(CMOS_INDEX, reg);
    arch_outb(CMOS_DATA, v);
}

/* A register's value in the clock's format: BCD (two decimal digits) or binary. */
static uint8_t field(uint8_t v, int bcd)
{
    return bcd ? (uint8_t)((v >> 4) * 10 + (v & 0x0F)) : v;
}

void rtc_decode(const struct rtc_raw *raw, struct rtc_time *out)
{
    int bcd = !(raw->status_b & B_BINARY);
    uint8_t hour = field(raw->hour & (uint8_t)~HOUR_PM, bcd);
    unsigned century = raw->century ? field(raw->century, bcd) : 20;

    if (!(raw->status_b & B_24_HOUR))           /* 12 AM is 0 h, 12 PM is 12 h */
        hour = (uint8_t)(hour % 12 + (raw->hour & HOUR_PM ? 12 : 0));
    *out = (struct rtc_time){
        .year = (uint16_t)(century * 100 + field(raw->year, bcd)),
        .month = field(raw->month, bcd), .day = field(raw->day, bcd), .hour = hour,
        .minute = field(raw->minute, bcd), .second = field(raw->second, bcd),
    };
}

static int days_in_month(unsigned year, unsigned month)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    return days[month - 1] + (month == 2 && leap);
}

int rtc_valid(const struct rtc_time *t)
{
    return t->month >= 1 && t->month <= 12 && t->day >= 1 &&
           t->day <= days_in_month(t->year, t->month) && t->hour < 24 && t->minute < 60 &&
           t->second < 60;
}

/* Days from 1970-01-01 to year-month-day (the proleptic Gregorian calendar). */
static uint64_t days_since_epoch(unsigned year, unsigned month, unsigned day)
{
    uint64_t days = 0;

    for (unsigned y = 1970; y < year; y++)
        days += (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
    for (unsigned m = 1; m < month; m++)
        days += (uint64_t)days_in_month(year, m);
    return days + day - 1;
}

uint64_t rtc_to_unix(const struct rtc_time *t)
{
    return days_since_epoch(t->year, t->month, t->day) * 86400 + t->hour * 3600u +
           t->minute * 60u + t->second;
}

static int wait_update_done(void)
{
    unsigned spins = 0;

    while (cmos_read(REG_STATUS_A) & A_UPDATE_IN_PROGRESS)
        if (++spins == UIP_SPIN_MAX)
            return -1;
    return 0;
}

static int read_raw(uint8_t century_index, struct rtc_raw *r)
{
    if (wait_update_done() != 0)
        return -1;
    *r = (struct rtc_raw){
        .second = cmos_read(REG_SECONDS), .minute = cmos_read(REG_MINUTES),
        .hour = cmos_read(REG_HOURS), .day = cmos_read(REG_DAY), .month = cmos_read(REG_MONTH),
        .year = cmos_read(REG_YEAR), .century = century_index ? cmos_read(century_index) : 0,
        .status_b = cmos_read(REG_STATUS_B),
    };
    return 0;
}

int rtc_read(uint8_t century_index, struct rtc_time *out)
{
    struct rtc_raw a, b;

    if (read_raw(century_index, &a) != 0)
        return -1;
    for (int i = 0; i < READ_TRIES; i++) {
        if (read_raw(century_index, &b) != 0)
            return -1;
        if (memcmp(&a, &b, sizeof a) == 0) {
            rtc_decode(&b, out);
            return rtc_valid(out) ? 0 : -1;
        }
        a = b;
    }
    return -1;
}

void rtc_init(void)
{
    const struct acpi_info *acpi = acpi_get();
    uint8_t century = acpi && acpi->has_fadt ? acpi->century_index : 0;
    struct rtc_time *t = &boot_time;

    if (rtc_read(century, t) != 0) {
        printk(LOG_WARN, "[time] the CMOS clock gave no stable, valid reading: no wall clock\n");
        return;
    }
    boot_time_ns = clock_ns();
    boot_unix = rtc_to_unix(t);
    have_boot_time = 1;
    printk(LOG_INFO, "[time] wall clock at boot: %04u-%02u-%02u %02u:%02u:%02u UTC\n",
           t->year, t->month, t->day, t->hour, t->minute, t->second);
}

uint64_t rtc_boot_unix(uint64_t *at_ns)
{
    if (at_ns)
        *at_ns = have_boot_time ? boot_time_ns : 0;
    return have_boot_time ? boot_unix : 0;
}

const struct rtc_time *rtc_boot_time(uint64_t *at_ns)
{
    if (!have_boot_time)
        return 0;
    if (at_ns)
        *at_ns = boot_time_ns;
    return &boot_time;
}

void rtc_periodic_start(unsigned rate)
{
    uint8_t a = cmos_read(REG_STATUS_A);

    cmos_write(REG_STATUS_A, (uint8_t)((a & ~A_RATE_MASK) | (rate & A_RATE_MASK)));
    cmos_write(REG_STATUS_B, cmos_read(REG_STATUS_B) | B_PERIODIC_IE);
    rtc_ack();
}

void rtc_periodic_stop(void)
{
    cmos_write(REG_STATUS_B, cmos_read(REG_STATUS_B) & (uint8_t)~B_PERIODIC_IE);
    rtc_ack();
}

/* Reading status C clears its flags and lets IRQ 8 go low again. */
void rtc_ack(void)
{
    (void)cmos_read(REG_STATUS_C);
}
