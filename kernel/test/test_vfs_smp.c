/*
 * test_vfs_smp.c - the VFS from several CPUs at once (two threads per CPU,
 * at most VT_THREADS), on tmpfs.
 *
 *   vfs_concurrent_creators   each thread creates, writes, renames and stats
 *                             its own files in one shared directory, then
 *                             unlinks them: every name listed exactly once
 *                             with its own contents, none left at the end
 *                             (the directory's lock and the dentry cache)
 *   vfs_concurrent_appenders  each thread appends fixed-size records to one
 *                             file with O_APPEND: the size is the sum and
 *                             every record is whole, none overwritten (the
 *                             inode's lock around the size read and the write)
 */
#include <string.h>

#include "format.h"
#include "fs/vfs_impl.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/ktest.h"
#include "test/test_vfs.h"

#define VT_THREADS      8
#define FILES_EACH      40
#define RECORDS_EACH    100
#define RECORD          16

struct job {
    unsigned id;
    int failures;
    int first_err;
};

static unsigned thread_count(void)
{
    unsigned n = 2 * sched_cpus();

    return n > VT_THREADS ? VT_THREADS : n;
}

/* Run fn on thread_count() threads spread over the CPUs and join them. */
static void run_threads(struct ktest *t, void (*fn)(void *), struct job *jobs, unsigned n)
{
    struct thread *th[VT_THREADS];
    unsigned cpus = sched_cpus();

    for (unsigned i = 0; i < n; i++) {
        jobs[i] = (struct job){ i, 0, 0 };
        th[i] = thread_create_on("ktest_vfs", fn, &jobs[i], SCHED_PRIO_DEFAULT, (int)(i % cpus));
        KTEST_ASSERT(t, th[i] != NULL);
    }
    for (unsigned i = 0; i < n; i++)
        if (th[i]) {
            thread_join(th[i]);
            if (jobs[i].failures)
                ktest_fail(t, __FILE__, __LINE__, "thread %u: %d failures, first %d", i,
                           jobs[i].failures, jobs[i].first_err);
        }
}

static void note(struct job *j, long r, long want)
{
    if (r != want && j->failures++ == 0)
        j->first_err = (int)r;
}

static void creator(void *arg)
{
    struct job *j = arg;
    char path[48], path2[48], want[24], got[24];
    struct vfs_stat st;

    for (int i = 0; i < FILES_EACH; i++) {
        format_snprintf(path, sizeof(path), "/t_vfs/t_conc/tmp%u_%d", j->id, i);
        format_snprintf(path2, sizeof(path2), "/t_vfs/t_conc/t%u_%d", j->id, i);
        format_snprintf(want, sizeof(want), "thread %u file %d", j->id, i);
        note(j, vt_put(path, want), (long)strlen(want));
        note(j, vfs_rename(NULL, path, path2, 0), 0);
        note(j, vfs_stat(NULL, path, 1, &st), -ENOENT);
        note(j, vt_get(path2, got, sizeof(got)), (long)strlen(want));
        note(j, strcmp(got, want), 0);
        if (i % 8 == 0)
            sched_yield();
    }
}

static void remover(void *arg)
{
    struct job *j = arg;
    char path[48];

    for (int i = 0; i < FILES_EACH; i++) {
        format_snprintf(path, sizeof(path), "/t_vfs/t_conc/t%u_%d", j->id, i);
        note(j, vfs_unlink(NULL, path), 0);
    }
}

static void concurrent_creators_body(struct ktest *t)
{
    static struct vt_names v;
    struct job jobs[VT_THREADS];
    unsigned n = thread_count();
    char name[24];

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_conc", 0755), 0);
    run_threads(t, creator, jobs, n);
    /* every name once: count them, and look for each */
    KTEST_ASSERT_EQ(t, vt_list("/t_vfs/t_conc", &v), 0);
    KTEST_ASSERT_EQ(t, v.count, n * FILES_EACH + 2);
    for (unsigned i = 0; i < n; i++)
        for (int k = 0; k < FILES_EACH; k += 13) {
            struct vfs_stat st;
            format_snprintf(name, sizeof(name), "/t_vfs/t_conc/t%u_%d", i, k);
            KTEST_ASSERT_EQ(t, vfs_stat(NULL, name, 1, &st), 0);
        }
    run_threads(t, remover, jobs, n);
    KTEST_ASSERT_EQ(t, vt_list("/t_vfs/t_conc", &v), 0);
    KTEST_ASSERT_EQ(t, v.count, 2);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_conc"), 0);
}

static void appender(void *arg)
{
    struct job *j = arg;
    struct file *f;
    char rec[RECORD + 1];
    int err = vfs_open(NULL, "/t_vfs/t_append", O_WRONLY | O_APPEND, 0, &f);

    note(j, err, 0);
    if (err)
        return;
    for (int i = 0; i < RECORDS_EACH; i++) {
        format_snprintf(rec, sizeof(rec), "T%02u R%04d .....\n", j->id, i);
        note(j, vfs_write(f, rec, RECORD), RECORD);
        if (i % 16 == 0)
            sched_yield();
    }
    file_put(f);
}

/* Check each RECORD-byte slot of the file: a whole record of some thread, in order per thread. */
static void check_records(struct ktest *t, struct file *f, unsigned n)
{
    int next[VT_THREADS] = { 0 };
    char rec[RECORD + 1];
    unsigned id;
    int r;

    for (uint64_t pos = 0; vfs_pread(f, rec, RECORD, pos) == RECORD; pos += RECORD) {
        rec[RECORD] = '\0';
        id = (unsigned)(rec[1] - '0') * 10 + (unsigned)(rec[2] - '0');
        r = (rec[5] - '0') * 1000 + (rec[6] - '0') * 100 + (rec[7] - '0') * 10 + (rec[8] - '0');
        if (rec[0] != 'T' || rec[4] != 'R' || rec[RECORD - 1] != '\n' || id >= n || r != next[id]) {
            ktest_fail(t, __FILE__, __LINE__, "record at %llu broken: \"%.15s\"", (unsigned long long)pos, rec);
            return;
        }
        next[id]++;
    }
    for (unsigned i = 0; i < n; i++)
        KTEST_ASSERT_EQ(t, next[i], RECORDS_EACH);
}

static void concurrent_appenders_body(struct ktest *t)
{
    struct job jobs[VT_THREADS];
    unsigned n = thread_count();
    struct vfs_stat st;
    struct file *f;

    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_append", ""), 0);
    run_threads(t, appender, jobs, n);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_append", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.size, (uint64_t)n * RECORDS_EACH * RECORD);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_append", O_RDONLY, 0, &f), 0);
    if (f) {
        check_records(t, f, n);
        file_put(f);
    }
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_append"), 0);
}

/* ---- the ktests: each in a tmpfs of its own at /t_vfs (test_vfs.h) ---- */

void ktest_vfs_concurrent_creators(struct ktest *t)
{
    vt_run(t, concurrent_creators_body);
}

void ktest_vfs_concurrent_appenders(struct ktest *t)
{
    vt_run(t, concurrent_appenders_body);
}
