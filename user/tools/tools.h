/*
 * tools.h - what Tessera's own tools (user/tools/, docs/tools.md) share
 * (tools.c): reading a file of /proc whole, failing with the tool's name,
 * sizes for people.
 *
 * Every tool reads /proc through tool_read_proc, which reads under the
 * folder the environment variable TESSERA_PROC names when it is set (a
 * fabricated tree: the host tests, tests/tools/host.sh), else /proc.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The tool's name for messages; each main sets it first. */
extern const char *tool_name;

/* "NAME: message" on stderr, then exit(1). */
void tool_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The root of /proc: $TESSERA_PROC, or "/proc". */
const char *tool_proc_root(void);

/* The whole of file REL under the root of /proc (e.g. "meminfo", "12/stat"), NUL-terminated
 * (a NUL inside stays: *len counts it), malloc'd; NULL with errno set when it cannot be read. */
char *tool_read_proc(const char *rel, size_t *len);
/* The same, or tool_fail with the path and the reason. */
char *tool_read_proc_or_fail(const char *rel, size_t *len);

/* Bytes as lsblk and free -h show them: "512", "1.5K", "128M", "3.9G" (powers of 1024). */
void tool_size_text(uint64_t bytes, char *out, size_t size);

/* For a tool whose only option is one letter: 1 when it was given, 0 when not; anything else
 * (another option, an operand) prints usage_text on stderr and exits 2. */
int tool_only_flag(int argc, char **argv, char flag, const char *usage_text);

/* A whole non-negative decimal number from text: 0 and *out, or -1. */
int tool_parse_number(const char *text, long *out);
