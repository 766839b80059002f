/*
 * cmd_power.c - the monitor's reboot and halt, through kernel/power.h:
 * reboot tries the ACPI reset register, the 8042 and a triple fault in
 * turn ("reboot 8042" starts at the second way, "reboot triple" at the
 * third); halt stops every CPU. Nothing answers after either.
 */
#include <stdint.h>
#include <string.h>

#include "monitor/commands.h"
#include "power.h"

int monitor_cmd_reboot(struct monitor *m, int argc, char **argv)
{
    enum power_reset_way first = POWER_RESET_ACPI;

    if (argc > 1) {
        for (first = 0; first < POWER_RESET_WAYS && strcmp(argv[1], power_reset_way_names[first]) != 0; first++)
            ;
        if (first == POWER_RESET_WAYS)
            return monitor_error(m, "reboot", "no way named '%s' (acpi, 8042 or triple)", argv[1]);
    }
    monitor_printf(m, "rebooting (from the %s way)\n", power_reset_way_names[first]);
    power_restart(first, "monitor");
}

int monitor_cmd_halt(struct monitor *m, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    monitor_printf(m, "halting every CPU\n");
    power_halt("monitor");
}
