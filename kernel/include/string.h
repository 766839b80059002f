/*
 * string.h - the kernel's freestanding <string.h>.
 *
 * The kernel is built with -nostdinc: it sees only the compiler's own
 * freestanding headers (stdint.h, stddef.h, stdarg.h) and this folder. Code
 * shared with the host (the files in common/) writes `#include <string.h>` and gets the
 * C library's header in host builds and this one in the kernel.
 * kernel/lib/string.c defines these functions (gcc emits calls to memcpy,
 * memset, memmove and memcmp even with -ffreestanding).
 */
#pragma once

#include <stddef.h>

void  *memcpy(void *restrict dst, const void *restrict src, size_t n);
void  *memmove(void *dst, const void *src, size_t n);
void  *memset(void *dst, int c, size_t n);
int    memcmp(const void *a, const void *b, size_t n);
void  *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int    strcmp(const char *a, const char *b);
int    strncmp(const char *a, const char *b, size_t n);
char  *strchr(const char *s, int c);
char  *strstr(const char *haystack, const char *needle);
