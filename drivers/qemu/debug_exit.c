/*
 * debug_exit.c - leave QEMU through isa-debug-exit (see debug_exit.h).
 * Started with -device isa-debug-exit,iobase=0xf4,iosize=0x04.
 */
#include "arch.h"
#include "qemu/debug_exit.h"

#define DEBUG_EXIT_PORT 0xF4

void debug_exit(uint8_t code)
{
    arch_outl(DEBUG_EXIT_PORT, code);
}
