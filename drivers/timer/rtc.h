/*
 * rtc.h - the CMOS real-time clock (Motorola MC146818A and its PC
 * descendants): the date and time of day, kept by a battery, read once at
 * boot for the wall-clock time; and its periodic interrupt on ISA IRQ 8,
 * which the tests use as a second interrupt source.
 *
 * The clock counts in BCD or binary and in 12 or 24 hours as status
 * register B says; the year is two digits, the century in the CMOS
 * register the FADT names (when it names one; else 20xx is assumed). The
 * time is UTC by convention (the firmware may keep local time; we cannot
 * tell). Reading races with the once-a-second update, so rtc_read waits
 * for the update-in-progress flag to clear and reads until two readings
 * agree.
 */
#pragma once

#include <stdint.h>

struct rtc_time {
    uint16_t year;              /* e.g. 2026 */
    uint8_t  month, day;        /* 1..12, 1..31 */
    uint8_t  hour, minute, second;
};

/* The registers as read, before decoding. */
struct rtc_raw {
    uint8_t second, minute, hour, day, month, year, century;
    uint8_t status_b;
};

/* Decode a raw reading (BCD or binary, 12/24 h; century 0 = none): pure. */
void rtc_decode(const struct rtc_raw *raw, struct rtc_time *out);
/* 1 when the fields are a possible date and time. */
int rtc_valid(const struct rtc_time *t);

/* Read the clock now (century register index from the FADT, 0 if none); 0 or -1. */
int rtc_read(uint8_t century_index, struct rtc_time *out);
/* Read and print "[time] wall clock at boot: ..." once; keeps the result. */
void rtc_init(void);
/* What rtc_init read, and clock_ns() at that moment; NULL if unreadable. */
const struct rtc_time *rtc_boot_time(uint64_t *at_ns);
/* The same as seconds since 1970 (0 if unreadable, at_ns 0 then): worked out once, for the clocks
 * that add the time since to it on every read (vfs_now). */
uint64_t rtc_boot_unix(uint64_t *at_ns);
/* Seconds since 1970-01-01 00:00:00 UTC. */
uint64_t rtc_to_unix(const struct rtc_time *t);

/* The periodic interrupt at 32768 >> (rate - 1) Hz (rate 3..15); its
 * handler must call rtc_ack, or the RTC raises no further interrupt. */
void rtc_periodic_start(unsigned rate);
void rtc_periodic_stop(void);
void rtc_ack(void);
