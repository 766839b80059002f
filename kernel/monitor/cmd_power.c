/*
 * cmd_power.c - the monitor's reboot and halt.
 *
 * reboot tries three ways in turn, each logged (printk: the serial log
 * keeps the last line before the machine went) before it is tried; a way
 * that leaves the machine running for REBOOT_WAIT_NS is logged as failed
 * and the next is tried:
 *   acpi    the FADT's reset register (ACPI 6.5, 4.8.3.6): RESET_VALUE
 *           written to the I/O port or memory address of RESET_REG, when
 *           the FADT says the register is there (drivers/acpi/fadt.c);
 *   8042    the keyboard controller's "pulse output line" command 0xFE
 *           to its command port 0x64, which pulses the CPU's reset line;
 *   triple  a triple fault (arch_triple_fault): the CPU shuts down and
 *           the board resets it. This one cannot fail to stop the kernel.
 * "reboot 8042" starts at the second way, "reboot triple" at the third.
 *
 * halt stops every CPU: the others through the panic path's halt hook (an
 * NMI each, kernel/panic.c panic_begin), then this one, interrupts off.
 * Nothing answers after it; the machine stays powered (powering off needs
 * the _S5 sleep type from the DSDT's AML, which the kernel cannot read).
 */
#include <stdint.h>
#include <string.h>

#include "acpi/acpi_kernel.h"
#include "acpi/acpi_tables.h"
#include "arch.h"
#include "mm/kva.h"
#include "mm/vmm.h"
#include "monitor/commands.h"
#include "panic.h"
#include "printk.h"
#include "sched/sched.h"
#include "timer/clock.h"

#define REBOOT_WAIT_NS      (100 * NS_PER_MS)
#define KBC_STATUS          0x64        /* 8042 status register (read) */
#define KBC_COMMAND         0x64        /* 8042 command register (write) */
#define KBC_INPUT_FULL      0x02        /* status: the controller has not taken the last byte */
#define KBC_PULSE_RESET     0xFE        /* pulse output line 0 (the CPU's reset) */
#define KBC_WAIT_TRIES      100000

enum reboot_way { REBOOT_ACPI, REBOOT_8042, REBOOT_TRIPLE, REBOOT_WAYS };
static const char *const way_names[REBOOT_WAYS] = { "acpi", "8042", "triple" };

/* The reset register, if the FADT has one: 0 after trying it, -1 when there is none. */
static int reset_acpi(void)
{
    const struct acpi_info *a = acpi_get();
    int io;

    if (!a || !a->has_reset_reg) {
        printk(LOG_INFO, "[monitor] reboot: no ACPI reset register (no FADT, or it names none)\n");
        return -1;
    }
    io = a->reset_space == ACPI_GAS_IO;
    printk(LOG_INFO, "[monitor] reboot: ACPI reset register, %s 0x%llx <- 0x%02x\n", io ? "port" : "memory",
           (unsigned long long)a->reset_addr, a->reset_value);
    if (io) {
        arch_outb((uint16_t)a->reset_addr, a->reset_value);
    } else {
        uint64_t page = kva_map_mmio(a->reset_addr & ~0xFFFull, 4096, VMM_UNCACHED, "acpi reset");

        if (!page)
            return -1;
        *(volatile uint8_t *)(uintptr_t)(page + (a->reset_addr & 0xFFF)) = a->reset_value;
    }
    return 0;
}

static int reset_8042(void)
{
    for (unsigned i = 0; i < KBC_WAIT_TRIES && (arch_inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
        arch_cpu_relax();
    printk(LOG_INFO, "[monitor] reboot: 8042 reset pulse, 0x%02x to port 0x%02x\n", KBC_PULSE_RESET,
           KBC_COMMAND);
    arch_outb(KBC_COMMAND, KBC_PULSE_RESET);
    return 0;
}

static void reboot_from(enum reboot_way first)
{
    for (enum reboot_way w = first; w < REBOOT_TRIPLE; w++) {
        if ((w == REBOOT_ACPI ? reset_acpi() : reset_8042()) != 0)
            continue;
        sched_sleep_ns(REBOOT_WAIT_NS);
        printk(LOG_WARN, "[monitor] reboot: still running %llu ms after the %s way\n",
               (unsigned long long)(REBOOT_WAIT_NS / NS_PER_MS), way_names[w]);
    }
    printk(LOG_INFO, "[monitor] reboot: triple fault\n");
    arch_triple_fault();
}

int monitor_cmd_reboot(struct monitor *m, int argc, char **argv)
{
    enum reboot_way first = REBOOT_ACPI;

    if (argc > 1) {
        for (first = 0; first < REBOOT_WAYS && strcmp(argv[1], way_names[first]) != 0; first++)
            ;
        if (first == REBOOT_WAYS)
            return monitor_error(m, "reboot", "no way named '%s' (acpi, 8042 or triple)", argv[1]);
    }
    monitor_printf(m, "rebooting (from the %s way)\n", way_names[first]);
    reboot_from(first);
    return 0;
}

int monitor_cmd_halt(struct monitor *m, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    monitor_printf(m, "halting every CPU\n");
    printk(LOG_INFO, "[monitor] halt: every CPU stops\n");
    panic_begin();
    arch_halt_forever();
}
