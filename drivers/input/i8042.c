/*
 * i8042.c - the 8042 PS/2 controller (see input/i8042.h).
 *
 * i8042_init, in the order of the controller's data sheet (and OSDev's
 * "8042 PS/2 Controller" page):
 *   1. ACPI first: a FADT of revision 3 or later without IAPC_BOOT_ARCH's
 *      8042 flag says there is none; then a status register that reads FF
 *      (nothing decodes port 0x64) or a controller that never answers a
 *      command: each gives one log line and no input, never a hang (every
 *      wait is bounded by clock_ns());
 *   2. both ports disabled (AD, A7), whatever the firmware left in the
 *      output buffer thrown away;
 *   3. the configuration byte read (20): its interrupt bits cleared while
 *      we poll; its translation bit (6) kept as the firmware set it
 *      unless "i8042.direct" is on the command line (Linux's own name for
 *      it), which clears it;
 *   4. the controller's self test (AA -> 55), the configuration written
 *      again after it (a self test may reset the controller);
 *   5. the second port: it exists if enabling it (A8) clears the
 *      configuration's "port 2 clock disabled" bit (5);
 *   6. the port tests (AB, A9 -> 00), then the ports that pass enabled.
 *
 * Translation: the keyboard always speaks scan code set 2 (ps2kbd.c asks
 * for it: F0 02). With translation on, the controller turns it into set 1
 * and ps2kbd decodes set 1; with i8042.direct, set 2 arrives as the
 * keyboard sent it. We keep what the firmware chose by default, as Linux
 * does: every firmware we boot from turns translation on, and some
 * controllers (and some keyboards' set 2 tables) are known only to work
 * that way; both decoders are tested (input/ cases on each firmware).
 *
 * After i8042_start, i8042_irq (IRQ 1 and IRQ 12, both on the boot CPU)
 * reads every byte waiting and hands it to the receiver of the port the
 * status register names (bit 5: from port 2).
 *
 * For the benches: i8042_irq stamps the TSC on entry (i8042_irq_entry_tsc,
 * 0 again when it returns), and i8042_inject uses the controller's "write
 * output buffer" commands (D2, D3), which put a byte in the output buffer as
 * if the device had sent it and raise its interrupt: bench=term's key echo
 * (kernel/test/bench_keyecho.c) types with it, so every key takes the
 * whole path from IRQ 1 on without the host timing anything.
 */
#include <stdint.h>

#include "acpi/acpi.h"
#include "acpi/acpi_kernel.h"
#include "apic/irq.h"
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "input/i8042.h"
#include "printk.h"
#include "timer/clock.h"

#define I8042_DATA          0x60
#define I8042_STATUS        0x64    /* read */
#define I8042_CMD           0x64    /* write */

#define STATUS_OUT_FULL     0x01    /* a byte waits at 0x60 */
#define STATUS_IN_FULL      0x02    /* the controller has not taken the last byte yet */
#define STATUS_AUX_DATA     0x20    /* the waiting byte is from port 2 */

#define CMD_READ_CONFIG     0x20
#define CMD_WRITE_CONFIG    0x60
#define CMD_DISABLE_AUX     0xA7
#define CMD_ENABLE_AUX      0xA8
#define CMD_TEST_AUX        0xA9
#define CMD_SELF_TEST       0xAA
#define CMD_TEST_KBD        0xAB
#define CMD_DISABLE_KBD     0xAD
#define CMD_ENABLE_KBD      0xAE
#define CMD_WRITE_KBD_OUT   0xD2    /* the next data byte comes back as if port 1 sent it */
#define CMD_WRITE_AUX_OUT   0xD3    /* ... as if port 2 sent it */
#define CMD_WRITE_AUX       0xD4    /* the next data byte goes to port 2 */

#define CONFIG_KBD_IRQ      0x01
#define CONFIG_AUX_IRQ      0x02
#define CONFIG_KBD_CLOCK_OFF 0x10
#define CONFIG_AUX_CLOCK_OFF 0x20
#define CONFIG_TRANSLATE    0x40

#define SELF_TEST_PASS      0x55
#define PORT_TEST_PASS      0x00
#define FLUSH_MAX           32      /* bytes thrown away at most before the tests */
#define CONTROLLER_TIMEOUT_NS (50 * NS_PER_MS)
#define DEVICE_TIMEOUT_NS   (500 * NS_PER_MS)
#define COMMAND_TRIES       3

