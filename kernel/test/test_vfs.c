/*
 * test_vfs.c - the VFS's operations on tmpfs, each with the errors POSIX
 * gives for it (kernel/fs/, docs/files.md).
 *
 *   vfs_tmpfs_files      create, write, read, lseek, pread/pwrite, stat,
 *                        truncate (shrink zeroes, grow reads zeros),
 *                        O_APPEND, O_TRUNC, O_EXCL, O_DIRECTORY, fsync,
 *                        vfs_read_file / vfs_write_file
 *   vfs_tmpfs_dirs       mkdir, readdir ("." and ".." included, every name
 *                        once), rmdir (ENOTEMPTY, ENOTDIR, EINVAL on "."),
 *                        nlink of directories, statfs
 *   vfs_readdir_resume   a listing read three names per call, with a name
 *                        already listed removed and one added between the
 *                        calls: every name listed exactly once, none skipped
 *   vfs_links            hard links (nlink, the same inode), symbolic links
 *                        (readlink, followed by open, not by lstat), link of
 *                        a directory EPERM
 *   vfs_unlink_open_file an unlinked file is read and written through its
 *                        open file until the last close, then gone; a
 *                        removed directory still open takes no new names
 *   vfs_rename_rules     rename over a file, across directories, onto itself,
 *                        a directory into its own subtree (EINVAL), over a
 *                        non-empty directory (ENOTEMPTY), file over directory
 *                        (EISDIR) and back (ENOTDIR), RENAME_NOREPLACE
 *   vfs_setattr_times    chmod, chown, utimes through vfs_setattr; mtime
 *                        moves on write
 */
#include <string.h>

#include "fs/vfs_impl.h"
#include "test/ktest.h"
#include "test/test_vfs.h"

/* A tmpfs of the test's own at /t_vfs, whatever "/" is (tmpfs, an initramfs, a disk's root):
 * the tests never write to the real root, and the umount at the end proves every file and
 * walk of the test let go (it is EBUSY otherwise). */
void vt_run(struct ktest *t, void (*body)(struct ktest *t))
{
    int made = vfs_mkdir(NULL, "/t_vfs", 0755);

    if (made != 0 && made != -EEXIST) {
        KTEST_SKIP(t, "no /t_vfs for the test's tmpfs (mkdir: %d)", made);
        return;
    }
    if (!KTEST_ASSERT_EQ(t, vfs_mount("vt", "/t_vfs", "tmpfs", 0, NULL), 0))
        return;
    body(t);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs"), 0);
    if (made == 0)
        KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs"), 0);
}

long vt_put(const char *path, const char *text)
{
    return vfs_write_file(path, text, strlen(text));
}

/* The file's bytes as a string (at most size - 1), or "" and -errno. */
long vt_get(const char *path, char *buf, size_t size)
{
    long n = vfs_read_file(path, buf, size - 1);

    buf[n > 0 ? n : 0] = '\0';
    return n;
}

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    struct vt_names *v = ctx;

    (void)ino;
    (void)type;
    v->count++;
    if (v->len + len + 2 > sizeof(v->text))
        return 0;                       /* counted, not kept */
    memcpy(v->text + v->len, name, len);
    v->len += len;
    v->text[v->len++] = ' ';
    v->text[v->len] = '\0';
    return 0;
}

int vt_list(const char *path, struct vt_names *v)
{
    struct file *f;
    int err = vfs_open(NULL, path, O_RDONLY | O_DIRECTORY, 0, &f);

    memset(v, 0, sizeof(*v));
    if (err)
        return err;
    err = vfs_readdir(f, collect, v);
    file_put(f);
    return err;
}

/* Whether the space-separated list has word. */
int vt_has(const struct vt_names *v, const char *word)
{
    size_t n = strlen(word);

    for (const char *s = v->text; *s; ) {
        const char *e = strchr(s, ' ');
        if ((size_t)(e - s) == n && memcmp(s, word, n) == 0)
            return 1;
        s = e + 1;
    }
    return 0;
}

static uint64_t ino_of(const char *path, int follow)
{
    struct vfs_stat st;

    return vfs_stat(NULL, path, follow, &st) ? 0 : st.ino;
}

