/*
 * cmd_strace.c - the monitor's strace: "strace 12" traces the system calls
 * of process 12 on the log (kernel/abi/linux/strace.h), "strace off" stops,
 * "strace" says which process is traced. The same as strace=PID on the
 * command line, for a process started later.
 */
#include <stdint.h>
#include <string.h>

#include "abi/linux/strace.h"
#include "monitor/commands.h"

int monitor_cmd_strace(struct monitor *m, int argc, char **argv)
{
    int pid = 0;

    if (argc == 1) {
        if (strace_pid)
            monitor_printf(m, "tracing pid %d\n", strace_pid);
        else
            monitor_printf(m, "tracing nothing\n");
        return 0;
    }
    if (strcmp(argv[1], "off") != 0) {
        for (const char *s = argv[1]; *s; s++) {
            if (*s < '0' || *s > '9' || pid > 100000000)
                return monitor_error(m, "strace", "'%s' is not a process id or 'off'", argv[1]);
            pid = pid * 10 + (*s - '0');
        }
        if (!pid)
            return monitor_error(m, "strace", "'%s' is not a process id or 'off'", argv[1]);
    }
    strace_set(pid);
    monitor_printf(m, pid ? "tracing pid %d\n" : "tracing stopped\n", pid);
    return 0;
}
