/*
 * power.h - the machine's restart, power-off and halt (power.c): what
 * reboot(2) and the monitor's reboot and halt commands do.
 *
 * Restart tries three ways in turn, each logged before it is tried (the
 * serial log keeps the last line before the machine went); a way that
 * leaves the machine running for POWER_WAIT_NS is logged as failed and
 * the next is tried:
 *   acpi    the FADT's reset register (ACPI 6.5, 4.8.3.6): RESET_VALUE
 *           written to the I/O port or memory address of RESET_REG, when
 *           the FADT says the register is there (drivers/acpi/fadt.c);
 *   8042    the keyboard controller's "pulse output line" command 0xFE
 *           to its command port 0x64, which pulses the CPU's reset line;
 *   triple  a triple fault (arch_triple_fault): the CPU shuts down and
 *           the board resets it. This one cannot fail to stop the kernel.
 *
 * Power off enters the ACPI soft-off state S5 (ACPI 6.5, 7.4.2 and 16.1.4):
 * SLP_TYPx from the DSDT's \_S5 package, written with SLP_EN to the PM1a
 * (and PM1b) control registers, after switching the machine into ACPI mode
 * through SMI_CMD if the firmware left it in legacy mode. The kernel has
 * no AML interpreter: \_S5 is found the way small kernels do, as the bytes
 * NameOp "_S5_" PackageOp in the DSDT, its first two elements read as
 * integer constants. A machine where that fails (or that stays on) is
 * halted instead, with a log line saying so.
 *
 * Halt stops every CPU: the others through the panic path's halt hook (an
 * NMI each, kernel/panic.c panic_begin), then this one, interrupts off.
 *
 * `who` names the caller in the log lines, "[who] reboot: 8042 reset
 * pulse ...", "[who] power off: ...", "[who] halt: every CPU stops": the
 * monitor's commands ("monitor") and reboot(2) ("linux").
 */
#pragma once

#include <stdint.h>

enum power_reset_way { POWER_RESET_ACPI, POWER_RESET_8042, POWER_RESET_TRIPLE, POWER_RESET_WAYS };

/* "acpi", "8042", "triple". */
extern const char *const power_reset_way_names[POWER_RESET_WAYS];

/* Restart the machine, starting at way `first`. Never returns. */
__attribute__((noreturn)) void power_restart(enum power_reset_way first, const char *who);
/* Enter S5; halts when the machine stays on. Never returns. */
__attribute__((noreturn)) void power_off(const char *who);
/* Stop every CPU. Never returns. */
__attribute__((noreturn)) void power_halt(const char *who);

/*
 * The SLP_TYPa and SLP_TYPb values of \_S5 in an AML table (the DSDT's
 * bytes aml[0..len)): 0, or -1 when no "NameOp _S5_ PackageOp" with two
 * integer constants is there. Pure: a ktest runs it on the firmware's DSDT.
 */
int power_s5_types(const uint8_t *aml, uint64_t len, uint8_t *typa, uint8_t *typb);
/* power_s5_types on this machine's DSDT: 0, or -1 (no FADT, no DSDT, no \_S5). */
int power_s5_of_dsdt(uint8_t *typa, uint8_t *typb);
