/*
 * test_vfs_walk.c - the path walk, the dentry cache, mounts and permissions
 * (kernel/fs/namei.c, dcache.c, mount.c, perm.c).
 *
 *   vfs_names_limits      NAME_MAX 255 accepted, 256 ENAMETOOLONG; a path of
 *                         PATH_MAX - 1 bytes walks, PATH_MAX bytes do not;
 *                         ".", "..", "/.." is "/", trailing slashes, empty
 *                         paths, relative paths from a directory
 *   vfs_symlink_limits    a chain of 40 links is followed, 41 is ELOOP; loops
 *                         (a->b->a, a link to itself) ELOOP; O_NOFOLLOW ELOOP
 *   vfs_negative_dentries a missing name asked twice: the second answer comes
 *                         from a negative entry (no dcache miss); the entry
 *                         turns positive on create and negative on unlink
 *   vfs_dcache_bounded    10,000 missing names asked: the cache keeps at most
 *                         its limit of entries (the oldest unused pruned),
 *                         and answers stay right
 *   vfs_deep_tree         200 nested directories: made, walked down in one
 *                         path and up with "..", removed
 *   vfs_mounts            a tmpfs on a directory: crossing down and up (".."),
 *                         its own st_dev, EXDEV across, EBUSY while a file is
 *                         open or a mount sits below, EINVAL on no mountpoint,
 *                         the files gone after umount; a read-only mount
 *                         refuses changes (EROFS)
 *   vfs_permissions       as uid 1000: mode bits refuse reading, writing and
 *                         searching (EACCES), the sticky bit refuses removing
 *                         another's file (EPERM), chmod of another's file
 *                         EPERM; a file made with O_CREAT opens as asked
 */
#include <string.h>

#include "format.h"
#include "fs/vfs_impl.h"
#include "mm/heap.h"
#include "test/ktest.h"
#include "test/test_vfs.h"

static uint64_t ino_of(const char *path)
{
    struct vfs_stat st;

    return vfs_stat(NULL, path, 1, &st) ? 0 : st.ino;
}

static const char utf8_name[] = "/t_vfs/t_names/\xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9" "-\xe5\x90\x8d\xe5\x89\x8d";
static const char utf8_upper[] = "/t_vfs/t_names/\xc3\x9c" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9" "-\xe5\x90\x8d\xe5\x89\x8d";

