/*
 * test_fsstress.c - the write workload (kernel/fs/fsstress.c) on the host:
 * its VFS calls go to a folder of the host's file system through a shim
 * (vfs_open is open(2), vfs_fsync is fsync(2), ...), its log lines to a
 * list, and each line is checked against what the host sees:
 *   - every operation is logged before the VFS call that does it, with the
 *     path the call gets;
 *   - every `synced` line gives the size and CRC-32 of the file as it is in
 *     the host's folder, computed by zlib, not by the kernel's crc32_update;
 *   - the operations stay within the mounts that are writable and visible
 *     (a read-only mount, devfs and a tmpfs hidden under the root are left
 *     out), no operation fails but a hard link on the FAT mount (-EPERM);
 *   - a seed gives the same log twice, another seed another log.
 */
#define _GNU_SOURCE                     /* mkdtemp, pread, pwrite, strdup under -std=c11 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

/* vfs.h defines Linux's numbers itself; the host's headers have the same values. */
#undef S_IFMT
#undef S_IFSOCK
#undef S_IFLNK
#undef S_IFREG
#undef S_IFBLK
#undef S_IFDIR
#undef S_IFCHR
#undef S_IFIFO
#undef S_ISUID
#undef S_ISGID
#undef S_ISVTX
#undef S_ISREG
#undef S_ISDIR
#undef S_ISLNK
#undef S_ISCHR
#undef S_ISBLK
#undef O_ACCMODE
#undef O_DIRECTORY
#undef O_NOFOLLOW
#undef O_CLOEXEC
#undef RENAME_NOREPLACE
#include "errno.h"               /* the kernel's (-Ikernel): Linux's numbers, as the host's */
#include "fs/fsstress.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"

#define LOG_MAX     20000
#define SHIM_LINE    512

/* The host's errno: <errno.h> here is the kernel's, which has only the numbers. */
int *__errno_location(void);
#define host_errno (*__errno_location())

static char root_dir[256];              /* the host folder that is Tessera's "/" */
static char *log_lines[LOG_MAX];
static unsigned log_count;
static unsigned synced_checked, synced_wrong, calls_unlogged, errors;

/* ---- the kernel's side, as the host has it ---- */

void *kmalloc(size_t size)
{
    return malloc(size);
}

void kfree(void *p)
{
    free(p);
}

static void host_path(const char *path, char *out)
{
    snprintf(out, SHIM_LINE, "%s%s", root_dir, path);
}

/* A synced line: the file in the host's folder must have that size and CRC (zlib's). */
static void check_synced(const char *line)
{
    char path[SHIM_LINE], hp[SHIM_LINE];
    unsigned long long size;
    unsigned crc;
    uLong want = crc32(0, Z_NULL, 0);
    unsigned char buf[4096];
    ssize_t n;
    off_t total = 0;
    int fd;

    assert_int_equal(sscanf(line, "fsstress: synced %s size=%llu crc32=%x", path, &size, &crc), 3);
    host_path(path, hp);
    fd = open(hp, O_RDONLY);
    assert_true(fd >= 0);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        want = crc32(want, buf, (uInt)n);
        total += n;
    }
    close(fd);
    synced_checked++;
    if ((unsigned long long)total != size || want != crc)
        synced_wrong++;
}

void printk(int level, const char *fmt, ...)
{
    char line[SHIM_LINE];
    va_list ap;

    (void)level;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    line[strcspn(line, "\n")] = 0;
    if (strncmp(line, "fsstress: synced ", 17) == 0)
        check_synced(line);
    if (strncmp(line, "fsstress: error ", 16) == 0) {
        errors++;
        print_message("%s\n", line);
    }
    if (log_count < LOG_MAX)
        log_lines[log_count++] = strdup(line);
}

/* A VFS call that changes something: the last line logged must name its path. */
static void called(const char *path)
{
    const char *last = log_count ? log_lines[log_count - 1] : "";
    const char *at = last;
    size_t n = strlen(path);

    while ((at = strstr(at, path)) && ((at[n] != 0 && at[n] != ' ') || at[-1] != ' '))
        at += n;                        /* a longer name that begins with path: not it */
    if (strncmp(last, "fsstress: ", 10) != 0 || !at) {
        calls_unlogged++;
        print_message("a call on %s after the line: %s\n", path, last);
    }
}