static void tmpfs_files_body(struct ktest *t)
{
    struct file *f;
    struct vfs_stat st;
    char buf[64];

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_files", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files/a", O_RDWR | O_CREAT | O_EXCL, 0644, &f), 0);
    if (!f)
        return;
    KTEST_ASSERT_EQ(t, vfs_write(f, "hello, world", 12), 12);
    KTEST_ASSERT_EQ(t, vfs_lseek(f, 7, SEEK_SET), 7);
    KTEST_ASSERT_EQ(t, vfs_read(f, buf, sizeof(buf)), 5);
    KTEST_ASSERT(t, memcmp(buf, "world", 5) == 0);
    KTEST_ASSERT_EQ(t, vfs_read(f, buf, sizeof(buf)), 0);               /* end of file */
    KTEST_ASSERT_EQ(t, vfs_lseek(f, -5, SEEK_END), 7);
    KTEST_ASSERT_EQ(t, vfs_lseek(f, -100, SEEK_CUR), -EINVAL);
    KTEST_ASSERT_EQ(t, vfs_pwrite(f, "W", 1, 7), 1);
    KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 5, 7), 5);
    KTEST_ASSERT(t, memcmp(buf, "World", 5) == 0);
    KTEST_ASSERT_EQ(t, vfs_fstat(f, &st), 0);
    KTEST_ASSERT_EQ(t, st.size, 12);
    KTEST_ASSERT(t, S_ISREG(st.mode) && (st.mode & 0777) == 0644 && st.nlink == 1);
    /* a hole: written past the end, the gap reads as zeros */
    KTEST_ASSERT_EQ(t, vfs_pwrite(f, "z", 1, 10000), 1);
    KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 4, 5000), 4);
    KTEST_ASSERT(t, buf[0] == 0 && buf[3] == 0);
    /* shrink then grow: the cut bytes come back as zeros */
    KTEST_ASSERT_EQ(t, vfs_ftruncate(f, 5), 0);
    KTEST_ASSERT_EQ(t, vfs_ftruncate(f, 9), 0);
    KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 20, 0), 9);
    KTEST_ASSERT(t, memcmp(buf, "hello\0\0\0\0", 9) == 0);
    KTEST_ASSERT_EQ(t, vfs_fsync(f), 0);
    file_put(f);

    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files/a", O_RDWR | O_CREAT | O_EXCL, 0644, &f), -EEXIST);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files/missing", O_RDONLY, 0, &f), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files/a", O_RDONLY | O_DIRECTORY, 0, &f), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files", O_WRONLY, 0, &f), -EISDIR);
    /* O_APPEND writes at the end whatever the offset */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files/a", O_WRONLY | O_APPEND, 0, &f), 0);
    if (f) {
        KTEST_ASSERT_EQ(t, vfs_lseek(f, 0, SEEK_SET), 0);
        KTEST_ASSERT_EQ(t, vfs_write(f, "!", 1), 1);
        KTEST_ASSERT_EQ(t, vfs_read(f, buf, 1), -EBADF);                /* write-only */
        file_put(f);
    }
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_files/a", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.size, 10);
    /* O_TRUNC empties it */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_files/a", O_WRONLY | O_TRUNC, 0, &f), 0);
    if (f)
        file_put(f);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_files/a", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.size, 0);
    /* the whole-file helpers */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_files/b", "contents"), 8);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_files/b", buf, sizeof(buf)), 8);
    KTEST_ASSERT_STR_EQ(t, buf, "contents");
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_files/b", "new"), 3);                 /* truncates */
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_files/b", buf, sizeof(buf)), 3);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/t_vfs/t_files/b", 1), 0);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_files/b", buf, sizeof(buf)), 1);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/t_vfs/t_files", 1), -EISDIR);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_files/a"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_files/b"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_files"), 0);
}