static void names_limits_body(struct ktest *t)
{
    char *path = kmalloc(PATH_MAX + 16);
    struct vfs_stat st;
    struct file *dir;
    size_t n;

    if (!KTEST_ASSERT(t, path != NULL))
        return;
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_names", 0755), 0);
    vt_strcpy(path, "/t_vfs/t_names/");
    n = strlen(path);
    memset(path + n, 'n', 255);
    path[n + 255] = '\0';
    KTEST_ASSERT_EQ(t, vt_put(path, "long"), 4);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, path, 1, &st), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, path), 0);
    vt_strcat(path, "n");                                  /* 256 bytes */
    KTEST_ASSERT_EQ(t, vt_put(path, "long"), -ENAMETOOLONG);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, path, 1, &st), -ENAMETOOLONG);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, path, 0755), -ENAMETOOLONG);
    /* PATH_MAX - 1 bytes of "/t_vfs/t_names/././.../f" walk; one more byte does not */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_names/f", "f"), 1);
    vt_strcpy(path, "/t_vfs/t_names");
    for (n = strlen(path); n + 2 <= PATH_MAX - 1 - 2; n += 2)
        memcpy(path + n, "/.", 2);
    if (n + 2 < PATH_MAX - 1)
        path[n++] = '/';
    memcpy(path + n, "/f", 3);
    KTEST_ASSERT_EQ(t, strlen(path), PATH_MAX - 1);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, path, 1, &st), 0);
    memmove(path + 1, path, PATH_MAX);
    path[0] = '/';
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, path, 1, &st), -ENAMETOOLONG);
    /* names are bytes: UTF-8 goes through as it is ("ünïcödé-名前"; "Ü..." is another name) */
    KTEST_ASSERT_EQ(t, vt_put(utf8_name, "u"), 1);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, utf8_name, 1, &st), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, utf8_upper, 1, &st), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, utf8_name), 0);
    /* ".", "..", the root's "..", trailing slashes, empty paths */
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_names/sub", 0755), 0);
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_names/./sub/../f"), ino_of("/t_vfs/t_names/f"));
    KTEST_ASSERT_EQ(t, ino_of("/.."), ino_of("/"));
    KTEST_ASSERT_EQ(t, ino_of("/../../t_vfs/t_names/sub/.."), ino_of("/t_vfs/t_names"));
    KTEST_ASSERT_EQ(t, ino_of("//t_vfs/t_names///sub//"), ino_of("/t_vfs/t_names/sub"));
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_names/f/", 1, &st), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_names/f/.", 1, &st), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "", 1, &st), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_names/g/", O_CREAT | O_WRONLY, 0644, &dir), -EISDIR);
    /* relative to an open directory */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_names/sub", O_RDONLY | O_DIRECTORY, 0, &dir), 0);
    if (dir) {
        KTEST_ASSERT_EQ(t, vfs_stat(&dir->path, "../f", 1, &st), 0);
        KTEST_ASSERT_EQ(t, st.ino, ino_of("/t_vfs/t_names/f"));
        KTEST_ASSERT_EQ(t, vfs_mkdir(&dir->path, "rel", 0755), 0);
        KTEST_ASSERT(t, ino_of("/t_vfs/t_names/sub/rel") != 0);
        KTEST_ASSERT_EQ(t, vfs_rmdir(&dir->path, "rel"), 0);
        file_put(dir);
    }
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_names/sub"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_names/f"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_names"), 0);
    kfree(path);
}

static void symlink_limits_body(struct ktest *t)
{
    char name[32], target[32];
    struct vfs_stat st;
    struct file *f;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_sym", 0755), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_sym/f", "end"), 3);
    /* l0 -> f, l1 -> l0, ..., l40 -> l39: l39 needs 40 links, l40 41 */
    for (int i = 0; i <= SYMLOOP_MAX; i++) {
        format_snprintf(name, sizeof(name), "/t_vfs/t_sym/l%d", i);
        if (i == 0)
            vt_strcpy(target, "f");
        else
            format_snprintf(target, sizeof(target), "l%d", i - 1);
        KTEST_ASSERT_EQ(t, vfs_symlink(target, NULL, name), 0);
    }
    format_snprintf(name, sizeof(name), "/t_vfs/t_sym/l%d", SYMLOOP_MAX - 1);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, name, 1, &st), 0);
    KTEST_ASSERT(t, S_ISREG(st.mode) && st.size == 3);
    format_snprintf(name, sizeof(name), "/t_vfs/t_sym/l%d", SYMLOOP_MAX);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, name, 1, &st), -ELOOP);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, name, 0, &st), 0);
    /* loops */
    KTEST_ASSERT_EQ(t, vfs_symlink("b", NULL, "/t_vfs/t_sym/a"), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("a", NULL, "/t_vfs/t_sym/b"), 0);
    KTEST_ASSERT_EQ(t, vfs_symlink("self/x", NULL, "/t_vfs/t_sym/self"), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_sym/a", 1, &st), -ELOOP);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_sym/self", 1, &st), -ELOOP);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_sym/b", O_RDONLY, 0, &f), -ELOOP);
    /* O_NOFOLLOW: a link as the last component is refused */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_sym/l0", O_RDONLY | O_NOFOLLOW, 0, &f), -ELOOP);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_sym/l0", O_RDONLY, 0, &f), 0);
    if (f)
        file_put(f);
    for (int i = 0; i <= SYMLOOP_MAX; i++) {
        format_snprintf(name, sizeof(name), "/t_vfs/t_sym/l%d", i);
        KTEST_ASSERT_EQ(t, vfs_unlink(NULL, name), 0);
    }
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_sym/a"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_sym/b"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_sym/self"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_sym/f"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_sym"), 0);
}

