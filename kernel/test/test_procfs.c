/*
 * test_procfs.c - ktests of /proc (kernel/fs/procfs/), read as files the way
 * busybox reads them:
 *   procfs_meminfo_matches_frames  every line is "Name:" in 16 columns, 8 digits,
 *                                  " kB"; MemTotal is the frame allocator's
 *                                  managed frames and MemFree its free ones
 *                                  (within 1 MiB: the read itself allocates)
 *   procfs_mounts_lists_mounts     one "SOURCE PATH TYPE rw|ro 0 0" line per
 *                                  mount in the VFS's table, /dev and /proc among them
 *   procfs_uptime_two_numbers      "S.CC S.CC\n": the first within a second of
 *                                  the monotonic clock, the idle time at most
 *                                  the uptime times the CPUs
 *   procfs_stat_fields             a "cpu " line and one "cpuN" line per CPU with ten
 *                                  numbers, the idle ones at most the elapsed time; ctxt
 *                                  counts; btime within two seconds of the wall clock
 *                                  less the uptime
 *   procfs_process_hook            what issue 16 will install (procfs_set_process_ops):
 *                                  a name it answers opens and reads through its inode,
 *                                  readdir lists its names after the kernel's
 *   procfs_kernel_entries          readdir lists every entry; cmdline is the boot
 *                                  command line, version names Tessera,
 *                                  filesystems lists tmpfs, devfs and proc as nodev
 */
#include <string.h>

#include "boot/bootinfo_view.h"
#include "errno.h"
#include "format.h"
#include "fs/procfs/procfs.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "sched/sched.h"
#include "test/ktest.h"
#include "timer/clock.h"

#define TEXT_MAX    16384