static int ret(int rc)
{
    return rc < 0 ? -host_errno : rc;
}

/* ---- the VFS, as a shim over the host's folder ---- */

static struct fs_type type_tmpfs = { .name = "tmpfs" }, type_ext2 = { .name = "ext2" },
                      type_vfat = { .name = "vfat" }, type_devfs = { .name = "devfs" };
static struct super_block sb_tmp, sb_root, sb_boot, sb_dev, sb_ro;
static struct mount m_tmp, m_root, m_boot, m_dev, m_ro;

static void mount_as(struct mount *m, struct super_block *sb, struct fs_type *t, const char *path,
                     const char *source, unsigned long flags, struct mount *next)
{
    memset(sb, 0, sizeof *sb);
    sb->type = t;
    sb->flags = flags;
    memset(m, 0, sizeof *m);
    m->sb = sb;
    snprintf(m->path, sizeof m->path, "%s", path);
    snprintf(m->source, sizeof m->source, "%s", source);
    m->next = next;
}

struct mount *vfs_mounts(void)
{
    return &m_tmp;
}

int vfs_open(const struct vfs_path *at, const char *path, unsigned flags, uint32_t mode, struct file **out)
{
    char hp[SHIM_LINE];
    int fd;

    (void)at;
    if (flags & O_CREAT)
        called(path);
    host_path(path, hp);
    fd = open(hp, (int)flags, mode);
    if (fd < 0)
        return -host_errno;
    *out = calloc(1, sizeof **out);
    (*out)->priv = (void *)(intptr_t)fd;
    return 0;
}

void file_put(struct file *f)
{
    close((int)(intptr_t)f->priv);
    free(f);
}

long vfs_write(struct file *f, const void *buf, size_t len)
{
    return ret((int)write((int)(intptr_t)f->priv, buf, len));
}

long vfs_pwrite(struct file *f, const void *buf, size_t len, uint64_t pos)
{
    return ret((int)pwrite((int)(intptr_t)f->priv, buf, len, (off_t)pos));
}

long vfs_pread(struct file *f, void *buf, size_t len, uint64_t pos)
{
    return ret((int)pread((int)(intptr_t)f->priv, buf, len, (off_t)pos));
}

int vfs_fsync(struct file *f)
{
    return ret(fsync((int)(intptr_t)f->priv));
}

int vfs_stat(const struct vfs_path *at, const char *path, int follow, struct vfs_stat *st)
{
    char hp[SHIM_LINE];
    struct stat s;

    (void)at;
    (void)follow;
    host_path(path, hp);
    if (stat(hp, &s) < 0)
        return -host_errno;
    memset(st, 0, sizeof *st);
    st->dev = s.st_dev;
    st->ino = s.st_ino;
    st->nlink = (uint32_t)s.st_nlink;
    st->size = (uint64_t)s.st_size;
    return 0;
}

#define SHIM_PATH_CALL(name, call)                              \
    int name(const struct vfs_path *at, const char *path)       \
    {                                                           \
        char hp[SHIM_LINE];                                      \
        (void)at;                                               \
        called(path);                                           \
        host_path(path, hp);                                    \
        return ret(call);                                       \
    }
SHIM_PATH_CALL(vfs_rmdir, rmdir(hp))
SHIM_PATH_CALL(vfs_unlink, unlink(hp))

int vfs_mkdir(const struct vfs_path *at, const char *path, uint32_t mode)
{
    char hp[SHIM_LINE];

    (void)at;
    called(path);
    host_path(path, hp);
    return ret(mkdir(hp, mode));
}

int vfs_truncate(const struct vfs_path *at, const char *path, uint64_t size)
{
    char hp[SHIM_LINE];

    (void)at;
    called(path);
    host_path(path, hp);
    return ret(truncate(hp, (off_t)size));
}

int vfs_link(const struct vfs_path *at, const char *old, const char *new_path)
{
    char ho[SHIM_LINE], hn[SHIM_LINE];

    (void)at;
    called(old);
    called(new_path);
    if (strncmp(old, "/boot/", 6) == 0)
        return -EPERM;                  /* the FAT mount: no hard links */
    host_path(old, ho);
    host_path(new_path, hn);
    return ret(link(ho, hn));
}