static void negative_dentries_body(struct ktest *t)
{
    struct dcache_stats a, b;
    struct vfs_stat st;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_neg", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_neg/missing", 1, &st), -ENOENT);
    a = dcache_stats();
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_neg/missing", 1, &st), -ENOENT);
    b = dcache_stats();
    KTEST_ASSERT_EQ(t, b.misses, a.misses);             /* the file system was not asked */
    KTEST_ASSERT_EQ(t, b.negative_hits, a.negative_hits + 1);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_neg/missing", "now"), 3);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_neg/missing", 1, &st), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_neg/missing"), 0);
    a = dcache_stats();
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_neg/missing", 1, &st), -ENOENT);
    b = dcache_stats();
    KTEST_ASSERT_EQ(t, b.misses, a.misses);
    KTEST_ASSERT_EQ(t, b.negative_hits, a.negative_hits + 1);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_neg"), 0);
}

static void dcache_bounded_body(struct ktest *t)
{
    struct dcache_stats before = dcache_stats(), after;
    struct vfs_stat st;
    char name[40];
    int wrong = 0;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_prune", 0755), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_prune/present", "p"), 1);
    for (int i = 0; i < 10000; i++) {
        format_snprintf(name, sizeof(name), "/t_vfs/t_prune/missing%d", i);
        wrong += vfs_stat(NULL, name, 1, &st) != -ENOENT;
    }
    after = dcache_stats();
    KTEST_ASSERT_EQ(t, wrong, 0);
    KTEST_ASSERT(t, after.entries <= 8192 + 16);                        /* DCACHE_MAX, and a few held */
    KTEST_ASSERT(t, after.pruned - before.pruned >= 10000 - 8192);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_prune/present", 1, &st), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_prune/missing0", 1, &st), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_prune/present"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_prune"), 0);
}

#define DEEP 200

static void deep_tree_body(struct ktest *t)
{
    char *path = kmalloc(PATH_MAX), buf[8];
    size_t n;
    int made = 0;

    if (!KTEST_ASSERT(t, path != NULL))
        return;
    vt_strcpy(path, "/t_vfs/t_deep");
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, path, 0755), 0);
    for (n = strlen(path); made < DEEP; made++, n += 2) {
        memcpy(path + n, "/d", 3);
        if (!KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, path, 0755), 0))
            break;
    }
    vt_strcpy(path + n, "/leaf");
    KTEST_ASSERT_EQ(t, vt_put(path, "deep"), 4);
    KTEST_ASSERT_EQ(t, vt_get(path, buf, sizeof(buf)), 4);
    /* all the way up again with ".." */
    path[n] = '\0';
    for (int i = 0; i < made; i++)
        vt_strcat(path, "/..");
    KTEST_ASSERT(t, strlen(path) < PATH_MAX);
    KTEST_ASSERT_EQ(t, ino_of(path), ino_of("/t_vfs/t_deep"));
    /* removed bottom up */
    n = strlen("/t_vfs/t_deep") + 2 * (size_t)made;
    vt_strcpy(path + n, "/leaf");
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, path), 0);
    for (; made > 0; made--, n -= 2) {
        path[n] = '\0';
        if (!KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, path), 0))
            break;
    }
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_deep"), 0);
    kfree(path);
}

static int mounted_at(const char *path)
{
    for (struct mount *m = vfs_mounts(); m; m = m->next)
        if (strcmp(m->path, path) == 0)
            return 1;
    return 0;
}

