/*
 * ktest.c - runs the in-kernel tests (see ktest.h) and reports on printk:
 * one PASS, FAIL or SKIP line per test, then the summary line
 * `ktest: N passed, N failed, N skipped`. The word "ktest=NAME,NAME" on
 * the command line runs only the tests named (make mutants boots that way:
 * a few seconds instead of a whole run); "NAME_*" names every test whose
 * name starts with NAME_, "@SET" a set of ktest_sets.h (a boot cell runs
 * the sets its machine is for: tests/qemu/ktest.sh --only); an entry that
 * names no test fails.
 * Last comes one line naming the slowest tests, where a run's time goes.
 */
#include <stdarg.h>

#include "boot/bootinfo_view.h"
#include "format.h"
#include "printk.h"
#include "timer/clock.h"
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

/* The value of the word "ktest=..." in the command line, or NULL; its length in *len. */
static const char *ktest_filter(size_t *len)
{
    size_t n;
    const char *c = bootinfo_cmdline(&n);

    for (size_t i = 0; i + 6 <= n; i++) {
        if ((i == 0 || c[i - 1] == ' ' || c[i - 1] == '\t') && memcmp(c + i, "ktest=", 6) == 0) {
            for (*len = 0; i + 6 + *len < n && c[i + 6 + *len] != ' ' && c[i + 6 + *len] != '\t' &&
                           c[i + 6 + *len] != '\0'; ++*len)
                ;
            return c + i + 6;
        }
    }
    return NULL;
}

/* The named sets of ktest=@NAME (ktest_sets.h). */
struct ktest_set {
    const char *name;
    const char *entries;
};

#define KTEST_SET(name, entries) { #name, entries },
static const struct ktest_set sets[] = {
#include "test/ktest_sets.h"
};
#undef KTEST_SET

/* The set named e[0..n), or NULL. */
static const struct ktest_set *ktest_set_named(const char *e, size_t n)
{
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        if (strlen(sets[i].name) == n && memcmp(sets[i].name, e, n) == 0)
            return &sets[i];
    return NULL;
}

static int ktest_listed(const char *list, size_t len, const char *name);

/*
 * Whether entry e[0..n) of a filter names `name`: the whole name; for an
 * entry ending in '*', any name that starts with what comes before it
 * ("smp_*" is every SMP test); for "@SET", any name the set lists.
 */
static int ktest_entry_matches(const char *e, size_t n, const char *name)
{
    size_t len = strlen(name);

    if (n > 0 && e[0] == '@') {
        const struct ktest_set *set = ktest_set_named(e + 1, n - 1);
        return set && ktest_listed(set->entries, strlen(set->entries), name);
    }
    if (n > 0 && e[n - 1] == '*')
        return len >= n - 1 && memcmp(e, name, n - 1) == 0;
    return len == n && memcmp(e, name, n) == 0;
}

/* Whether `name` is named by one of the comma-separated entries in list[0..len). */
static int ktest_listed(const char *list, size_t len, const char *name)
{
    for (size_t i = 0; i < len; ) {
        size_t j = i;
        while (j < len && list[j] != ',')
            j++;
        if (ktest_entry_matches(list + i, j - i, name))
            return 1;
        i = j + 1;
    }
    return 0;
}

/* Every entry of the filter names a test (a typo must fail, not run nothing). */
static int ktest_filter_known(const char *list, size_t len)
{
    int bad = 0;

    for (size_t i = 0; i < len; ) {
        size_t j = i, k;
        while (j < len && list[j] != ',')
            j++;
        for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
            if (ktest_entry_matches(list + i, j - i, cases[k].name))
                break;
        if (k == sizeof cases / sizeof cases[0]) {
            printk(LOG_INFO, "ktest: FAIL ktest=: no test named %.*s\n", (int)(j - i), list + i);
            bad++;
        }
        i = j + 1;
    }
    return bad;
}

/* The KTEST_SLOWEST longest tests of the run, longest first. */
#define KTEST_SLOWEST 5
struct ktest_time {
    const char *name;
    uint64_t ns;
};

static void ktest_note_time(struct ktest_time *slow, const char *name, uint64_t ns)
{
    int i = KTEST_SLOWEST;

    if (ns <= slow[KTEST_SLOWEST - 1].ns)
        return;
    while (i > 0 && slow[i - 1].ns < ns) {
        if (i < KTEST_SLOWEST)
            slow[i] = slow[i - 1];
        i--;
    }
    slow[i] = (struct ktest_time){ name, ns };
}

static void ktest_print_slowest(const struct ktest_time *slow)
{
    char line[256];
    int n = format_snprintf(line, sizeof line, "ktest: slowest:");

    for (int i = 0; i < KTEST_SLOWEST && slow[i].name && n > 0 && (size_t)n < sizeof line; i++)
        n += format_snprintf(line + n, sizeof line - (size_t)n, "%s %s %llu ms", i ? "," : "",
                             slow[i].name, (unsigned long long)(slow[i].ns / 1000000));
    printk(LOG_INFO, "%s\n", line);
}

int ktest_run_all(void)
{
    struct ktest_time slow[KTEST_SLOWEST] = { { NULL, 0 } };
    int counts[3] = { 0, 0, 0 };        /* skipped, failed, passed: by ktest_run_one's result + 1 */
    static const char *const words[3] = { "SKIP", "FAIL", "PASS" };
    size_t flen = 0;
    const char *filter = ktest_filter(&flen);

    if (filter)
        counts[1] += ktest_filter_known(filter, flen);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ktest t = KTEST_INIT(cases[i].name);
        int r;

        if (filter && !ktest_listed(filter, flen, cases[i].name))
            continue;
        uint64_t start = clock_ns();
        r = ktest_run_one(&t, cases[i].fn) + 1;
        ktest_note_time(slow, cases[i].name, clock_ns() - start);

        counts[r]++;
        if (r == 2)
            printk(LOG_INFO, "ktest: PASS %s\n", t.name);
        else
            printk(LOG_INFO, "ktest: %s %s: %s\n", words[r], t.name, t.reason);
    }
    printk(LOG_INFO, "ktest: %d passed, %d failed, %d skipped\n", counts[2], counts[1], counts[0]);
    ktest_print_slowest(slow);
    return counts[1];
}
