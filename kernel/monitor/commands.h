/*
 * commands.h - the monitor's commands, once: name, the fewest and most
 * arguments, their usage, and one line of help. The dispatcher
 * (monitor.c), `help`, and the command list of docs/monitor.md
 * (tests/docs/monitor-commands.py writes and checks it) all come from
 * this table. Each command is monitor_cmd_NAME, in the file of its group:
 *   cmd_info.c     help, bootinfo, timeline, dmesg   (the boot's record)
 *   cmd_system.c   mem, ps, irq                      (the kernel's state)
 *   cmd_devices.c  lspci, lsblk                      (the devices)
 *   cmd_keys.c     keys                              (the input layer)
 *   cmd_power.c    reboot, halt                      (the machine)
 *   cmd_strace.c   strace                            (a process's system calls)
 * The dispatcher checks the argument count; a command checks the values.
 */
#pragma once

#include "monitor/monitor.h"

#define MONITOR_COMMANDS(X) \
    X(help,     0, 0, "",                   "list the commands") \
    X(bootinfo, 0, 0, "",                   "the boot info's summary, as the kernel logged it at boot") \
    X(timeline, 0, 0, "",                   "the boot timeline: the loader's steps, the hand-off, the kernel's phases") \
    X(dmesg,    0, 1, "[LINES]",            "the kernel log held in memory (its last LINES lines)") \
    X(mem,      0, 0, "",                   "frames, heap and the heap's slab caches") \
    X(ps,       0, 0, "",                   "the threads: id, name, state, CPU, priority, run time, switches") \
    X(lspci,    0, 0, "",                   "the PCI functions and their drivers") \
    X(lsblk,    0, 0, "",                   "the block devices: disks and partitions") \
    X(irq,      0, 0, "",                   "interrupts received, per line and CPU") \
    X(keys,     0, 0, "",                   "show decoded key events until q or ^C") \
    X(reboot,   0, 1, "[acpi|8042|triple]", "reset: the ACPI reset register, then the 8042, then a triple fault") \
    X(halt,     0, 0, "",                   "stop every CPU") \
    X(strace,   0, 1, "[PID|off]",          "trace a process's system calls on the log (no argument: which one is)")

#define MONITOR_DECLARE(name, min, max, usage, help) \
    int monitor_cmd_##name(struct monitor *m, int argc, char **argv);
MONITOR_COMMANDS(MONITOR_DECLARE)
#undef MONITOR_DECLARE

struct monitor_command {
    const char *name;
    int min_args, max_args;
    const char *usage, *help;
    int (*fn)(struct monitor *m, int argc, char **argv);
};

/* The table, in the order above; monitor_command_count entries. */
extern const struct monitor_command monitor_commands[];
extern const unsigned monitor_command_count;