static void tmpfs_dirs_body(struct ktest *t)
{
    struct vt_names v;
    struct vfs_stat st;
    struct vfs_statfs sf;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dirs", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dirs", 0755), -EEXIST);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dirs/x/y", 0755), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dirs/d1", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dirs/d2/", 0755), 0);       /* a trailing slash is fine */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_dirs/f", "x"), 1);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dirs/f/sub", 0755), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vt_list("/t_vfs/t_dirs", &v), 0);
    KTEST_ASSERT_EQ(t, v.count, 5);
    KTEST_ASSERT(t, vt_has(&v, ".") && vt_has(&v, "..") && vt_has(&v, "d1") && vt_has(&v, "d2") &&
                    vt_has(&v, "f"));
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_dirs", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.nlink, 4);                                    /* ".", its name, two ".." */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_dirs/d1/g", "y"), 1);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/d1"), -ENOTEMPTY);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/f"), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/d2/."), -EINVAL);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/d2/.."), -ENOTEMPTY);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_dirs/d2"), -EISDIR);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_dirs/f/"), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_dirs/d1/g"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/d1"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/d1"), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs/d2/"), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_dirs", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.nlink, 2);
    KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/t_vfs/t_dirs", &sf), 0);
    KTEST_ASSERT_EQ(t, sf.magic, 0x01021994);
    KTEST_ASSERT_EQ(t, sf.namelen, NAME_MAX);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_dirs/f"), 0);
    KTEST_ASSERT_EQ(t, vt_list("/t_vfs/t_dirs", &v), 0);
    KTEST_ASSERT_EQ(t, v.count, 2);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dirs"), 0);
}

struct take3 {
    unsigned seen[16];                  /* times each "nN" was listed */
    unsigned calls_left, others;
};

static int take3(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
    struct take3 *k = ctx;

    (void)ino;
    (void)type;
    if (k->calls_left == 0)
        return 1;                       /* not consumed: the next call starts here */
    k->calls_left--;
    if (len >= 2 && name[0] == 'n') {
        unsigned i = (unsigned)(name[1] - 'a');
        if (i < 16)
            k->seen[i]++;
    } else {
        k->others++;
    }
    return 0;
}

static void readdir_resume_body(struct ktest *t)
{
    struct take3 k = { 0 };
    char path[32];
    struct file *f;
    int calls = 0;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_rd", 0755), 0);
    for (int i = 0; i < 12; i++) {
        vt_strcpy(path, "/t_vfs/t_rd/na");
        path[strlen(path) - 1] = (char)('a' + i);
        KTEST_ASSERT_EQ(t, vt_put(path, "x"), 1);
    }
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_rd", O_RDONLY | O_DIRECTORY, 0, &f), 0);
    if (!f)
        return;
    for (;;) {
        k.calls_left = 3;
        KTEST_ASSERT_EQ(t, vfs_readdir(f, take3, &k), 0);
        if (k.calls_left == 3 || ++calls > 20)
            break;                      /* nothing more */
        if (calls == 2) {               /* between calls: a name already listed gone, one new */
            KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_rd/na"), 0);
            KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_rd/nm", "new"), 3);
        }
    }
    file_put(f);
    KTEST_ASSERT_EQ(t, k.others, 2);                                   /* "." and ".." */
    for (int i = 0; i < 12; i++)
        KTEST_ASSERT_EQ(t, k.seen[i], 1);                               /* none skipped or repeated */
    KTEST_ASSERT(t, k.seen[12] <= 1);                                   /* the new one: at most once */
    for (int i = 1; i < 13; i++) {
        vt_strcpy(path, "/t_vfs/t_rd/na");
        path[strlen(path) - 1] = (char)('a' + i);
        KTEST_ASSERT_EQ(t, vfs_unlink(NULL, path), 0);
    }
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_rd"), 0);
}

