/*
 * ldisc_internal.h - what the line discipline's three files share
 * (ldisc.c: input; ldisc_read.c: the buffer and reads; ldisc_output.c:
 * output processing and echo). Not for other callers: they use ldisc.h.
 */
#pragma once

#include <stdint.h>

#include "tty/ldisc.h"

/* ldisc_read.c */
int  ldisc_queue(struct ldisc *ld, uint8_t c);      /* raw: 1 stored, 0 dropped (counted) */
int  ldisc_commit_line(struct ldisc *ld);           /* the edited line readable: 0, or -1 no room (counted) */
void ldisc_ixoff_check(struct ldisc *ld);           /* IXOFF: VSTOP or VSTART owed to the device */

/* ldisc_output.c */
void ldisc_echo_char(struct ldisc *ld, uint8_t c);  /* ECHOCTL's ^X, else the byte processed */
unsigned ldisc_echo_column(const struct ldisc *ld, unsigned col, uint8_t c);  /* the column after echoing c at col */
