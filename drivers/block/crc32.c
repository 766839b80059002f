/*
 * crc32.c - CRC-32 (IEEE 802.3, as GPT and zlib use it), a byte at a time
 * through a 256-entry table. The table is made by the compiler from the
 * polynomial (CRC_BYTE runs the eight shift-and-xor steps of one byte), so
 * no number in it is copied by hand and no code fills it at run time.
 */
#include "block/crc32.h"

#define CRC_POLY        0xEDB88320u     /* x^32 + x^26 + ... + 1, bit-reversed */
#define CRC_STEP(c)     (((c) >> 1) ^ (CRC_POLY & (0u - ((c) & 1u))))
#define CRC_BYTE(c)     CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(CRC_STEP(c))))))))
#define CRC_R4(n)       CRC_BYTE((n) + 0u), CRC_BYTE((n) + 1u), CRC_BYTE((n) + 2u), CRC_BYTE((n) + 3u)
#define CRC_R16(n)      CRC_R4(n), CRC_R4((n) + 4u), CRC_R4((n) + 8u), CRC_R4((n) + 12u)
#define CRC_R64(n)      CRC_R16(n), CRC_R16((n) + 16u), CRC_R16((n) + 32u), CRC_R16((n) + 48u)

static const uint32_t byte_crc[256] = { CRC_R64(0u), CRC_R64(64u), CRC_R64(128u), CRC_R64(192u) };

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = (crc >> 8) ^ byte_crc[(crc ^ p[i]) & 0xFF];
    return ~crc;
}
