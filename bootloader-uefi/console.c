/*
 * console.c - where the loader's lines go, and the boot timeline.
 *
 * Every line the loader prints (say) goes to three places:
 *  1. COM1, written directly with port I/O (16550 at 0x3F8, 115200 8N1);
 *  2. the loader log, handed to the kernel as bootinfo.loader_log, which
 *     the kernel's console shows again as soon as it starts;
 *  3. each screen console: the Simple Text Output protocols whose device
 *     path has no UART node (in QEMU, the graphics console on the GOP),
 *     but only once they are "live" (console_screens_live): when a step
 *     failed (efi_main's give_up shows the whole log there first, so a
 *     person without a serial cable reads every step up to the error) and
 *     when a debugger is being waited for (make debug-uefi, walk-uefi,
 *     screens: a student at a breakpoint sees the lines so far).
 *
 * Why the screens are not live on a normal boot: the firmware draws each
 * glyph with Blt, about 300,000 instructions a line under OVMF; the twelve
 * lines of a boot were 61 % of the loader's own work (8.5 M of 13.9 M
 * instructions under -icount, the mode switch left out), for text the
 * kernel puts on the screen again 40 ms later. Linux's EFI stub and
 * systemd-boot are silent on a good boot for the same reason.
 *
 * Why not ConOut: ConOut is the firmware's console splitter, and OVMF (like
 * most firmware with a serial console) puts a terminal on COM1 behind it.
 * Printing on ConOut and on COM1 would put every line twice into the serial
 * log; printing on ConOut alone would lose the lines after
 * ExitBootServices and depend on the firmware's terminal settings. So the
 * loader owns COM1 and writes the screens one by one, skipping the splitter
 * (it has no device path) and the serial terminals (a UART node in theirs).
 * A machine whose only console is a serial port other than COM1 sees
 * nothing; that is the price of one clean serial log.
 *
 * The timeline: rdtsc at efi_main's entry (timeline_start), then one stamp
 * per step (step_done); exit.c copies them into the boot info.
 */
#include <efi.h>
#include <stdarg.h>

#include "arch/x86_64/cpu.h"     /* arch_outb, arch_inb, arch_rdtsc: shared with the kernel */
#include "format.h"
#include "loader.h"
#include <string.h>

#define COM1            0x3F8
#define UART_DATA       0       /* THR; DLL when DLAB = 1 */
#define UART_IER        1       /* interrupt enable; DLM when DLAB = 1 */
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define LCR_DLAB        0x80
#define LCR_8N1         0x03
#define FCR_ENABLE_CLEAR 0x07   /* FIFOs on, both cleared */
#define MCR_DTR_RTS_OUT2 0x0B
#define LSR_THR_EMPTY   0x20
#define UART_SPIN_LIMIT 100000  /* polls per byte before giving up on the UART */

#define LINE_MAX        240
#define SCREENS_MAX     4

static EFI_SIMPLE_TEXT_OUT_PROTOCOL *screens[SCREENS_MAX];
static unsigned screen_count;
static char log_buf[LOADER_LOG_MAX];
static size_t log_len;
static uint64_t tsc_start;
static struct bootinfo_step steps[BOOTINFO_MAX_STEPS];
static unsigned step_count;

