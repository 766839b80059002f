/*
 * run.h - what run.c offers main.c besides shell.h's shell_run_*: the
 * error line of a parser, and reading a whole descriptor.
 */
#pragma once

#include <stddef.h>

#include "parse.h"

void run_report(const struct parser *p);
char *run_read_all(int fd, size_t *len);
