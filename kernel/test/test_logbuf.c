/*
 * test_logbuf.c - ktests for the log ring buffer: filling, wrapping, a
 * write larger than the buffer, partial reads; and that printk's own
 * buffer holds the boot lines.
 */
#include "logbuf.h"
#include "printk.h"
#include "test/ktest.h"

static char storage[8];
static char out[PRINTK_LOG_SIZE];

void ktest_logbuf_no_wrap(struct ktest *t)
{
    struct logbuf lb;

    logbuf_init(&lb, storage, sizeof storage);
    logbuf_write(&lb, "abc", 3);
    KTEST_ASSERT_EQ(t, logbuf_used(&lb), 3);
    KTEST_ASSERT_EQ(t, logbuf_read(&lb, out, sizeof out), 3);
    KTEST_ASSERT(t, memcmp(out, "abc", 3) == 0);
}

void ktest_logbuf_wrap(struct ktest *t)
{
    struct logbuf lb;

    logbuf_init(&lb, storage, sizeof storage);
    logbuf_write(&lb, "012345", 6);
    logbuf_write(&lb, "6789AB", 6);             /* 12 bytes into 8: wraps */
    KTEST_ASSERT_EQ(t, lb.total, 12);
    KTEST_ASSERT_EQ(t, logbuf_read(&lb, out, sizeof out), 8);
    KTEST_ASSERT(t, memcmp(out, "456789AB", 8) == 0);
}

void ktest_logbuf_oversized_write(struct ktest *t)
{
    struct logbuf lb;

    logbuf_init(&lb, storage, sizeof storage);
    logbuf_write(&lb, "x", 1);
    logbuf_write(&lb, "abcdefghijklmnop", 16);  /* only the tail survives */
    KTEST_ASSERT_EQ(t, lb.total, 17);
    KTEST_ASSERT_EQ(t, logbuf_read(&lb, out, sizeof out), 8);
    KTEST_ASSERT(t, memcmp(out, "ijklmnop", 8) == 0);
}

void ktest_logbuf_read_newest(struct ktest *t)
{
    struct logbuf lb;

    logbuf_init(&lb, storage, sizeof storage);
    logbuf_write(&lb, "0123456789", 10);
    KTEST_ASSERT_EQ(t, logbuf_read(&lb, out, 3), 3);   /* the newest 3 */
    KTEST_ASSERT(t, memcmp(out, "789", 3) == 0);
}

static int find(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);

    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

void ktest_printk_log_holds_boot_lines(struct ktest *t)
{
    size_t n = printk_log_read(out, sizeof out);

    KTEST_ASSERT(t, find(out, n, "kernel: Tessera"));
    KTEST_ASSERT(t, find(out, n, "bootinfo: firmware="));
    KTEST_ASSERT(t, find(out, n, "ktest: PASS logbuf_read_newest"));
}

struct header_check {
    size_t lines;
    int bad_level;
    int went_back;
    uint64_t last_ns;
    int tagged_acpi;
};

static void check_line(const struct printk_line *l, void *arg)
{
    struct header_check *c = arg;

    c->lines++;
    c->bad_level |= l->level < LOG_ERR || l->level > LOG_DEBUG;
    c->went_back |= l->time_ns < c->last_ns;
    c->last_ns = l->time_ns;
    c->tagged_acpi |= l->len > 7 && memcmp(l->text, "[acpi] ", 7) == 0;
}

/* Every held line has a level and a timestamp; time never runs backwards. */
void ktest_printk_log_headers(struct ktest *t)
{
    struct header_check c = { 0 };
    size_t n = printk_log_read(out, sizeof out);
    size_t lines = printk_log_lines(out, n, check_line, &c);

    KTEST_ASSERT(t, lines > 20);
    KTEST_ASSERT_EQ(t, lines, c.lines);
    KTEST_ASSERT(t, !c.bad_level);
    KTEST_ASSERT(t, !c.went_back);
    KTEST_ASSERT(t, c.last_ns > 0);
    KTEST_ASSERT(t, c.tagged_acpi);
    KTEST_ASSERT(t, find(out, n, "<2>["));
}
