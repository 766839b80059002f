/*
 * crc32.c - CRC-32 (IEEE 802.3, as GPT and zlib use it), a nibble at a
 * time: a 16-entry table, small enough to write out, and fast enough for
 * partition tables and the read-back test's few MiB.
 */
#include "block/crc32.h"

/* CRC of each 4-bit value, polynomial 0xEDB88320 (reflected). */
static const uint32_t nibble_crc[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nibble_crc[crc & 15];
        crc = (crc >> 4) ^ nibble_crc[crc & 15];
    }
    return ~crc;
}
