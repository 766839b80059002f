/*
 * pit.c - 8254 PIT channels 0 and 2 (see pit.h). Ports and modes: Intel
 * 8254 data sheet; port 0x61 bits: IBM PC/AT system control port B.
 */
#include "apic/irq.h"
#include "arch.h"
#include "printk.h"
#include "timer/clockevent.h"
#include "x86/pit.h"

#define PIT_CH0_DATA    0x40
#define PIT_CH2_DATA    0x42
#define PIT_COMMAND     0x43
#define PORT_B          0x61
#define PORT_B_GATE2    0x01    /* gate of channel 2 */
#define PORT_B_SPEAKER  0x02    /* channel 2 output to the speaker */
#define PIT_CMD_CH2_LOHI_MODE0 0xB0  /* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_CMD_CH0_LOHI_MODE0 0x30  /* channel 0, lobyte/hibyte, mode 0 (one-shot) */
#define PIT_CMD_CH0_LOHI_MODE2 0x34  /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
#define PIT_CMD_CH2_LATCH 0x80       /* counter latch command, channel 2 */

void pit_ch2_start(uint16_t count)
{
    uint8_t b = arch_inb(PORT_B);

    /* gate low first, so the new count does not start before we load it */
    arch_outb(PORT_B, (uint8_t)(b & ~(PORT_B_SPEAKER | PORT_B_GATE2)));
    arch_outb(PIT_COMMAND, PIT_CMD_CH2_LOHI_MODE0);
    arch_outb(PIT_CH2_DATA, (uint8_t)count);
    arch_outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
    arch_outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
}

uint16_t pit_ch2_read(void)
{
    uint8_t lo, hi;

    arch_outb(PIT_COMMAND, PIT_CMD_CH2_LATCH);
    lo = arch_inb(PIT_CH2_DATA);
    hi = arch_inb(PIT_CH2_DATA);
    return (uint16_t)(lo | hi << 8);
}

static void ch0_load(uint8_t command, uint32_t count)
{
    arch_outb(PIT_COMMAND, command);
    arch_outb(PIT_CH0_DATA, (uint8_t)count);          /* 65536 is written as 0 */
    arch_outb(PIT_CH0_DATA, (uint8_t)(count >> 8));
}

void pit_ch0_periodic(uint32_t hz)
{
    uint32_t count = hz ? (PIT_HZ + hz / 2) / hz : PIT_MAX_COUNT;

    if (count < 2)
        count = 2;                      /* mode 2 needs a count of 2 or more */
    if (count > PIT_MAX_COUNT)
        count = PIT_MAX_COUNT;
    ch0_load(PIT_CMD_CH0_LOHI_MODE2, count);
}

void pit_ch0_stop(void)
{
    ch0_load(PIT_CMD_CH0_LOHI_MODE0, PIT_MAX_COUNT);
}

/* Channel 0 as a clock event device: its ISA IRQ 0 claimed on first use, kept after. */
static int irq0_handle = -1;
static clockevent_fn *irq0_fn;
static void *irq0_ctx;

static void on_irq0(void *ctx)
{
    (void)ctx;
    irq0_fn(irq0_ctx);
}

static int periodic_device(uint32_t hz, clockevent_fn *fn, void *ctx)
{
    irq0_ctx = ctx;
    irq0_fn = fn;
    if (irq0_handle < 0 && (irq0_handle = irq_register_isa(0, on_irq0, 0)) < 0) {
        printk(LOG_ERR, "[timer] pit: cannot claim ISA IRQ 0 (error %d)\n", irq0_handle);
        return irq0_handle;
    }
    pit_ch0_periodic(hz);
    return 0;
}

/* Every PC has one, but one for all CPUs, behind I/O ports and an interrupt controller. */
static const struct clockevent pit_device = {
    .name = "pit",
    .rating = 10,
    .features = CLOCKEVENT_PERIODIC,
    .set_periodic = periodic_device,
    .stop = pit_ch0_stop,
};

const struct clockevent *pit_clockevent(void)
{
    return &pit_device;
}

int pit_register_clockevent(void)
{
    return clockevent_register(&pit_device);
}