int vfs_rename(const struct vfs_path *at, const char *old, const char *new_path, unsigned flags)
{
    char ho[SHIM_LINE], hn[SHIM_LINE];

    (void)at;
    (void)flags;
    called(old);
    called(new_path);
    host_path(old, ho);
    host_path(new_path, hn);
    return ret(rename(ho, hn));
}

int vfs_sync(void)
{
    sync();
    return 0;
}

/* ---- the tests ---- */

static void fresh_root(void)
{
    char boot[SHIM_LINE];

    snprintf(root_dir, sizeof root_dir, "/tmp/test_fsstress.XXXXXX");
    assert_non_null(mkdtemp(root_dir));
    snprintf(boot, sizeof boot, "%s/boot", root_dir);
    assert_int_equal(mkdir(boot, 0755), 0);
    for (unsigned i = 0; i < log_count; i++)
        free(log_lines[i]);
    log_count = synced_checked = synced_wrong = calls_unlogged = errors = 0;
    /* in vfs_mounts' order: the boot tmpfs, hidden by the ext2 root mounted later on "/" */
    mount_as(&m_ro, &sb_ro, &type_ext2, "/ro", "sdb1", MS_RDONLY, NULL);
    mount_as(&m_dev, &sb_dev, &type_devfs, "/dev", "devfs", 0, &m_ro);
    mount_as(&m_boot, &sb_boot, &type_vfat, "/boot", "sda1", 0, &m_dev);
    mount_as(&m_root, &sb_root, &type_ext2, "/", "sda2", 0, &m_boot);
    mount_as(&m_tmp, &sb_tmp, &type_tmpfs, "/", "tmpfs", 0, &m_root);
}

static unsigned count_prefix(const char *prefix)
{
    unsigned n = 0;

    for (unsigned i = 0; i < log_count; i++)
        n += strncmp(log_lines[i], prefix, strlen(prefix)) == 0;
    return n;
}

static void run(uint64_t seed, uint64_t ops)
{
    char cmd[SHIM_LINE];

    fresh_root();
    assert_int_equal(fsstress_run(seed, ops), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root_dir);
    assert_int_equal(system(cmd), 0);
}

static void test_synced_lines_match_the_files(void **state)
{
    (void)state;
    run(7, 3000);
    assert_true(synced_checked > 100);
    assert_int_equal(synced_wrong, 0);
    assert_int_equal(calls_unlogged, 0);
    assert_int_equal(errors, 0);
    assert_int_equal(count_prefix("fsstress: done 3000 ops, vfs_sync 0"), 1);
}

static void test_only_visible_writable_mounts(void **state)
{
    (void)state;
    run(3, 500);
    assert_int_equal(count_prefix("fsstress: fs "), 2);
    assert_int_equal(count_prefix("fsstress: fs / type=ext2 source=sda2 work=/fsstress"), 1);
    assert_int_equal(count_prefix("fsstress: fs /boot type=vfat source=sda1 work=/boot/fsstress"), 1);
    assert_int_equal(count_prefix("fsstress: create /ro"), 0);
    assert_int_equal(count_prefix("fsstress: create /dev"), 0);
    assert_true(count_prefix("fsstress: create /boot/fsstress/") > 0);
}

static void test_a_seed_gives_one_log(void **state)
{
    char **first = calloc(LOG_MAX, sizeof *first);
    unsigned n, same = 1;

    (void)state;
    run(11, 800);
    n = log_count;
    for (unsigned i = 0; i < n; i++)
        first[i] = strdup(log_lines[i]);
    run(11, 800);
    assert_int_equal(log_count, n);
    for (unsigned i = 0; i < n; i++)
        same &= strcmp(first[i], log_lines[i]) == 0;
    assert_true(same);
    run(12, 800);
    same = log_count == n;
    for (unsigned i = 0; same && i < n; i++)
        same &= strcmp(first[i], log_lines[i]) == 0;
    assert_false(same);
    for (unsigned i = 0; i < n; i++)
        free(first[i]);
    free(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synced_lines_match_the_files),
        cmocka_unit_test(test_only_visible_writable_mounts),
        cmocka_unit_test(test_a_seed_gives_one_log),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