static void mounts_body(struct ktest *t)
{
    struct vfs_stat root, st;
    struct file *f;

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_mnt", 0755), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_mnt/under", "hidden"), 6);
    KTEST_ASSERT_EQ(t, vfs_mount("none", "/t_vfs/t_mnt", "tmpfs", 0, NULL), 0);
    KTEST_ASSERT(t, mounted_at("/t_vfs/t_mnt"));
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_mnt/under", 1, &st), -ENOENT);  /* covered */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_mnt/f", "on top"), 6);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs", 1, &root), 0);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_mnt/f", 1, &st), 0);
    KTEST_ASSERT(t, st.dev != root.dev);
    KTEST_ASSERT_EQ(t, ino_of("/t_vfs/t_mnt/.."), root.ino);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_mnt/f", "/t_vfs/t_f", 0), -EXDEV);
    KTEST_ASSERT_EQ(t, vfs_link(NULL, "/t_vfs/t_mnt/f", "/t_vfs/t_f"), -EXDEV);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_mnt"), -EBUSY);
    KTEST_ASSERT_EQ(t, vfs_mount("none", "/t_vfs/t_mnt/f", "tmpfs", 0, NULL), -ENOTDIR);
    KTEST_ASSERT_EQ(t, vfs_mount("none", "/t_vfs/t_mnt", "nosuchfs", 0, NULL), -ENODEV);
    /* busy: an open file, a mount below */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_mnt/f", O_RDONLY, 0, &f), 0);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt"), -EBUSY);
    if (f)
        file_put(f);
    /* a file unlinked while open is no longer in the tree, and still busy */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_mnt/g", "gone"), 4);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_mnt/g", O_RDONLY, 0, &f), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_mnt/g"), 0);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt"), -EBUSY);
    if (f)
        file_put(f);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_mnt/in", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_mount("none", "/t_vfs/t_mnt/in", "tmpfs", 0, NULL), 0);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt"), -EBUSY);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt/in"), 0);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt/in"), -EINVAL);                 /* no mount there now */
    KTEST_ASSERT_EQ(t, vfs_umount("/"), -EBUSY);
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt"), 0);
    KTEST_ASSERT(t, !mounted_at("/t_vfs/t_mnt"));
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_mnt/f", 1, &st), -ENOENT);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_mnt/under", 1, &st), 0);        /* uncovered */
    /* read-only: nothing changes, reading does */
    KTEST_ASSERT_EQ(t, vfs_mount("none", "/t_vfs/t_mnt", "tmpfs", MS_RDONLY, NULL), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_mnt/f", "x"), -EROFS);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_mnt/d", 0755), -EROFS);
    KTEST_ASSERT_EQ(t, vfs_symlink("x", NULL, "/t_vfs/t_mnt/l"), -EROFS);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_mnt", O_RDONLY | O_DIRECTORY, 0, &f), 0);
    if (f)
        file_put(f);
    {
        struct vfs_statfs sf;
        KTEST_ASSERT_EQ(t, vfs_statfs(NULL, "/t_vfs/t_mnt", &sf), 0);
        KTEST_ASSERT_EQ(t, sf.flags & MS_RDONLY, MS_RDONLY);
    }
    KTEST_ASSERT_EQ(t, vfs_umount("/t_vfs/t_mnt"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_mnt/under"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_mnt"), 0);
}