static void links_body(struct ktest *t)
{
    struct vfs_stat st;
    char buf[64];

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_links", 0755), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_links/a", "data"), 4);
    KTEST_ASSERT_EQ(t, vfs_link(NULL, "/t_vfs/t_links/a", "/t_vfs/t_links/b"), 0);
    KTEST_ASSERT_EQ(t, vfs_link(NULL, "/t_vfs/t_links/a", "/t_vfs/t_links/b"), -EEXIST);
    KTEST_ASSERT_EQ(t, vfs_link(NULL, "/t_vfs/t_links", "/t_vfs/t_links/dir"), -EPERM);
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_links/a", 0), ino_of("/t_vfs/t_links/b", 0));
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/b", 0, &st), 0);
    KTEST_ASSERT_EQ(t, st.nlink, 2);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_links/a"), 0);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_links/b", buf, sizeof(buf)), 4);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/b", 0, &st), 0);
    KTEST_ASSERT_EQ(t, st.nlink, 1);
    /* symbolic links: relative and absolute, followed by open and stat, not by lstat */
    KTEST_ASSERT_EQ(t, vfs_symlink("b", NULL, "/t_vfs/t_links/rel"), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("/t_vfs/t_links/b", NULL, "/t_vfs/t_links/abs"), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("nowhere", NULL, "/t_vfs/t_links/dangling"), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("x", NULL, "/t_vfs/t_links/rel"), -EEXIST);
    KTEST_ASSERT_EQ(t, vfs_readlink(NULL, "/t_vfs/t_links/abs", buf, sizeof(buf)), 16);
    KTEST_ASSERT(t, memcmp(buf, "/t_vfs/t_links/b", 16) == 0);
    KTEST_ASSERT_EQ(t, vfs_readlink(NULL, "/t_vfs/t_links/b", buf, sizeof(buf)), -EINVAL);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_links/rel", buf, sizeof(buf)), 4);
    KTEST_ASSERT_STR_EQ(t, buf, "data");
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_links/abs", buf, sizeof(buf)), 4);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/rel", 0, &st), 0);
    KTEST_ASSERT(t, S_ISLNK(st.mode) && st.size == 1);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/rel", 1, &st), 0);
    KTEST_ASSERT(t, S_ISREG(st.mode) && st.size == 4);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/dangling", 1, &st), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/dangling", 0, &st), 0);
    /* a link to a directory, walked through */
    KTEST_ASSERT_EQ(t, vfs_symlink("/t_vfs/t_links", NULL, "/t_vfs/t_links/up"), 0);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_links/up/up/up/b", buf, sizeof(buf)), 4);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_links/up/", 0, &st), 0);       /* the slash follows it */
    KTEST_ASSERT(t, S_ISDIR(st.mode));
    for (const char *n = "b\0rel\0abs\0dangling\0up\0"; *n; n += strlen(n) + 1) {
        char path[32] = "/t_vfs/t_links/";
        vt_strcat(path, n);
        KTEST_ASSERT_EQ(t, vfs_unlink(NULL, path), 0);
    }
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_links"), 0);
}

static void unlink_open_file_body(struct ktest *t)
{
    struct file *f, *g;
    struct vfs_stat st;
    char buf[16];

    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_unlinked", "still here"), 10);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_unlinked", O_RDWR, 0, &f), 0);
    if (!f)
        return;
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_unlinked"), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_unlinked", 0, &st), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_unlinked", O_RDONLY, 0, &g), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 16, 0), 10);
    KTEST_ASSERT(t, memcmp(buf, "still here", 10) == 0);
    KTEST_ASSERT_EQ(t, vfs_pwrite(f, "S", 1, 0), 1);
    KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 1, 0), 1);
    KTEST_ASSERT_EQ(t, buf[0], 'S');
    KTEST_ASSERT_EQ(t, vfs_fstat(f, &st), 0);
    KTEST_ASSERT_EQ(t, st.nlink, 0);
    /* a new file of the same name is another file */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_unlinked", "new"), 3);
    KTEST_ASSERT_EQ(t, vfs_pread(f, buf, 16, 0), 10);
    file_put(f);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_unlinked", buf, sizeof(buf)), 3);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_unlinked"), 0);
    /* a removed directory still open: it lists "." and "..", and takes no new names */
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_dead", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_dead/missing", 1, &st), -ENOENT);  /* a negative child */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_dead", O_RDONLY | O_DIRECTORY, 0, &f), 0);
    if (!f)
        return;
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_dead"), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(&f->path, "x", 0755), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_open(&f->path, "y", O_CREAT | O_WRONLY, 0644, &g), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_symlink("z", &f->path, "z"), -ENOENT);
    file_put(f);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_dead", 0, &st), -ENOENT);
}

