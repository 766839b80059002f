/*
 * fsstress.c - a random write workload for crash tests (fsstress.h).
 *
 * On every writable mounted file system (not devfs or proc, nor one hidden
 * by a later mount on the same path: vfs_mounts lists them in mount order)
 * the workload makes a folder of its own, `fsstress` at the mount's root,
 * and from then on picks, one at a time, a file system and an operation:
 * create, write at a random offset, append, truncate, rename a file across
 * folders, link, unlink, mkdir, rmdir, fsync. Everything happens through
 * the VFS's file API (vfs.h), as a program's system calls will.
 *
 * The model: the names the workload may use are fixed, a grid of folders
 * (slot 0 the work folder itself, slots 1..4 the folders d0..d3 in it) and
 * files f0..f11 in each folder. The workload remembers which exist and
 * picks operations that should succeed against that (a write of a file that
 * exists, an rmdir of a folder it emptied); an operation that fails anyway
 * is logged as an error, and the model follows what the VFS said, so a full
 * disk (-ENOSPC) or a file system without hard links (FAT: -EPERM) only
 * slows it down. Only files are renamed, so no path changes under a synced
 * file except by an operation that names it.
 *
 * An fsync is the file's fsync and then its folder's (a new name lasts only
 * when the folder holding it is written too: POSIX's fsync covers the file
 * alone); when both returned 0, the file is read back through the VFS and
 * `synced` names its size and CRC-32. The host compares those with what the
 * disk holds after QEMU was killed: every file whose last operation before
 * the kill was an fsync that completed must be there byte for byte.
 *
 * Random numbers: xorshift64* from the seed, so a seed always gives the same
 * sequence of operations (and the same bytes written) up to the moment it
 * is stopped.
 */
#include <string.h>

#include "block/crc32.h"
#include "errno.h"
#include "format.h"
#include "fs/fsstress.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "printk.h"

#define STRESS_FS_MAX   8               /* file systems worked on at once */
#define STRESS_DIRS     5               /* slot 0: the work folder; 1..4: d0..d3 in it */
#define STRESS_FILES    12              /* f0..f11 in each folder */
#define STRESS_FILE_MAX (512 * 1024)    /* writes stop growing a file here */
#define STRESS_WRITE_MAX (32 * 1024)    /* bytes of one write or append */
/*
 * The last file of each folder (f11) sometimes gets a write far out, past a
 * hole: from 4144 KiB on, where ext2 with 4 KiB blocks leaves its single
 * indirect block (12 direct blocks and 1024 indirect ones) for the double
 * indirect one. One file a folder, so FAT, which has no holes and fills
 * them with zeroes, spends at most 5 x 4.3 MiB on it.
 */
#define STRESS_FAR_FILE  (STRESS_FILES - 1)
#define STRESS_FAR_BASE  (4144 * 1024ULL)
#define STRESS_FAR_SPAN  (256 * 1024)
#define STRESS_PATH     160
#define STRESS_WORK     "fsstress"

enum stress_op {
    OP_CREATE, OP_WRITE, OP_APPEND, OP_TRUNCATE, OP_RENAME, OP_LINK, OP_UNLINK,
    OP_MKDIR, OP_RMDIR, OP_FSYNC, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
    "create", "write", "append", "truncate", "rename", "link", "unlink", "mkdir", "rmdir", "fsync",
};

/* How often each operation is picked, out of the sum. */
static const unsigned op_weights[OP_COUNT] = { 12, 20, 10, 6, 8, 4, 6, 3, 2, 14 };

struct stress_fs {
    char mount[64];                     /* "/" or "/boot" */
    char work[80];                      /* the work folder, e.g. "/boot/fsstress" */
    uint8_t dir_exists[STRESS_DIRS];
    uint8_t file_exists[STRESS_DIRS][STRESS_FILES];
};

struct stress {
    uint64_t rng;
    uint64_t ops;
    unsigned nfs;
    struct stress_fs fs[STRESS_FS_MAX];
    uint8_t *buf;                       /* STRESS_WRITE_MAX bytes */
};

