/*
 * ktest.c - runs the in-kernel tests (see ktest.h) and reports on printk.
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

int ktest_run_all(void)
{
    int failed = 0, passed = 0;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ktest t = { cases[i].name, 0, "" };

        cases[i].fn(&t);
        if (t.failures) {
            printk(LOG_INFO, "ktest: FAIL %s: %s\n", t.name, t.reason);
            failed++;
        } else {
            printk(LOG_INFO, "ktest: PASS %s\n", t.name);
            passed++;
        }
    }
    printk(LOG_INFO, "ktest: %d passed, %d failed\n", passed, failed);
    return failed;
}