static void permissions_body(struct ktest *t)
{
    static const struct vfs_cred user = { 1000, 1000 };
    struct vfs_attr chmod = { .mask = ATTR_MODE, .mode = 0777 };
    struct vfs_attr own = { .mask = ATTR_UID | ATTR_GID, .uid = 1000, .gid = 1000 };
    struct vfs_stat st;
    struct file *f;
    char buf[8];

    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_perm", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_perm/secret", O_CREAT | O_WRONLY, 0600, &f), 0);
    if (f)
        file_put(f);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_perm/pub", "pub"), 3);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_perm/closed", 0700), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_perm/closed/in", "in"), 2);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_perm/sticky", 01777), 0);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_perm/sticky/roots", "r"), 1);
    KTEST_ASSERT_EQ(t, vfs_setattr(NULL, "/t_vfs/t_perm/sticky/roots", 1, &chmod), 0);
    KTEST_ASSERT_EQ(t, vfs_mkdir(NULL, "/t_vfs/t_perm/mine", 0755), 0);
    KTEST_ASSERT_EQ(t, vfs_setattr(NULL, "/t_vfs/t_perm/mine", 1, &own), 0);

    vfs_set_cred(&user);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_perm/secret", O_RDONLY, 0, &f), -EACCES);
    KTEST_ASSERT_EQ(t, vt_get("/t_vfs/t_perm/pub", buf, sizeof(buf)), 3);
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_perm/pub", O_WRONLY, 0, &f), -EACCES);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_perm/closed/in", 1, &st), -EACCES);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_perm/new", "x"), -EACCES);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/pub"), -EACCES);
    KTEST_ASSERT_EQ(t, vfs_setattr(NULL, "/t_vfs/t_perm/pub", 1, &chmod), -EPERM);
    KTEST_ASSERT_EQ(t, vfs_truncate(NULL, "/t_vfs/t_perm/pub", 0), -EACCES);
    /* the sticky directory: anyone may add, only the owner remove */
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_perm/sticky/users", "u"), 1);
    KTEST_ASSERT_EQ(t, vt_put("/t_vfs/t_perm/sticky/roots", "w"), 1);         /* 0777: writable */
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/sticky/roots"), -EPERM);
    KTEST_ASSERT_EQ(t, vfs_rename(NULL, "/t_vfs/t_perm/sticky/roots", "/t_vfs/t_perm/sticky/x", 0), -EPERM);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/sticky/users"), 0);
    /* in its own directory: a read-only file made with O_CREAT still opens for writing */
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_perm/mine/ro", O_CREAT | O_WRONLY, 0444, &f), 0);
    if (f) {
        KTEST_ASSERT_EQ(t, vfs_write(f, "ok", 2), 2);
        file_put(f);
    }
    KTEST_ASSERT_EQ(t, vfs_open(NULL, "/t_vfs/t_perm/mine/ro", O_WRONLY, 0, &f), -EACCES);
    KTEST_ASSERT_EQ(t, vfs_stat(NULL, "/t_vfs/t_perm/mine/ro", 1, &st), 0);
    KTEST_ASSERT(t, st.uid == 1000 && (st.mode & 0777) == 0444);
    vfs_set_cred(NULL);

    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/mine/ro"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_perm/mine"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/sticky/roots"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_perm/sticky"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/closed/in"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_perm/closed"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/pub"), 0);
    KTEST_ASSERT_EQ(t, vfs_unlink(NULL, "/t_vfs/t_perm/secret"), 0);
    KTEST_ASSERT_EQ(t, vfs_rmdir(NULL, "/t_vfs/t_perm"), 0);
}

/* ---- the ktests: each in a tmpfs of its own at /t_vfs (test_vfs.h) ---- */

void ktest_vfs_names_limits(struct ktest *t)
{
    vt_run(t, names_limits_body);
}

void ktest_vfs_symlink_limits(struct ktest *t)
{
    vt_run(t, symlink_limits_body);
}

void ktest_vfs_negative_dentries(struct ktest *t)
{
    vt_run(t, negative_dentries_body);
}

void ktest_vfs_dcache_bounded(struct ktest *t)
{
    vt_run(t, dcache_bounded_body);
}

void ktest_vfs_deep_tree(struct ktest *t)
{
    vt_run(t, deep_tree_body);
}

void ktest_vfs_mounts(struct ktest *t)
{
    vt_run(t, mounts_body);
}

void ktest_vfs_permissions(struct ktest *t)
{
    vt_run(t, permissions_body);
}
