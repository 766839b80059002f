/*
 * test_monitor.c - ktests for the kernel monitor (kernel/monitor/), run on
 * a scripted terminal: the keys come from a string, the output goes to a
 * buffer. lspci, lsblk and bootinfo must print exactly the lines the kernel
 * logged at boot ([pci], [blk] NAME:, bootinfo:), which come from the
 * drivers' own walk; unknown commands and wrong arguments get one line of
 * error and run nothing; Up recalls the lines typed before.
 * They run early in the list, while the log ring still holds the boot.
 */
#include <string.h>

#include "monitor/monitor.h"
#include "printk.h"
#include "test/ktest.h"

#define SCREEN_MAX  16384

struct script {
    const char *keys;
    char out[SCREEN_MAX];
    size_t n;
};

static struct script sc;
static struct monitor mon;
static char log_copy[PRINTK_LOG_SIZE];
static char expected[SCREEN_MAX];

static int script_read(void *ctx, char *c, int nonblock)
{
    struct script *s = ctx;

    (void)nonblock;
    if (!*s->keys)
        return 0;                               /* the terminal is gone: the monitor ends */
    *c = *s->keys++;
    return 1;
}

static void script_write(void *ctx, const char *buf, size_t n)
{
    struct script *s = ctx;

    if (n > SCREEN_MAX - 1 - s->n)
        n = SCREEN_MAX - 1 - s->n;
    memcpy(s->out + s->n, buf, n);
    s->n += n;
    s->out[s->n] = 0;
}

static void start(const char *keys)
{
    static const struct monitor_io io = { script_read, script_write, &sc, "script", 80 };

    sc.keys = keys;
    sc.n = 0;
    sc.out[0] = 0;
    monitor_init(&mon, &io);
}

/* Run one command line; its output in sc.out. */
static int run(const char *line)
{
    char buf[LINEEDIT_MAX];
    size_t n = strnlen(line, sizeof buf - 1);

    memcpy(buf, line, n);
    buf[n] = 0;
    start("");
    return monitor_execute(&mon, buf);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

struct pick {
    const char *prefix;                 /* "[pci] " */
    int (*wanted)(const char *rest, size_t len);
    size_t n;
};

/* Log lines "PREFIX REST" that wanted() accepts, as "REST\n" in expected[]. */
static void pick_line(const struct printk_line *l, void *arg)
{
    struct pick *p = arg;
    size_t plen = strlen(p->prefix);

    if (l->len <= plen || memcmp(l->text, p->prefix, plen) != 0 || !p->wanted(l->text + plen, l->len - plen))
        return;
    if (p->n + l->len - plen + 2 > sizeof expected)
        return;
    memcpy(expected + p->n, l->text + plen, l->len - plen);
    p->n += l->len - plen;
    expected[p->n++] = '\n';
    expected[p->n] = 0;
}

/* "BB:DD.F VVVV:DDDD class ..." */
static int pci_function_line(const char *s, size_t len)
{
    return len > 8 && s[2] == ':' && s[5] == '.' && s[7] == ' ';
}

/* "NAME: N sectors of N bytes, ..." */
static int blk_device_line(const char *s, size_t len)
{
    const char *colon = memchr(s, ':', len);

    return colon && (size_t)(colon - s) + 3 < len && colon[2] >= '0' && colon[2] <= '9';
}

static int any_line(const char *s, size_t len)
{
    (void)s;
    return len > 0;
}

/* The lines of the boot log the command must repeat, in expected[]; 0 if the log holds none. */
static size_t expect_from_log(const char *prefix, int (*wanted)(const char *, size_t))
{
    struct pick p = { prefix, wanted, 0 };
    size_t n = printk_log_read(log_copy, sizeof log_copy);

    expected[0] = 0;
    printk_log_lines(log_copy, n, pick_line, &p);
    return p.n;
}

void ktest_monitor_lists_match_log(struct ktest *t)
{
    if (!expect_from_log("[pci] ", pci_function_line)) {
        KTEST_SKIP(t, "no [pci] function lines in the log (no PCI, or the ring lost them)");
        return;
    }
    KTEST_ASSERT_EQ(t, run("lspci"), 0);
    KTEST_ASSERT_STR_EQ(t, sc.out, expected);
    if (expect_from_log("[blk] ", blk_device_line)) {
        KTEST_ASSERT_EQ(t, run("lsblk"), 0);
        KTEST_ASSERT_STR_EQ(t, sc.out, expected);
    }
    KTEST_ASSERT(t, expect_from_log("bootinfo: ", any_line));
    KTEST_ASSERT_EQ(t, run("bootinfo"), 0);
    KTEST_ASSERT(t, strncmp(sc.out, "bootinfo: ", 10) == 0 && strcmp(sc.out + 10, expected) == 0);
}

/* Each bad line gives exactly one line of error (naming the command) and returns -1. */
static void one_error(struct ktest *t, const char *line, const char *starts)
{
    int r = run(line);

    if (!KTEST_ASSERT_EQ(t, r, -1))
        ktest_fail(t, __FILE__, __LINE__, "'%s' was accepted: %s", line, sc.out);
    KTEST_ASSERT_EQ(t, count(sc.out, "\n"), 1);
    if (strncmp(sc.out, starts, strlen(starts)) != 0)
        ktest_fail(t, __FILE__, __LINE__, "'%s' gave '%s'", line, sc.out);
}

void ktest_monitor_rejects_bad_lines(struct ktest *t)
{
    one_error(t, "frob", "monitor: unknown command 'frob'");
    one_error(t, "lspci extra", "lspci: takes no arguments");
    one_error(t, "ps -a", "ps: takes no arguments");
    one_error(t, "dmesg 1 2", "dmesg: usage: dmesg [LINES]");
    one_error(t, "dmesg many", "dmesg: 'many' is not a count");
    one_error(t, "dmesg 0", "dmesg: '0' is not a count");
    one_error(t, "reboot nowhere", "reboot: no way named 'nowhere'");
    one_error(t, "help 1 2 3 4 5 6 7 8", "help: too many words");
    KTEST_ASSERT_EQ(t, run("   "), 0);                 /* an empty line is no command */
    KTEST_ASSERT_EQ(t, sc.n, 0);
}

/* Typed lines, then Up Up Enter: the older line runs again; Down returns to the new line. */
void ktest_monitor_history_recall(struct ktest *t)
{
    start("help\rdmesg 1\r\x1b[A\x1b[A\r\x1b[A\x1b[Bbootinfo\r");
    monitor_run(&mon);
    KTEST_ASSERT_EQ(t, count(sc.out, "  halt "), 2);           /* help ran twice */
    KTEST_ASSERT_EQ(t, count(sc.out, "\nbootinfo: firmware="), 1);
    KTEST_ASSERT_STR_EQ(t, lineedit_history(&mon.le, 0), "bootinfo");
    KTEST_ASSERT_STR_EQ(t, lineedit_history(&mon.le, 1), "help");
    KTEST_ASSERT_STR_EQ(t, lineedit_history(&mon.le, 2), "dmesg 1");
}
