/*
 * oom_stub.c - a stand-in for the integrator's proc_oom_kill (uspace.h),
 * weak so that kernel/proc/'s real one replaces it; deleted once main has
 * it. Kills nobody: the fault that ran out of memory ends its process.
 */
#include "mm/uspace.h"

__attribute__((weak)) int proc_oom_kill(void)
{
    return 0;
}
