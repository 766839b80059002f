/*
 * test_initramfs.c - ktests of the initramfs (kernel/fs/cpio/initramfs.c),
 * on a machine that booted with root=initramfs or the default with a .cpio
 * module (tests/build.mk's bios-rootfs.img; skipped elsewhere: ktest.sh
 * knows from the "[initramfs] N files" line):
 *   initramfs_matches_archive  every entry of the module, read again from the
 *                              module (made by the host's cpio), is in the tree:
 *                              its type, mode bits, owner, mtime, link count; a
 *                              file's bytes equal the archive's byte for byte, a
 *                              symbolic link's target too
 *   initramfs_damaged_archive  the module cut in the middle of its largest file,
 *                              unpacked into a fresh tmpfs: -EINVAL, and the
 *                              entries before the cut are there
 */
#include <string.h>

#include "arch.h"
#include "boot/bootinfo_view.h"
#include "errno.h"
#include "format.h"
#include "fs/cpio/cpio.h"
#include "fs/cpio/initramfs.h"
#include "fs/root.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "test/ktest.h"

#define CHUNK       4096
#define SCRATCH_DIR "/ktest-initramfs"

static const uint8_t *module_bytes(size_t *len)
{
    const struct bootinfo_module *m = bootinfo_module((unsigned)initramfs_module());

    *len = m->size;
    return arch_phys_to_virt(m->addr);
}

/* dir + the entry's name without "./" or "/" in front. */
static void tree_path(char *out, size_t size, const char *dir, const char *name)
{
    while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
        name += name[0] == '/' ? 1 : 2;
    format_snprintf(out, size, "%s/%s", dir, name);
}

/* The file's bytes against the entry's, CHUNK at a time. */
static void compare_file(struct ktest *t, const char *path, const struct cpio_entry *e, uint8_t *buf)
{
    struct file *f;
    uint64_t at = 0;

    if (vfs_open(NULL, path, O_RDONLY, 0, &f) != 0) {
        ktest_fail(t, __FILE__, __LINE__, "cannot open %s", path);
        return;
    }
    while (at < e->size) {
        size_t n = e->size - at < CHUNK ? (size_t)(e->size - at) : CHUNK;

        if (vfs_read(f, buf, n) != (long)n || memcmp(buf, e->data + at, n) != 0) {
            ktest_fail(t, __FILE__, __LINE__, "%s differs from the archive in bytes %llu..%llu", path,
                       (unsigned long long)at, (unsigned long long)(at + n));
            break;
        }
        at += n;
    }
    KTEST_ASSERT_EQ(t, vfs_read(f, buf, 1), 0);
    file_put(f);
}

static void check_entry(struct ktest *t, const struct cpio_entry *e, char *path, uint8_t *buf)
{
    struct vfs_stat st;

    tree_path(path, PATH_MAX, "", e->name);
    if (strcmp(path, "/.") == 0 || strcmp(path, "/") == 0)
        return;                         /* the root: /dev, /proc, /boot were made in it since */
    if (vfs_stat(NULL, path, 0, &st) != 0) {
        ktest_fail(t, __FILE__, __LINE__, "%s from the archive is not in the tree", path);
        return;
    }
    if (!KTEST_ASSERT_EQ(t, st.mode & S_IFMT, e->mode & S_IFMT))
        return;
    if (!S_ISLNK(e->mode))
        KTEST_ASSERT_EQ(t, st.mode & 07777, e->mode & 07777);
    KTEST_ASSERT_EQ(t, st.uid, e->uid);
    KTEST_ASSERT_EQ(t, st.mtime.sec, e->mtime);
    if (S_ISREG(e->mode)) {
        KTEST_ASSERT_EQ(t, st.nlink, e->nlink);
        if (e->size)                    /* GNU cpio gives a hard link's data to its last name */
            compare_file(t, path, e, buf);
    } else if (S_ISLNK(e->mode)) {
        int n = vfs_readlink(NULL, path, (char *)buf, CHUNK);

        KTEST_ASSERT(t, n == (int)e->size && memcmp(buf, e->data, e->size) == 0);
    }
}

void ktest_initramfs_matches_archive(struct ktest *t)
{
    char *path = kmalloc(PATH_MAX);
    uint8_t *buf = kmalloc(CHUNK);
    struct cpio_reader r;
    struct cpio_entry e;
    const uint8_t *a;
    unsigned n = 0;
    size_t len;

    if (strcmp(root_source(), "initramfs") != 0 || initramfs_module() < 0) {
        kfree(path), kfree(buf);
        KTEST_SKIP(t, "the root is %s, not the initramfs", root_source());
        return;
    }
    if (!KTEST_ASSERT(t, path && buf))
        return;
    a = module_bytes(&len);
    cpio_reader_init(&r, a, len);
    while (cpio_next(&r, &e) == 1) {
        check_entry(t, &e, path, buf);
        n++;
    }
    KTEST_ASSERT_EQ(t, r.status, 0);
    KTEST_ASSERT(t, n > 1);
    kfree(path);
    kfree(buf);
}

/* The offset of the middle of the largest file's data in the archive, and the entries before it. */
static size_t cut_in_largest(const uint8_t *a, size_t len, unsigned *before)
{
    struct cpio_reader r;
    struct cpio_entry e;
    uint32_t best = 0;
    size_t cut = 0;
    unsigned i = 0;

    cpio_reader_init(&r, a, len);
    while (cpio_next(&r, &e) == 1) {
        if (S_ISREG(e.mode) && e.size > best) {
            best = e.size;
            cut = (size_t)(e.data - a) + e.size / 2;
            *before = i;
        }
        i++;
    }
    return cut;
}

void ktest_initramfs_damaged_archive(struct ktest *t)
{
    struct initramfs_stats st;
    unsigned before = 0;
    size_t len, cut;
    const uint8_t *a;
    uint8_t *copy;

    if (strcmp(root_source(), "initramfs") != 0 || initramfs_module() < 0) {
        KTEST_SKIP(t, "the root is %s, not the initramfs", root_source());
        return;
    }
    a = module_bytes(&len);
    cut = cut_in_largest(a, len, &before);
    if (!KTEST_ASSERT(t, cut > 0) || !KTEST_ASSERT(t, (copy = kmalloc(cut)) != NULL))
        return;
    memcpy(copy, a, cut);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, SCRATCH_DIR, 0755), 0);
    if (KTEST_ASSERT_EQ(t, vfs_mount("tmpfs", SCRATCH_DIR, "tmpfs", 0, NULL), 0)) {
        KTEST_ASSERT_EQ(t, initramfs_unpack(copy, cut, SCRATCH_DIR, &st), -EINVAL);
        KTEST_ASSERT(t, st.entries + st.failed >= before && st.entries <= before);
        KTEST_ASSERT_EQ(t, st.failed, 0);
        KTEST_ASSERT_EQ(t, vfs_umount(SCRATCH_DIR), 0);
    }
    vfs_rmdir(NULL, SCRATCH_DIR);
    kfree(copy);
}
