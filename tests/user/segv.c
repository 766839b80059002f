/*
 * segv.c - a process that faults is ended with one kernel log line, and
 * the kernel lives on (the case checks the line and the exit status).
 * argv[1] says how: null (a write to address 0), kernel (a read of the
 * kernel's image), nx (a jump into a data page: NX), ro (a write to the
 * program's read-only text), guard (below the stack's end, into the gap),
 * gp (a jump to a non-canonical address: #GP), ud (ud2: an invalid
 * opcode, SIGILL), div (a division by zero: SIGFPE).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "null";
    static unsigned char code[16] = { 0xc3 };   /* ret, in .data */

    printf("segv: about to fault (%s)\n", how);
    fflush(stdout);
    if (strcmp(how, "null") == 0)
        *(volatile int *)0 = 1;
    else if (strcmp(how, "kernel") == 0)
        printf("%d\n", *(volatile int *)0xffffffff80000000ull);
    else if (strcmp(how, "nx") == 0)
        ((void (*)(void))code)();
    else if (strcmp(how, "ro") == 0)
        *(volatile unsigned char *)(uintptr_t)main = 0;
    else if (strcmp(how, "guard") == 0)
        *(volatile char *)(0x7ffffffff000ull - (8ull << 20) - 4096) = 1;
    else if (strcmp(how, "gp") == 0)
        ((void (*)(void))0x0000800000000000ull)();
    else if (strcmp(how, "ud") == 0)
        __asm__ volatile("ud2");
    else if (strcmp(how, "div") == 0)
        printf("%d\n", argc / (volatile int){ 0 });
    printf("segv: still alive: the fault did not happen\n");
    return 0;
}