/* /proc/NAME read whole into a NUL-terminated heap buffer, or NULL (a failure recorded). */
static char *read_proc(struct ktest *t, const char *path)
{
    char *buf = kmalloc(TEXT_MAX);
    long n = buf ? vfs_read_file(path, buf, TEXT_MAX - 1) : -1;

    if (n < 0) {
        ktest_fail(t, __FILE__, __LINE__, "read %s: %ld", path, n);
        kfree(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

static uint64_t parse_u64(const char **p)
{
    uint64_t v = 0;

    while (**p >= '0' && **p <= '9')
        v = v * 10 + (uint64_t)(*(*p)++ - '0');
    return v;
}

/* The kB value of "Name:" in a meminfo text, checking the line's form; ~0 when absent or malformed. */
static uint64_t meminfo_value(const char *text, const char *name)
{
    size_t n = strlen(name);

    for (const char *l = text, *next; *l; l = next) {
        const char *v = l + 16;

        next = strchr(l, '\n');
        next = next ? next + 1 : l + strlen(l);

        if (strncmp(l, name, n) != 0 || l[n] != ':')
            continue;
        while (*v == ' ')
            v++;
        if (v > l + 24)
            return ~0ull;
        {
            uint64_t kb = parse_u64(&v);

            return v == l + 24 && strncmp(v, " kB\n", 4) == 0 ? kb : ~0ull;
        }
    }
    return ~0ull;
}

void ktest_procfs_meminfo_matches_frames(struct ktest *t)
{
    char *text = read_proc(t, "/proc/meminfo");
    uint64_t total, free, free_now = mm_frames_free() * 4;

    if (!text)
        return;
    total = meminfo_value(text, "MemTotal");
    free = meminfo_value(text, "MemFree");
    KTEST_ASSERT_EQ(t, total, mm_frames()->managed_frames * 4);
    KTEST_ASSERT(t, free != ~0ull && free + 1024 >= free_now && free <= free_now + 1024);
    KTEST_ASSERT(t, meminfo_value(text, "MemAvailable") != ~0ull);
    KTEST_ASSERT(t, meminfo_value(text, "Buffers") != ~0ull);
    KTEST_ASSERT(t, meminfo_value(text, "Cached") != ~0ull);
    KTEST_ASSERT(t, meminfo_value(text, "SwapTotal") == 0);
    kfree(text);
}

void ktest_procfs_mounts_lists_mounts(struct ktest *t)
{
    char *text = read_proc(t, "/proc/mounts"), line[160];
    unsigned mounts = 0, lines = 0;

    if (!text)
        return;
    for (struct mount *m = vfs_mounts(); m; m = m->next, mounts++) {
        format_snprintf(line, sizeof line, "%s %s %s %s 0 0\n", m->source, m->path, m->sb->type->name,
                        m->sb->flags & MS_RDONLY ? "ro" : "rw");
        if (!strstr(text, line))
            ktest_fail(t, __FILE__, __LINE__, "/proc/mounts lacks \"%.*s\"", (int)strlen(line) - 1, line);
    }
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    KTEST_ASSERT_EQ(t, lines, mounts);
    KTEST_ASSERT(t, strstr(text, " /dev devfs rw 0 0\n") != NULL);
    KTEST_ASSERT(t, strstr(text, " /proc proc rw 0 0\n") != NULL);
    kfree(text);
}

void ktest_procfs_uptime_two_numbers(struct ktest *t)
{
    uint64_t before = clock_ns() / 10000000, after, up, idle;
    char *text = read_proc(t, "/proc/uptime");
    const char *p = text;

    after = clock_ns() / 10000000;
    if (!text)
        return;
    up = parse_u64(&p) * 100;
    KTEST_ASSERT_EQ(t, *p++, '.');
    up += parse_u64(&p);
    KTEST_ASSERT_EQ(t, *p++, ' ');
    idle = parse_u64(&p) * 100;
    KTEST_ASSERT_EQ(t, *p++, '.');
    idle += parse_u64(&p);
    KTEST_ASSERT_EQ(t, *p++, '\n');
    KTEST_ASSERT_EQ(t, *p, 0);
    KTEST_ASSERT(t, up >= before && up <= after);
    KTEST_ASSERT(t, idle <= up * sched_cpus() + 1);
    kfree(text);
}

struct names {
    char seen[512];
};

static int add_name(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    struct names *n = ctx;
    size_t at = strlen(n->seen);

    (void)ino, (void)type;
    if (at + len + 2 < sizeof n->seen) {
        memcpy(n->seen + at, name, len);
        memcpy(n->seen + at + len, " ", 2);
    }
    return 0;
}

void ktest_procfs_kernel_entries(struct ktest *t)
{
    static const char *const expect[] = { ". ", ".. ", "bootinfo ", "cmdline ", "filesystems ", "interrupts ",
                                          "meminfo ", "mounts ", "stat ", "timeline ", "uptime ", "version " };
    struct names n = { "" };
    struct file *d;
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    char *text;

    if (KTEST_ASSERT_EQ(t, vfs_open(NULL, "/proc", O_RDONLY | O_DIRECTORY, 0, &d), 0)) {
        KTEST_ASSERT_EQ(t, vfs_readdir(d, add_name, &n), 0);
        file_put(d);
        for (unsigned i = 0; i < sizeof expect / sizeof expect[0]; i++)
            if (!strstr(n.seen, expect[i]))
                ktest_fail(t, __FILE__, __LINE__, "readdir /proc lacks %s(gave %s)", expect[i], n.seen);
    }
    if ((text = read_proc(t, "/proc/cmdline"))) {
        KTEST_ASSERT(t, strlen(text) == len + 1 && memcmp(text, cmdline, len) == 0 && text[len] == '\n');
        kfree(text);
    }
    if ((text = read_proc(t, "/proc/version"))) {
        KTEST_ASSERT(t, strncmp(text, "Tessera version ", 16) == 0);
        kfree(text);
    }
    if ((text = read_proc(t, "/proc/filesystems"))) {
        KTEST_ASSERT(t, strstr(text, "nodev\ttmpfs\n") && strstr(text, "nodev\tdevfs\n") &&
                     strstr(text, "nodev\tproc\n"));
        kfree(text);
    }
    if ((text = read_proc(t, "/proc/bootinfo"))) {
        KTEST_ASSERT(t, strncmp(text, "bootinfo: firmware=", 19) == 0);
        kfree(text);
    }
}

/* The ten numbers after name on its line of text: 1 when found and well formed. */
static int cpu_fields(const char *text, const char *name, uint64_t v[10])
{
    const char *p = strstr(text, name);

    if (!p || (p != text && p[-1] != '\n'))
        return 0;
    p += strlen(name);
    for (int i = 0; i < 10; i++) {
        if (*p++ != ' ')
            return 0;
        v[i] = parse_u64(&p);
    }
    return *p == '\n';
}

static uint64_t field(const char *text, const char *name)
{
    const char *p = strstr(text, name);

    if (!p)
        return ~0ull;
    p += strlen(name);
    return parse_u64(&p);
}

void ktest_procfs_stat_fields(struct ktest *t)
{
    char *text = read_proc(t, "/proc/stat"), name[16];
    uint64_t v[10], up = clock_ns() / 10000000 + 1;
    int64_t boot = vfs_now().sec - (int64_t)(clock_ns() / 1000000000ull);

    if (!text)
        return;
    if (KTEST_ASSERT(t, cpu_fields(text, "cpu ", v)))
        KTEST_ASSERT(t, v[3] <= up * sched_cpus());
    for (unsigned c = 0; c < sched_cpus(); c++) {
        format_snprintf(name, sizeof name, "cpu%u", c);
        if (!cpu_fields(text, name, v) || v[3] > up)
            ktest_fail(t, __FILE__, __LINE__, "/proc/stat: no good %s line", name);
    }
    format_snprintf(name, sizeof name, "cpu%u ", sched_cpus());
    KTEST_ASSERT(t, strstr(text, name) == NULL);
    KTEST_ASSERT(t, field(text, "\nctxt ") > 0 && field(text, "\nctxt ") != ~0ull);
    KTEST_ASSERT(t, field(text, "\nintr ") != ~0ull);
    KTEST_ASSERT(t, (int64_t)field(text, "\nbtime ") >= boot - 2 && (int64_t)field(text, "\nbtime ") <= boot + 2);
    KTEST_ASSERT(t, field(text, "\nprocesses ") >= 1);
    kfree(text);
}

/* A stand-in for the process layer: one name, "ktest-hook", a file reading "hook\n". */
#define HOOK_INO    (PROCFS_PROCESS_INO + 7)

static long hook_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    static const char text[] = "hook\n";
    size_t n = *pos >= sizeof text - 1 ? 0 : sizeof text - 1 - (size_t)*pos;

    (void)f;
    n = n < len ? n : len;
    memcpy(buf, text + *pos, n);
    *pos += n;
    return (long)n;
}

static const struct file_ops hook_fops = { .read = hook_read };
static const struct inode_ops hook_iops = { 0 };

static int hook_lookup(const char *name, size_t len, uint64_t *ino)
{
    if (len != 10 || memcmp(name, "ktest-hook", 10) != 0)
        return -ENOENT;
    *ino = HOOK_INO;
    return 0;
}

static int hook_readdir(uint64_t *cookie, vfs_filldir_fn *fill, void *ctx)
{
    if (*cookie == PROCFS_PROCESS_COOKIE && fill(ctx, "ktest-hook", 10, HOOK_INO, DT_REG) == 0)
        (*cookie)++;
    return 0;
}

static int hook_read_inode(struct inode *inode)
{
    if (inode->ino != HOOK_INO)
        return -ENOENT;
    inode->mode = S_IFREG | 0444;
    inode->nlink = 1;
    inode->iops = &hook_iops;
    inode->fops = &hook_fops;
    return 0;
}

static const struct procfs_process_ops hook_ops = { hook_lookup, hook_readdir, hook_read_inode };

void ktest_procfs_process_hook(struct ktest *t)
{
    struct names n = { "" };
    struct file *d;
    char buf[16];
    long got;

    const struct procfs_process_ops *saved = procfs_process_ops();

    procfs_set_process_ops(&hook_ops);
    got = vfs_read_file("/proc/ktest-hook", buf, sizeof buf);
    KTEST_ASSERT(t, got == 5 && memcmp(buf, "hook\n", 5) == 0);
    if (KTEST_ASSERT_EQ(t, vfs_open(NULL, "/proc", O_RDONLY | O_DIRECTORY, 0, &d), 0)) {
        KTEST_ASSERT_EQ(t, vfs_readdir(d, add_name, &n), 0);
        file_put(d);
        KTEST_ASSERT(t, strstr(n.seen, "version ktest-hook ") != NULL);
    }
    KTEST_ASSERT(t, vfs_read_file("/proc/ktest-nothing", buf, sizeof buf) == -ENOENT);
    procfs_set_process_ops(saved);
}
