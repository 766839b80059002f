/*
 * fat_time.h - FAT date and time words to and from seconds since 1970
 * (fat_time.c; Microsoft FAT specification, section 6).
 */
#pragma once

#include <stdint.h>

/* tenth may be NULL (modification and access times have none). */
void fat_time_to_dos(int64_t t, uint16_t *date, uint16_t *time, uint8_t *tenth);
int64_t fat_time_from_dos(uint16_t date, uint16_t time, uint8_t tenth);