static void rename_rules_body(struct ktest *t)
{
    struct vt_names v;
    char buf[16];
    uint64_t ino;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_ren", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_ren/d", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_ren/d/sub", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_ren/full", 0755), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_ren/full/x", "x"), 1);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_ren/empty", 0755), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_ren/a", "A"), 1);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_ren/b", "B"), 1);
    ino = ino_of("/t_vfs/t_ren/a", 0);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/a", "/t_vfs/t_ren/b", RENAME_NOREPLACE), -EEXIST);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/a", "/t_vfs/t_ren/b", 0), 0);    /* replaces b */
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_ren/b", buf, sizeof(buf)), 1);
    KTEST_ASSERT_STR_EQ(t, buf, "A");
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_ren/b", 0), ino);
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_ren/a", 0), 0);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/b", "/t_vfs/t_ren/b", 0), 0);    /* itself: nothing */
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/missing", "/t_vfs/t_ren/c", 0), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/d", "/t_vfs/t_ren/d/sub/in", 0), -EINVAL);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/d", "/t_vfs/t_ren/d/in", 0), -EINVAL);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/d", "/t_vfs/t_ren/full", 0), -ENOTEMPTY);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/b", "/t_vfs/t_ren/empty", 0), -EISDIR);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/d", "/t_vfs/t_ren/b", 0), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/d/..", "/t_vfs/t_ren/e", 0), -EBUSY);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/b/", "/t_vfs/t_ren/c", 0), -ENOTDIR);
    /* a directory over an empty one, then across directories with its contents */
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/d", "/t_vfs/t_ren/empty", 0), 0);
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_ren/empty/sub", 0) != 0, 1);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/empty", "/t_vfs/t_ren/full/moved", 0), 0);
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_ren/full/moved/sub/..", 0), ino_of("/t_vfs/t_ren/full/moved", 0));
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_ren/full/moved/..", 0), ino_of("/t_vfs/t_ren/full", 0));
    KTEST_ASSERT_EQ(t, vt_list("/t_vfs/t_ren", &v), 0);
    KTEST_ASSERT_EQ(t, v.count, 4);                                     /* . .. full b */
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_ren/b", "/t_vfs/t_ren/full/moved/sub/b", 0), 0);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_ren/full/moved/sub/b", buf, sizeof(buf)), 1);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_ren/full/moved/sub/b"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_ren/full/moved/sub"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_ren/full/moved"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_ren/full/x"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_ren/full"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_ren"), 0);
}

static void setattr_times_body(struct ktest *t)
{
    struct vfs_attr a = { 0 };
    struct vfs_stat st, st2;
    struct file *f;

    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_attr", "x"), 1);
    a.mask = ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_MTIME;
    a.mode = 0600;
    a.uid = 1000;
    a.gid = 100;
    a.mtime.sec = 1234567890;
    KTEST_ASSERT_EQ(t, vfs_setattr(NULL, "/t_vfs/t_attr", 1, &a), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_attr", 1, &st), 0);
    KTEST_ASSERT_EQ(t, st.mode, S_IFREG | 0600);
    KTEST_ASSERT(t, st.uid == 1000 && st.gid == 100);
    KTEST_ASSERT_EQ(t, st.mtime.sec, 1234567890);
    KTEST_ASSERT(t, st.ctime.sec > 1234567890);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_attr", O_WRONLY, 0, &f), 0);
    if (f) {
        KTEST_ASSERT_EQ(t, vfs_write(f, "y", 1), 1);
        file_put(f);
    }
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_attr", 1, &st2), 0);
    KTEST_ASSERT(t, st2.mtime.sec > st.mtime.sec);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_attr"), 0);
}

/* ---- the ktests: each in a tmpfs of its own at /t_vfs (test_vfs.h) ---- */

void ktest_vfs_tmpfs_files(struct ktest *t)
{
    vt_run(t, tmpfs_files_body);
}

void ktest_vfs_tmpfs_dirs(struct ktest *t)
{
    vt_run(t, tmpfs_dirs_body);
}

void ktest_vfs_readdir_resume(struct ktest *t)
{
    vt_run(t, readdir_resume_body);
}

void ktest_vfs_links(struct ktest *t)
{
    vt_run(t, links_body);
}

void ktest_vfs_unlink_open_file(struct ktest *t)
{
    vt_run(t, unlink_open_file_body);
}

void ktest_vfs_rename_rules(struct ktest *t)
{
    vt_run(t, rename_rules_body);
}

void ktest_vfs_setattr_times(struct ktest *t)
{
    vt_run(t, setattr_times_body);
}