static const unsigned port_irq[I8042_PORTS] = { 1, 12 };

static uint8_t config;             /* our copy of the configuration byte */
static uint64_t irq_entry_tsc;      /* the TSC when the running i8042_irq began, else 0 (benches) */
static struct {
    void (*fn)(uint8_t byte, void *ctx);
    void *ctx;
} receivers[I8042_PORTS];

static int wait_status(uint8_t mask, uint8_t want, uint64_t timeout_ns)
{
    uint64_t end = clock_ns() + timeout_ns;

    do {
        if ((arch_inb(I8042_STATUS) & mask) == want)
            return 0;
    } while (clock_ns() < end);
    return -1;
}

static int write_cmd(uint8_t cmd)
{
    if (wait_status(STATUS_IN_FULL, 0, CONTROLLER_TIMEOUT_NS))
        return -1;
    arch_outb(I8042_CMD, cmd);
    return 0;
}

static int write_data(uint8_t byte)
{
    if (wait_status(STATUS_IN_FULL, 0, CONTROLLER_TIMEOUT_NS))
        return -1;
    arch_outb(I8042_DATA, byte);
    return 0;
}

/* A controller command with one answer byte: the byte, or -1. */
static int cmd_answer(uint8_t cmd)
{
    if (write_cmd(cmd) || wait_status(STATUS_OUT_FULL, STATUS_OUT_FULL, CONTROLLER_TIMEOUT_NS))
        return -1;
    return arch_inb(I8042_DATA);
}

static void flush_output(void)
{
    for (int i = 0; i < FLUSH_MAX && (arch_inb(I8042_STATUS) & STATUS_OUT_FULL); i++)
        (void)arch_inb(I8042_DATA);
}

static int write_config(uint8_t value)
{
    return write_cmd(CMD_WRITE_CONFIG) || write_data(value);
}

int i8042_send(int port, uint8_t byte)
{
    if (port == I8042_PORT_AUX && write_cmd(CMD_WRITE_AUX))
        return -1;
    return write_data(byte);
}

int i8042_read(int port, uint8_t *byte, uint64_t timeout_ns)
{
    uint64_t end = clock_ns() + timeout_ns;

    do {
        uint8_t st = arch_inb(I8042_STATUS);
        if (!(st & STATUS_OUT_FULL))
            continue;
        uint8_t b = arch_inb(I8042_DATA);
        if (!!(st & STATUS_AUX_DATA) == (port == I8042_PORT_AUX)) {
            *byte = b;
            return 0;
        }
    } while (clock_ns() < end);
    return -1;
}

int i8042_command(int port, uint8_t byte)
{
    uint8_t answer;

    for (int i = 0; i < COMMAND_TRIES; i++) {
        if (i8042_send(port, byte))
            return -1;
        if (i8042_read(port, &answer, DEVICE_TIMEOUT_NS))
            return -1;
        if (answer == I8042_ACK)
            return 0;
        if (answer != I8042_RESEND)
            return -1;
    }
    return -1;
}

int i8042_translating(void)
{
    return !!(config & CONFIG_TRANSLATE);
}

/* Step 1: ACPI's word on the 8042, then whether anything answers at 0x64. */
static int controller_present(void)
{
    const struct acpi_info *acpi = acpi_get();

    if (acpi && acpi->has_fadt && !(acpi->boot_arch & ACPI_BOOT_8042)) {
        printk(LOG_INFO, "[input] i8042: none (ACPI FADT IAPC_BOOT_ARCH has no 8042 flag)\n");
        return 0;
    }
    if (arch_inb(I8042_STATUS) == 0xFF) {
        printk(LOG_INFO, "[input] i8042: none (status port 0x64 reads 0xff)\n");
        return 0;
    }
    return 1;
}