/* xorshift64* (Marsaglia; Vigna's multiplier). */
static uint64_t rnd(struct stress *s)
{
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(struct stress *s, uint64_t n)
{
    return n ? rnd(s) % n : 0;
}

static void dir_path(const struct stress_fs *fs, unsigned d, char *out)
{
    if (d == 0)
        format_snprintf(out, STRESS_PATH, "%s", fs->work);
    else
        format_snprintf(out, STRESS_PATH, "%s/d%u", fs->work, d - 1);
}

static void file_path(const struct stress_fs *fs, unsigned d, unsigned f, char *out)
{
    char dir[STRESS_PATH];

    dir_path(fs, d, dir);
    format_snprintf(out, STRESS_PATH, "%s/f%u", dir, f);
}

/* A file slot that exists (want 1) or does not in an existing folder (want 0): 0, or -1 if none. */
static int pick_file(struct stress *s, struct stress_fs *fs, int want, unsigned *d, unsigned *f)
{
    unsigned start = (unsigned)rnd_below(s, STRESS_DIRS * STRESS_FILES);

    for (unsigned i = 0; i < STRESS_DIRS * STRESS_FILES; i++) {
        unsigned k = (start + i) % (STRESS_DIRS * STRESS_FILES);
        *d = k / STRESS_FILES;
        *f = k % STRESS_FILES;
        if (fs->dir_exists[*d] && fs->file_exists[*d][*f] == want)
            return 0;
    }
    return -1;
}

static int dir_is_empty(const struct stress_fs *fs, unsigned d)
{
    for (unsigned f = 0; f < STRESS_FILES; f++)
        if (fs->file_exists[d][f])
            return 0;
    return 1;
}

static void log_op(enum stress_op op, const char *path)
{
    printk(LOG_INFO, "fsstress: %s %s\n", op_names[op], path);
}

static void log_error(enum stress_op op, const char *path, long rc)
{
    printk(LOG_INFO, "fsstress: error %s %s: %ld\n", op_names[op], path, rc);
}

/* Fill len bytes of the buffer with this operation's bytes (from the generator). */
static void fill(struct stress *s, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t v = rnd(s);
        memcpy(s->buf + i, &v, len - i < 8 ? len - i : 8);
    }
}

/* Write len bytes at off, or append them (O_APPEND), the file opened and closed around it. */
static void do_write(struct stress *s, const char *path, int append, int far)
{
    enum stress_op op = append ? OP_APPEND : OP_WRITE;
    struct vfs_stat st;
    struct file *f;
    uint64_t size, off = 0, len = 1 + rnd_below(s, STRESS_WRITE_MAX);
    long rc;

    size = vfs_stat(NULL, path, 1, &st) == 0 ? st.size : 0;
    if (!append)
        off = rnd_below(s, size + STRESS_WRITE_MAX / 2 + 1);
    if (far && !append && rnd_below(s, 4) == 0)
        off = STRESS_FAR_BASE + rnd_below(s, STRESS_FAR_SPAN);
    else if ((append ? size : off) + len > STRESS_FILE_MAX)
        off = rnd_below(s, STRESS_FILE_MAX - len), append = 0, op = OP_WRITE;
    fill(s, len);
    if (append)
        printk(LOG_INFO, "fsstress: append %s len=%llu\n", path, (unsigned long long)len);
    else
        printk(LOG_INFO, "fsstress: write %s off=%llu len=%llu\n", path, (unsigned long long)off,
               (unsigned long long)len);
    rc = vfs_open(NULL, path, O_WRONLY | (append ? O_APPEND : 0), 0, &f);
    if (rc < 0) {
        log_error(op, path, rc);
        return;
    }
    rc = append ? vfs_write(f, s->buf, len) : vfs_pwrite(f, s->buf, len, off);
    if (rc != (long)len)
        log_error(op, path, rc < 0 ? rc : -EIO);
    file_put(f);
}

/* The CRC-32 of the whole file and its size, read back through the VFS. */
static int file_crc(struct stress *s, struct file *f, uint64_t *size, uint32_t *crc)
{
    long n;
    uint64_t pos = 0;

    *crc = 0;
    while ((n = vfs_pread(f, s->buf, STRESS_WRITE_MAX, pos)) > 0) {
        *crc = crc32_update(*crc, s->buf, (size_t)n);
        pos += (uint64_t)n;
    }
    *size = pos;
    return n < 0 ? (int)n : 0;
}

/* fsync the file, then its folder; read it back and say it is synced. */
static void do_fsync(struct stress *s, struct stress_fs *fs, unsigned d, const char *path)
{
    char dir[STRESS_PATH];
    struct file *f, *df;
    uint64_t size;
    uint32_t crc;
    int rc;

    log_op(OP_FSYNC, path);
    rc = vfs_open(NULL, path, O_RDONLY, 0, &f);
    if (rc < 0) {
        log_error(OP_FSYNC, path, rc);
        return;
    }
    rc = vfs_fsync(f);
    if (rc == 0) {
        dir_path(fs, d, dir);
        rc = vfs_open(NULL, dir, O_RDONLY | O_DIRECTORY, 0, &df);
        if (rc == 0) {
            rc = vfs_fsync(df);
            file_put(df);
        }
    }
    if (rc == 0)
        rc = file_crc(s, f, &size, &crc);
    if (rc == 0)
        printk(LOG_INFO, "fsstress: synced %s size=%llu crc32=%08x\n", path, (unsigned long long)size, crc);
    else
        log_error(OP_FSYNC, path, rc);
    file_put(f);
}

