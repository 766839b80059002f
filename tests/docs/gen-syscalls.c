/*
 * gen-syscalls.c - prints docs/syscalls.md's table from the one list of
 * the Linux personality's calls (kernel/abi/linux/syscall_list.h), a
 * Markdown row per call. tests/docs/syscalls.sh compiles and runs it:
 * it checks the page holds exactly this table, or (--write) puts it there.
 */
#include <stdio.h>

#include "abi/linux/syscall_list.h"

#define ROW(nr, name, nargs, fn, status, note) \
    printf("| %d | `%s` | %d | %s | %s |\n", nr, #name, nargs, status, note);

int main(void)
{
    printf("| nr | call | args | status | what works |\n");
    printf("| --- | --- | --- | --- | --- |\n");
    LINUX_SYSCALLS(ROW)
    return 0;
}