/* Steps 2-4: ports off, the configuration, the self test. 0 or -1 (logged). */
static int controller_setup(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    int c;

    if (write_cmd(CMD_DISABLE_KBD) || write_cmd(CMD_DISABLE_AUX)) {
        printk(LOG_WARN, "[input] i8042: controller takes no command: no input\n");
        return -1;
    }
    flush_output();
    if ((c = cmd_answer(CMD_READ_CONFIG)) < 0) {
        printk(LOG_WARN, "[input] i8042: no answer to read-configuration (20): no input\n");
        return -1;
    }
    config = (uint8_t)c & (uint8_t)~(CONFIG_KBD_IRQ | CONFIG_AUX_IRQ);
    if (cmdline_has_word(cmdline, len, "i8042.direct"))
        config &= (uint8_t)~CONFIG_TRANSLATE;
    if (write_config(config) || (c = cmd_answer(CMD_SELF_TEST)) != SELF_TEST_PASS) {
        printk(LOG_WARN, "[input] i8042: self test (AA) answered 0x%x, not 0x55: no input\n",
               (unsigned)c);
        return -1;
    }
    return write_config(config);
}

/* Step 5: does port 2 exist? */
static int aux_exists(void)
{
    int c;

    if (write_cmd(CMD_ENABLE_AUX) || (c = cmd_answer(CMD_READ_CONFIG)) < 0)
        return 0;
    (void)write_cmd(CMD_DISABLE_AUX);
    return !(c & CONFIG_AUX_CLOCK_OFF);
}

/* Step 6: one port's interface test; 1 passed. */
static int port_test(int port)
{
    int c = cmd_answer(port == I8042_PORT_KBD ? CMD_TEST_KBD : CMD_TEST_AUX);

    if (c == PORT_TEST_PASS)
        return 1;
    printk(LOG_WARN, "[input] i8042: port %d test (%s) answered 0x%x: port unused\n", port + 1,
           port == I8042_PORT_KBD ? "AB" : "A9", (unsigned)c);
    return 0;
}

unsigned i8042_init(void)
{
    unsigned ports = 0;

    if (!controller_present() || controller_setup())
        return 0;
    if (port_test(I8042_PORT_KBD) && !write_cmd(CMD_ENABLE_KBD)) {
        ports |= 1u << I8042_PORT_KBD;
        config &= (uint8_t)~CONFIG_KBD_CLOCK_OFF;       /* what AE did to the byte */
    }
    if (aux_exists() && port_test(I8042_PORT_AUX) && !write_cmd(CMD_ENABLE_AUX)) {
        ports |= 1u << I8042_PORT_AUX;
        config &= (uint8_t)~CONFIG_AUX_CLOCK_OFF;       /* and A8 */
    }
    flush_output();
    return ports;
}

void i8042_set_receiver(int port, void (*fn)(uint8_t byte, void *ctx), void *ctx)
{
    receivers[port].fn = fn;
    receivers[port].ctx = ctx;
}

/* IRQ 1 and 12: every waiting byte to its port's receiver. */
static void i8042_irq(void *unused)
{
    uint8_t st;

    (void)unused;
    irq_entry_tsc = arch_rdtsc();
    while ((st = arch_inb(I8042_STATUS)) & STATUS_OUT_FULL) {
        uint8_t b = arch_inb(I8042_DATA);
        int port = (st & STATUS_AUX_DATA) ? I8042_PORT_AUX : I8042_PORT_KBD;
        if (receivers[port].fn)
            receivers[port].fn(b, receivers[port].ctx);
    }
    irq_entry_tsc = 0;
}

uint64_t i8042_irq_entry_tsc(void)
{
    return irq_entry_tsc;
}

int i8042_inject(int port, uint8_t byte)
{
    return write_cmd(port == I8042_PORT_AUX ? CMD_WRITE_AUX_OUT : CMD_WRITE_KBD_OUT) ||
           write_data(byte) ? -1 : 0;
}

void i8042_start(void)
{
    static const uint8_t irq_bit[I8042_PORTS] = { CONFIG_KBD_IRQ, CONFIG_AUX_IRQ };

    for (int port = 0; port < I8042_PORTS; port++) {
        if (!receivers[port].fn)
            continue;
        int h = irq_register_isa(port_irq[port], i8042_irq, 0);
        if (h < 0)
            printk(LOG_WARN, "[input] i8042: IRQ %u not claimed (error %d): port %d silent\n",
                   port_irq[port], h, port + 1);
        else
            config |= irq_bit[port];
    }
    if (write_config(config))
        printk(LOG_WARN, "[input] i8042: configuration not taken: no interrupts\n");

}
