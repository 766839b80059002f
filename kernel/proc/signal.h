/*
 * signal.h - signals (issue 16): per-process actions and pending sets,
 * per-thread masks. The first shape, filled by signal.c as signals come.
 */
#pragma once

#include <stdint.h>

#define SIG_MAX     64          /* signals 1..64 (Linux's _NSIG) */

struct sighand;                 /* the actions, shared by CLONE_SIGHAND */

/* A thread's part: what it blocks, what was sent to it. */
struct sig_thread {
    uint64_t blocked;           /* bit sig-1 */
    uint64_t pending;
};

/* A process's part: what was sent to the whole process. */
struct sig_proc {
    uint64_t pending;
};
