/*
 * ktest.c - runs the in-kernel tests (see ktest.h) and reports on printk:
 * one PASS, FAIL or SKIP line per test, then the summary line
 * `ktest: N passed, N failed, N skipped`.
 */
#include <stdarg.h>

#include "format.h"
#include "printk.h"
#include "test/ktest.h"

struct ktest_case {
    const char *name;
    void (*fn)(struct ktest *t);
};

#define KTEST_ENTRY(name) { #name, ktest_##name },
static const struct ktest_case cases[] = { KTEST_LIST(KTEST_ENTRY) };
#undef KTEST_ENTRY

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->failures++)
        return;                         /* keep the first reason */
    n = format_snprintf(t->reason, sizeof t->reason, "%s:%d: ", file, line);
    if (n < 0 || (size_t)n >= sizeof t->reason)
        return;
    va_start(ap, fmt);
    format_vsnprintf(t->reason + n, sizeof t->reason - (size_t)n, fmt, ap);
    va_end(ap);
}

void ktest_skip(struct ktest *t, const char *fmt, ...)
{
    va_list ap;

    if (t->failures || t->skipped++)
        return;                         /* a failure's reason wins; keep the first skip's */
    va_start(ap, fmt);
    format_vsnprintf(t->reason, sizeof t->reason, fmt, ap);
    va_end(ap);
}

int ktest_run_one(struct ktest *t, void (*fn)(struct ktest *t))
{
    fn(t);
    if (t->failures)
        return 0;
    return t->skipped ? -1 : 1;
}

int ktest_run_all(void)
{
    int counts[3] = { 0, 0, 0 };        /* skipped, failed, passed: by ktest_run_one's result + 1 */
    static const char *const words[3] = { "SKIP", "FAIL", "PASS" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ktest t = KTEST_INIT(cases[i].name);
        int r = ktest_run_one(&t, cases[i].fn) + 1;

        counts[r]++;
        if (r == 2)
            printk(LOG_INFO, "ktest: PASS %s\n", t.name);
        else
            printk(LOG_INFO, "ktest: %s %s: %s\n", words[r], t.name, t.reason);
    }
    printk(LOG_INFO, "ktest: %d passed, %d failed, %d skipped\n", counts[2], counts[1], counts[0]);
    return counts[1];
}
