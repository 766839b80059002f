/*
 * ide_taskfile.c - the task file: the eight command-block registers and
 * the control register through which a parallel ATA channel is driven
 * (ATA/ATAPI-6 section 7; ide.h names them).
 *
 * A command is: select the drive (device register), wait while the
 * channel is busy, load the address and count, write the opcode. LBA28
 * takes the address's top nibble in the device register; LBA48 writes
 * each of the count and LBA registers twice, high byte first (the
 * registers are two-deep FIFOs; HOB in the control register reads the
 * older byte back).
 *
 * Rules: the caller owns the channel (its thread, or the probe before the
 * thread exists). Polling reads the alternate status, which does not
 * clear a pending interrupt; waits are bounded by a timeout in
 * nanoseconds and yield the CPU while they spin.
 */
#include "arch.h"
#include "ata/ide.h"
#include "format.h"
#include "sched/sched.h"
#include "timer/clock.h"

uint8_t ide_status(const struct ide_channel *ch)
{
    return arch_inb(ch->ctrl);
}

/* The 400 ns a drive may take to drive the status of a new selection (four alt-status reads). */
static void settle(const struct ide_channel *ch)
{
    for (int i = 0; i < 4; i++)
        (void)ide_status(ch);
}

void ide_select(struct ide_channel *ch, unsigned unit)
{
    arch_outb(ch->cmd + IDE_REG_DEVICE, IDE_DEV_OBS | (unit ? IDE_DEV_SLAVE : 0));
    settle(ch);
}

/* Poll until (status & mask) == 0 or the deadline: 0, or -1 with the last status. */
static int wait_clear(struct ide_channel *ch, uint8_t mask, uint64_t timeout_ns, uint8_t *status)
{
    uint64_t deadline = clock_ns() + timeout_ns;

    for (;;) {
        uint8_t st = ide_status(ch);

        *status = st;
        if (!(st & mask))
            return 0;
        if (clock_ns() > deadline)
            return -1;
        sched_yield();
    }
}

/* Wait until BSY is clear: 0, or -1 after timeout_ns (or a floating bus, 0xFF). */
int ide_wait_idle(struct ide_channel *ch, uint64_t timeout_ns, uint8_t *status)
{
    if (wait_clear(ch, ATA_STS_BSY, timeout_ns, status) != 0)
        return -1;
    return *status == 0xFF ? -1 : 0;
}

/* Wait until the drive wants data (DRQ): 0, or -1 on ERR, DF or the timeout. */
int ide_wait_drq(struct ide_channel *ch, uint64_t timeout_ns, uint8_t *status)
{
    if (ide_wait_idle(ch, timeout_ns, status) != 0)
        return -1;
    if (*status & (ATA_STS_ERR | ATA_STS_DF))
        return -1;
    return (*status & ATA_STS_DRQ) ? 0 : -1;
}

/* Address and count of a read or write; the device register selects the drive in LBA mode. */
void ide_load_lba(struct ide_channel *ch, unsigned unit, uint64_t lba, uint32_t count, int lba48)
{
    uint16_t c = ch->cmd;
    uint8_t dev = ATA_DEV_LBA | (unit ? IDE_DEV_SLAVE : 0);

    if (lba48) {
        arch_outb(c + IDE_REG_DEVICE, dev);
        arch_outb(c + IDE_REG_COUNT, (uint8_t)(count >> 8));
        arch_outb(c + IDE_REG_LBA0, (uint8_t)(lba >> 24));
        arch_outb(c + IDE_REG_LBA1, (uint8_t)(lba >> 32));
        arch_outb(c + IDE_REG_LBA2, (uint8_t)(lba >> 40));
    } else {
        arch_outb(c + IDE_REG_DEVICE, IDE_DEV_OBS | dev | (uint8_t)((lba >> 24) & 0x0F));
    }
    arch_outb(c + IDE_REG_COUNT, (uint8_t)count);           /* 256 (LBA28), 65536 (LBA48): 0 */
    arch_outb(c + IDE_REG_LBA0, (uint8_t)lba);
    arch_outb(c + IDE_REG_LBA1, (uint8_t)(lba >> 8));
    arch_outb(c + IDE_REG_LBA2, (uint8_t)(lba >> 16));
}

/* The LBA the task file holds now: after an error, the sector the drive failed at. */
uint64_t ide_read_lba(struct ide_channel *ch, int lba48)
{
    uint16_t c = ch->cmd;
    uint64_t lba = arch_inb(c + IDE_REG_LBA0) | (uint64_t)arch_inb(c + IDE_REG_LBA1) << 8 |
                   (uint64_t)arch_inb(c + IDE_REG_LBA2) << 16;

    if (!lba48)
        return lba | (uint64_t)(arch_inb(c + IDE_REG_DEVICE) & 0x0F) << 24;
    arch_outb(ch->ctrl, IDE_CTL_HOB);
    lba |= (uint64_t)arch_inb(c + IDE_REG_LBA0) << 24 | (uint64_t)arch_inb(c + IDE_REG_LBA1) << 32 |
           (uint64_t)arch_inb(c + IDE_REG_LBA2) << 40;
    arch_outb(ch->ctrl, 0);
    return lba;
}

/*
 * Software reset of both drives of the channel (SRST held 5 us, then 2 ms
 * before the drives answer), interrupts left enabled when irq_on. 0 when
 * the channel is idle afterwards, -1 when it stays busy for 5 s or floats.
 */
int ide_soft_reset(struct ide_channel *ch, int irq_on)
{
    uint8_t nien = irq_on ? 0 : IDE_CTL_NIEN, st;

    ch->resets++;
    arch_outb(ch->ctrl, IDE_CTL_SRST | IDE_CTL_NIEN);
    clock_delay_us(5);
    arch_outb(ch->ctrl, nien);
    clock_sleep_ms(2);
    return ide_wait_idle(ch, IDE_TIMEOUT_NS, &st);
}

/* The error register in words: "UNC IDNF" ("none" when no bit is set). */
void ide_describe_error(uint8_t error, char *out, unsigned size)
{
    static const char *const names[8] = { "AMNF", "TK0NF", "ABRT", "MCR", "IDNF", "MC", "UNC", "ICRC" };
    unsigned len = 0;

    out[0] = 0;
    for (unsigned bit = 0; bit < 8; bit++)
        if (error & (1u << bit))
            len += (unsigned)format_snprintf(out + len, len < size ? size - len : 0, "%s%s",
                                             len ? " " : "", names[bit]);
    if (!len)
        format_snprintf(out, size, "none");
}
