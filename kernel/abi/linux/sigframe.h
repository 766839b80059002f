/*
 * sigframe.h - what sigframe.c offers the rest of the Linux personality.
 */
#pragma once

#include <stdint.h>

/* The calling thread's user RSP, as it entered the kernel (sigaltstack's "on the stack" test). */
uint64_t linux_user_sp(void);