static void do_create(struct stress_fs *fs, unsigned d, unsigned f, const char *path)
{
    struct file *file;
    int rc;

    log_op(OP_CREATE, path);
    rc = vfs_open(NULL, path, O_WRONLY | O_CREAT | O_EXCL, 0644, &file);
    if (rc < 0) {
        log_error(OP_CREATE, path, rc);
        return;
    }
    file_put(file);
    fs->file_exists[d][f] = 1;
}

static void do_truncate(struct stress *s, const char *path)
{
    struct vfs_stat st;
    uint64_t size;
    int rc = vfs_stat(NULL, path, 1, &st);

    size = rnd_below(s, (rc == 0 ? st.size : 0) * 2 + 4096);
    if (size > STRESS_FILE_MAX)
        size = STRESS_FILE_MAX;
    printk(LOG_INFO, "fsstress: truncate %s size=%llu\n", path, (unsigned long long)size);
    rc = vfs_truncate(NULL, path, size);
    if (rc < 0)
        log_error(OP_TRUNCATE, path, rc);
}

/*
 * Two names of one inode (hard links): POSIX's rename of one onto the other
 * does nothing. A link count of 1 says no, whatever the numbers: a file
 * system without hard links need not keep its inode numbers apart.
 */
static int same_file(const char *a, const char *b)
{
    struct vfs_stat sa, sb;

    return vfs_stat(NULL, a, 0, &sa) == 0 && vfs_stat(NULL, b, 0, &sb) == 0 && sa.nlink > 1 &&
           sa.dev == sb.dev && sa.ino == sb.ino;
}

/* rename (or link) a file to another slot (replacing a file there or not), perhaps in another folder. */
static void do_move(struct stress *s, struct stress_fs *fs, int link, unsigned d, unsigned f,
                    const char *path)
{
    enum stress_op op = link ? OP_LINK : OP_RENAME;
    char to[STRESS_PATH];
    unsigned td, tf;
    int rc, same;

    if (pick_file(s, fs, link ? 0 : (int)rnd_below(s, 2), &td, &tf) < 0 || (td == d && tf == f))
        return;
    file_path(fs, td, tf, to);
    same = fs->file_exists[td][tf] && same_file(path, to);
    printk(LOG_INFO, "fsstress: %s %s %s\n", op_names[op], path, to);
    rc = link ? vfs_link(NULL, path, to) : vfs_rename(NULL, path, to, 0);
    if (rc < 0) {
        if (!(link && rc == -EPERM))        /* FAT has no hard links */
            log_error(op, path, rc);
        return;
    }
    fs->file_exists[td][tf] = 1;
    if (!link && !same)                     /* renaming a file onto its own link changes nothing */
        fs->file_exists[d][f] = 0;
}

static void do_unlink(struct stress_fs *fs, unsigned d, unsigned f, const char *path)
{
    int rc;

    log_op(OP_UNLINK, path);
    rc = vfs_unlink(NULL, path);
    if (rc < 0)
        log_error(OP_UNLINK, path, rc);
    else
        fs->file_exists[d][f] = 0;
}

/* mkdir a missing folder, or rmdir an empty one. */
static void do_dir(struct stress *s, struct stress_fs *fs, int remove)
{
    char path[STRESS_PATH];
    enum stress_op op = remove ? OP_RMDIR : OP_MKDIR;
    unsigned d = 1 + (unsigned)rnd_below(s, STRESS_DIRS - 1);
    int rc;

    if (fs->dir_exists[d] != remove || (remove && !dir_is_empty(fs, d)))
        return;
    dir_path(fs, d, path);
    log_op(op, path);
    rc = remove ? vfs_rmdir(NULL, path) : vfs_mkdir(NULL, path, 0755);
    if (rc < 0)
        log_error(op, path, rc);
    else
        fs->dir_exists[d] = !remove;
}

static enum stress_op pick_op(struct stress *s)
{
    unsigned total = 0, r;

