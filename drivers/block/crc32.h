/*
 * crc32.h - the CRC-32 of IEEE 802.3 (crc32.c): polynomial 0xEDB88320
 * (reflected), initial value and final XOR 0xFFFFFFFF. It is the CRC that
 * the UEFI specification puts in a GPT header and over its entry array,
 * and the one `crc32` and Python's zlib.crc32 print on the host, so the
 * kernel's read-back lines (blk_readback) compare with the host's.
 *
 * Pure code: no kernel header, so the host tests and the partition fuzzer
 * link the same file. crc32_update continues a CRC over more bytes:
 *     crc = crc32_update(0, a, na); crc = crc32_update(crc, b, nb);
 * equals crc32_update(0, ab, na + nb).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);
