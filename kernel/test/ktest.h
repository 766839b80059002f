/*
 * ktest.h - the in-kernel test framework.
 *
 * A test is a function `void ktest_NAME(struct ktest *t)` listed once in
 * kernel/test/ktest_list.h (an X-macro: the declarations and the table in
 * ktest.c both come from it). Inside a test, KTEST_ASSERT* record a
 * failure (the first reason is kept, with file and line) and carry on;
 * use `if (!KTEST_ASSERT(...)) return;` when later checks would be
 * meaningless.
 *
 * Three results. A test passes when nothing failed; fails at the first
 * failed assertion; and is skipped when it calls KTEST_SKIP(t, "no HPET")
 * (printf-style reason) because the machine lacks what it tests: a skip is
 * neither a pass nor a failure, and a failure recorded before or after the
 * skip still makes the test fail. Return right after KTEST_SKIP.
 * ktest_run_all prints one line per test,
 *   ktest: PASS name
 *   ktest: FAIL name: file:line: reason
 *   ktest: SKIP name: reason
 * then `ktest: N passed, N failed, N skipped` (tests/qemu/ktest.sh checks
 * which tests a cell may skip).
 */
#pragma once

#include <stdint.h>

#include <string.h>

#define KTEST_REASON_MAX 200

struct ktest {
    const char *name;
    int failures;
    int skipped;
    char reason[KTEST_REASON_MAX];          /* the first failure's, else the skip's */
};

#define KTEST_INIT(n) { (n), 0, 0, "" }

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ktest_skip(struct ktest *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Not tested here: the machine lacks it. The caller returns next. */
#define KTEST_SKIP(t, ...) ktest_skip((t), __VA_ARGS__)

#define KTEST_ASSERT(t, cond) \
    ((cond) ? 1 : (ktest_fail((t), __FILE__, __LINE__, "%s", #cond), 0))

#define KTEST_ASSERT_EQ(t, a, b) ({ \
    unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
    a_ == b_ ? 1 : (ktest_fail((t), __FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx", \
                               #a, #b, a_, b_), 0); })

#define KTEST_ASSERT_STR_EQ(t, a, b) ({ \
    const char *a_ = (a), *b_ = (b); \
    strcmp(a_, b_) == 0 ? 1 : (ktest_fail((t), __FILE__, __LINE__, "%s: \"%s\" != \"%s\"", \
                                          #a, a_, b_), 0); })

#include "test/ktest_list.h"
#define KTEST_DECLARE(name) void ktest_##name(struct ktest *t);
KTEST_LIST(KTEST_DECLARE)
#undef KTEST_DECLARE

/* Run one test; 1 passed, 0 failed (its reason in t->reason), -1 skipped. */
int ktest_run_one(struct ktest *t, void (*fn)(struct ktest *t));

/* Run every listed test; returns the number that failed. */
int ktest_run_all(void);