    for (unsigned i = 0; i < OP_COUNT; i++)
        total += op_weights[i];
    r = (unsigned)rnd_below(s, total);
    for (unsigned i = 0; i < OP_COUNT; i++) {
        if (r < op_weights[i])
            return (enum stress_op)i;
        r -= op_weights[i];
    }
    return OP_WRITE;
}

/* One operation on one file system (nothing when the model has no slot for it). */
static void step(struct stress *s, struct stress_fs *fs)
{
    enum stress_op op = pick_op(s);
    char path[STRESS_PATH];
    unsigned d, f;

    if (op == OP_MKDIR || op == OP_RMDIR) {
        do_dir(s, fs, op == OP_RMDIR);
        return;
    }
    if (pick_file(s, fs, op != OP_CREATE, &d, &f) < 0)
        return;
    file_path(fs, d, f, path);
    switch (op) {
    case OP_CREATE:   do_create(fs, d, f, path); break;
    case OP_WRITE:    do_write(s, path, 0, f == STRESS_FAR_FILE); break;
    case OP_APPEND:   do_write(s, path, 1, f == STRESS_FAR_FILE); break;
    case OP_TRUNCATE: do_truncate(s, path); break;
    case OP_RENAME:   do_move(s, fs, 0, d, f, path); break;
    case OP_LINK:     do_move(s, fs, 1, d, f, path); break;
    case OP_UNLINK:   do_unlink(fs, d, f, path); break;
    case OP_FSYNC:    do_fsync(s, fs, d, path); break;
    default:          break;
    }
}

/* A mount with another mounted later on the same path (the first tmpfs under the root) is out of sight. */
static int is_hidden(const struct mount *m)
{
    for (const struct mount *later = m->next; later; later = later->next)
        if (strcmp(later->path, m->path) == 0)
            return 1;
    return 0;
}

static int is_stressable(const struct mount *m)
{
    const char *type = m->sb->type->name;

    return !(m->sb->flags & MS_RDONLY) && strcmp(type, "devfs") != 0 && strcmp(type, "proc") != 0 &&
           strcmp(type, "procfs") != 0 && !is_hidden(m);
}

/* Make the work folder on mount m: fsstress, or fsstress-2, -3 ... when it exists. */
static int add_fs(struct stress *s, const struct mount *m)
{
    struct stress_fs *fs = &s->fs[s->nfs];
    const char *sep = strcmp(m->path, "/") == 0 ? "" : "/";
    int rc = -EEXIST;

    memset(fs, 0, sizeof *fs);
    format_snprintf(fs->mount, sizeof fs->mount, "%s", m->path);
    for (unsigned n = 1; n < 100 && rc == -EEXIST; n++) {
        if (n == 1)
            format_snprintf(fs->work, sizeof fs->work, "%s%s%s", m->path, sep, STRESS_WORK);
        else
            format_snprintf(fs->work, sizeof fs->work, "%s%s%s-%u", m->path, sep, STRESS_WORK, n);
        log_op(OP_MKDIR, fs->work);
        rc = vfs_mkdir(NULL, fs->work, 0755);
    }
    if (rc < 0) {
        printk(LOG_INFO, "fsstress: %s: no work folder (%d): left out\n", m->path, rc);
        return rc;
    }
    printk(LOG_INFO, "fsstress: fs %s type=%s source=%s work=%s\n", m->path, m->sb->type->name,
           m->source, fs->work);
    fs->dir_exists[0] = 1;
    s->nfs++;
    return 0;
}

int fsstress_run(uint64_t seed, uint64_t ops)
{
    struct stress *s = kmalloc(sizeof *s);

    if (!s || !(s->buf = kmalloc(STRESS_WRITE_MAX))) {
        kfree(s);
        printk(LOG_INFO, "fsstress: no memory\n");
        return -ENOMEM;
    }
    s->rng = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    s->nfs = 0;
    printk(LOG_INFO, "fsstress: seed=%llu ops=%llu\n", (unsigned long long)seed, (unsigned long long)ops);
    for (struct mount *m = vfs_mounts(); m && s->nfs < STRESS_FS_MAX; m = m->next)
        if (is_stressable(m))
            add_fs(s, m);
    if (s->nfs == 0) {
        printk(LOG_INFO, "fsstress: no writable file system mounted\n");
        kfree(s->buf);
        kfree(s);
        return -ENOENT;
    }
    for (s->ops = 0; ops == 0 || s->ops < ops; s->ops++)
        step(s, &s->fs[rnd_below(s, s->nfs)]);
    printk(LOG_INFO, "fsstress: done %llu ops, vfs_sync %d\n", (unsigned long long)s->ops, vfs_sync());
    kfree(s->buf);
    kfree(s);
    return 0;
}