/* 115200 8N1, FIFOs on, interrupts off: the same settings OVMF uses. */
static void com1_init(void)
{
    arch_outb(COM1 + UART_IER, 0x00);
    arch_outb(COM1 + UART_LCR, LCR_DLAB);
    arch_outb(COM1 + UART_DATA, 1);              /* divisor 1: 115200 baud */
    arch_outb(COM1 + UART_IER, 0);
    arch_outb(COM1 + UART_LCR, LCR_8N1);
    arch_outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
    arch_outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void com1_putc(char c)
{
    for (int i = 0; i < UART_SPIN_LIMIT; i++)
        if (arch_inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
            break;
    arch_outb(COM1 + UART_DATA, (uint8_t)c);
}

static void com1_line(const char *s)
{
    for (; *s; s++)
        com1_putc(*s);
    com1_putc('\r');
    com1_putc('\n');
}

/* Does the device path have a UART messaging node (a serial terminal)? */
static int path_has_uart(EFI_DEVICE_PATH *dp)
{
    for (unsigned guard = 0; guard < 64; guard++) {
        UINT16 len = (UINT16)(dp->Length[0] | dp->Length[1] << 8);

        if (dp->Type == END_DEVICE_PATH_TYPE || len < 4)
            return 0;
        if (dp->Type == MESSAGING_DEVICE_PATH && dp->SubType == MSG_UART_DP)
            return 1;
        dp = (EFI_DEVICE_PATH *)((UINT8 *)dp + len);
    }
    return 0;
}

/* The Simple Text Output handles that are screens (see the top). */
static void find_screens(struct loader *ld)
{
    EFI_GUID text_out = EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID;
    EFI_GUID path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
    EFI_HANDLE *handles = NULL;
    UINTN count = 0;

    if (EFI_ERROR(ld->bs->LocateHandleBuffer(ByProtocol, &text_out, NULL, &count, &handles)))
        return;
    for (UINTN i = 0; i < count && screen_count < SCREENS_MAX; i++) {
        EFI_DEVICE_PATH *dp;
        EFI_SIMPLE_TEXT_OUT_PROTOCOL *out;

        if (EFI_ERROR(ld->bs->HandleProtocol(handles[i], &path_guid, (void **)&dp)))
            continue;                       /* the console splitter: no device */
        if (path_has_uart(dp))
            continue;                       /* a serial terminal: COM1 has the line */
        if (!EFI_ERROR(ld->bs->HandleProtocol(handles[i], &text_out, (void **)&out)))
            screens[screen_count++] = out;
    }
    ld->bs->FreePool(handles);
}

void console_init(struct loader *ld)
{
    tsc_start = arch_rdtsc();
    com1_init();
    find_screens(ld);
}

/* One line on each screen, converted to UCS-2 with CR LF. */
static void screens_line(const char *s)
{
    CHAR16 wide[LINE_MAX + 3];
    size_t n = 0;

    for (; *s && n < LINE_MAX; s++)
        wide[n++] = (CHAR16)(uint8_t)*s;
    wide[n++] = L'\r';
    wide[n++] = L'\n';
    wide[n] = 0;
    for (unsigned i = 0; i < screen_count; i++)
        screens[i]->OutputString(screens[i], wide);
}

static void log_line(const char *s)
{
    size_t n = strlen(s);

    if (log_len + n + 2 > sizeof log_buf)
        return;                             /* full: keep the first lines */
    memcpy(log_buf + log_len, s, n);
    log_len += n;
    log_buf[log_len++] = '\n';
    log_buf[log_len] = '\0';
}

static int screens_live;

/* From now on every line goes to the screens too, after the log so far. */
void console_screens_live(void)
{
    char line[LINE_MAX];
    size_t i = 0;

    if (screens_live)
        return;
    screens_live = 1;
    while (i < log_len) {
        size_t n = 0;
        while (i < log_len && log_buf[i] != '\n') {
            if (n < LINE_MAX - 1)
                line[n++] = log_buf[i];
            i++;
        }
        line[n] = '\0';
        i++;                                /* the newline */
        screens_line(line);
    }
}

/* "uefi: " + the text on COM1; with everywhere, in the log too, and on live screens. */
static void emit(int everywhere, const char *fmt, va_list ap)
{
    char line[LINE_MAX];

    memcpy(line, "uefi: ", 6);
    format_vsnprintf(line + 6, LINE_MAX - 6, fmt, ap);
    com1_line(line);
    if (!everywhere)
        return;
    log_line(line);
    if (screens_live)
        screens_line(line);
}

void say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(1, fmt, ap);
    va_end(ap);
}

/* After ExitBootServices: the screens belong to nobody, COM1 is ours. */
void say_serial_only(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(0, fmt, ap);
    va_end(ap);
}

void step_done(const char *name)
{
    struct bootinfo_step *s;

    if (step_count >= BOOTINFO_MAX_STEPS)
        return;
    s = &steps[step_count++];
    s->tsc = arch_rdtsc();
    memset(s->name, 0, sizeof s->name);
    memcpy(s->name, name, strnlen(name, sizeof s->name - 1));
}

uint64_t timeline_start(void)
{
    return tsc_start;
}

void timeline_copy(struct bootinfo *bi)
{
    bi->tsc_start = tsc_start;
    bi->step_count = step_count;
    memcpy(bi->steps, steps, step_count * sizeof steps[0]);
}

/* The log so far into dst (NUL-terminated); returns its length. */
size_t console_log_copy(char *dst, size_t cap)
{
    size_t n = log_len < cap ? log_len : cap - 1;

    memcpy(dst, log_buf, n);
    dst[n] = '\0';
    return n;
}

/* Let a person read an error line: gBS->Stall takes microseconds. */
void console_pause(struct loader *ld, unsigned seconds)
{
    ld->bs->Stall((UINTN)seconds * 1000 * 1000);
}

/* The names of UEFI 2.10 Appendix D for the statuses a loader meets. */
const char *status_text(EFI_STATUS status)
{
    switch (status) {
    case EFI_SUCCESS:           return "success";
    case EFI_LOAD_ERROR:        return "load error";
    case EFI_INVALID_PARAMETER: return "invalid parameter";
    case EFI_UNSUPPORTED:       return "unsupported";
    case EFI_BUFFER_TOO_SMALL:  return "buffer too small";
    case EFI_DEVICE_ERROR:      return "device error";
    case EFI_OUT_OF_RESOURCES:  return "out of resources";
    case EFI_VOLUME_CORRUPTED:  return "volume corrupted";
    case EFI_NO_MEDIA:          return "no media";
    case EFI_NOT_FOUND:         return "not found";
    case EFI_ACCESS_DENIED:     return "access denied";
    case EFI_END_OF_FILE:       return "end of file";
    default:                    return "error";
    }
}
