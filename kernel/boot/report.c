/*
 * report.c - the boot report (see boot/report.h).
 *
 * Strings inside the boot info (names, command line, the loader log) come
 * from the loader: they are printed with a bound (%.*s) and never trusted
 * to be NUL-terminated.
 */
#include "arch.h"
#include "boot/bootinfo_view.h"
#include "boot/phases.h"
#include "boot/report.h"
#include "console.h"
#include "format.h"
#include "memmap.h"
#include "printk.h"
#include <string.h>

#define KIB 1024ULL

static const char *firmware_name(uint32_t fw)
{
    return fw == BOOTINFO_FW_UEFI ? "uefi" : fw == BOOTINFO_FW_BIOS ? "bios" : "unknown";
}

/* Not memmap_total(): entries are mmap_entry_size apart, which may exceed 24. */
static uint64_t usable_bytes(const struct bootinfo *bi)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = bootinfo_mmap_entry(i);
        if (e->type == BOOTINFO_MEM_USABLE)
            sum += e->length;
    }
    return sum;
}

/* "1024x768x32", "text" or "none" into buf[32]. */
static const char *fb_text(const struct bootinfo_fb *fb, char *buf, size_t size)
{
    if (fb->type == BOOTINFO_FB_VGA_TEXT)
        return "text";
    if (fb->type != BOOTINFO_FB_RGB)
        return "none";
    format_snprintf(buf, size, "%ux%ux%u", fb->width, fb->height, fb->bpp);
    return buf;
}

int report_summary_format(char *buf, size_t size)
{
    const struct bootinfo *bi = bootinfo_get();
    char fb[32];
    size_t cmdlen;
    const char *cmdline = bootinfo_cmdline(&cmdlen);

    return format_snprintf(buf, size, "bootinfo: firmware=%s loader=%.*s/%.*s mem_usable_kib=%llu "
           "mem_entries=%u fb=%s rsdp=0x%llx kernel_phys=0x%llx cmdline=\"%.*s\"",
           firmware_name(bi->firmware),
           (int)strnlen(bi->loader_name, BOOTINFO_NAME_LEN), bi->loader_name,
           (int)strnlen(bi->loader_version, BOOTINFO_NAME_LEN), bi->loader_version,
           (unsigned long long)(usable_bytes(bi) / KIB), bi->mmap_count,
           fb_text(&bi->fb, fb, sizeof fb), (unsigned long long)bi->acpi_rsdp,
           (unsigned long long)bi->kernel_phys, (int)strnlen(cmdline, cmdlen), cmdline);
}

void report_summary(void)
{
    char line[PRINTK_LINE_MAX];

    report_summary_format(line, sizeof line);
    printk(LOG_INFO, "%s\n", line);
}

/* A size as "639 KiB", "127 MiB" or "4 GiB" (exact multiples), else bytes. */
static void size_text(uint64_t n, char *buf, size_t size)
{
    if (n >= 1024 * 1024 * KIB && n % (1024 * 1024 * KIB) == 0)
        format_snprintf(buf, size, "%llu GiB", (unsigned long long)(n >> 30));
    else if (n >= 1024 * KIB && n % (1024 * KIB) == 0)
        format_snprintf(buf, size, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n % KIB == 0)
        format_snprintf(buf, size, "%llu KiB", (unsigned long long)(n >> 10));
    else
        format_snprintf(buf, size, "%llu B", (unsigned long long)n);
}

void report_memmap(void)
{
    const struct bootinfo *bi = bootinfo_get();
    char size[24];

    printk(LOG_INFO, "memmap: %-18s  %-18s  %10s  %s\n", "base", "end", "size", "type");
    for (unsigned i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = bootinfo_mmap_entry(i);

        size_text(e->length, size, sizeof size);
        printk(LOG_INFO, "memmap: 0x%016llx  0x%016llx  %10s  %s\n",
               (unsigned long long)e->base, (unsigned long long)(e->base + e->length - 1),
               size, memmap_type_name(e->type));
    }
}

/*
 * One row of the boot timeline: the ticks from prev to now and their
 * microseconds, and where now lies from the loader's start (tsc_start).
 * The boot chart (tests/chart/) and the benchmarks parse this form.
 */
int report_timeline_format(char *buf, size_t size, const char *name, int name_len, uint64_t prev,
                           uint64_t now)
{
    uint64_t start = bootinfo_get()->tsc_start;
    uint64_t d = now >= prev ? now - prev : 0, total = now >= start ? now - start : 0;

    return format_snprintf(buf, size, "timeline: %-*.*s %12llu ticks %8llu us  (at %llu us)",
                           BOOTINFO_STEP_NAME_LEN, name_len, name, (unsigned long long)d,
                           (unsigned long long)tsc_ticks_to_us(d),
                           (unsigned long long)tsc_ticks_to_us(total));
}

void report_timeline_row(const char *name, int name_len, uint64_t prev, uint64_t now)
{
    char line[PRINTK_LINE_MAX];

    report_timeline_format(line, sizeof line, name, name_len, prev, now);
    printk(LOG_INFO, "%s\n", line);
}

void report_timeline_rows(report_row_fn *fn, void *ctx)
{
    const struct bootinfo *bi = bootinfo_get();
    uint64_t prev = bi->tsc_start;

    for (unsigned i = 0; i < bi->step_count; i++) {
        const struct bootinfo_step *s = &bi->steps[i];

        fn(ctx, s->name, (int)strnlen(s->name, BOOTINFO_STEP_NAME_LEN), prev, s->tsc);
        prev = s->tsc;
    }
    fn(ctx, "kernel entry", 12, prev, boot_phases_entry_tsc());
    boot_phases_rows(fn, ctx);
}

void report_timeline(uint64_t kernel_entry_tsc)
{
    const struct bootinfo *bi = bootinfo_get();
    uint64_t prev = bi->tsc_start;

    printk(LOG_INFO, "timeline: TSC %llu kHz (%s)\n", (unsigned long long)tsc_khz(), tsc_source());
    for (unsigned i = 0; i < bi->step_count; i++) {
        const struct bootinfo_step *s = &bi->steps[i];

        report_timeline_row(s->name, (int)strnlen(s->name, BOOTINFO_STEP_NAME_LEN), prev, s->tsc);
        prev = s->tsc;
    }
    report_timeline_row("kernel entry", 12, prev, kernel_entry_tsc);
    printk(LOG_INFO, "loader: %u disk reads, %llu bytes read\n", bi->disk_reads,
           (unsigned long long)bi->disk_bytes);
    boot_phases_report(kernel_entry_tsc);
}

void report_replay_loader_log(void)
{
    size_t len;
    const char *log = bootinfo_loader_log(&len);

    if (len)
        console_write(log, len);
}
