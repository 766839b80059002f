/*
 * file_dir.c - names and the process's place in the tree: mkdir, chdir,
 * getcwd, fchdir, umask (and the modes it takes away), the *at calls from
 * a directory descriptor (openat, mkdirat, newfstatat, unlinkat, renameat,
 * renameat2 RENAME_NOREPLACE, linkat, symlinkat, readlinkat, fchmodat,
 * fchownat, faccessat, utimensat), stat, lstat, access, truncate,
 * getdents64 (names sorted: directory order is the file system's),
 * statfs of /proc and /dev, and the errors of each.
 *   file_dir DIR   (DIR: a writable directory; a directory named after the
 *                   pid is made there and removed)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    bad += !ok;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of directory fd through getdents64, sorted, on one line. */
static void list(const char *what, int fd)
{
    static char buf[4096];
    char *names[64];
    int n = 0;
    long got;

    lseek(fd, 0, SEEK_SET);
    while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < got && n < 64;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            names[n++] = strdup(d->d_name);
            off += d->d_reclen;
        }
    }
    qsort(names, (size_t)n, sizeof names[0], cmp);
    printf("%s:", what);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf(" (getdents64 ended with %ld)\n", got);
}

static void tree(const char *top)
{
    char cwd[512], buf[64];
    struct stat st;
    int dir, fd;

    umask(022);
    check("umask returns the old one", umask(027) == 022);
    check("mkdir", mkdir(top, 0777) == 0);
    check("mkdir again: EEXIST", mkdir(top, 0777) == -1 && errno == EEXIST);
    check("stat: a directory, mode less the umask", stat(top, &st) == 0 && S_ISDIR(st.st_mode) &&
          (st.st_mode & 0777) == 0750);
    check("chdir", chdir(top) == 0);
    check("getcwd", getcwd(cwd, sizeof cwd) && strcmp(cwd, top) == 0);
    check("getcwd into too small a buffer: ERANGE", syscall(SYS_getcwd, buf, 4) == -1 && errno == ERANGE);
    check("getcwd returns the length with its NUL", syscall(SYS_getcwd, cwd, sizeof cwd) == (long)strlen(top) + 1);
    fd = open("f", O_CREAT | O_WRONLY, 0666);
    check("open a relative name", fd >= 0 && write(fd, "12345", 5) == 5 && close(fd) == 0);
    check("its mode less the umask", stat("f", &st) == 0 && (st.st_mode & 0777) == 0640 && st.st_size == 5);
    check("mkdir sub", mkdir("sub", 0755) == 0);
    dir = open("sub", O_RDONLY | O_DIRECTORY);
    check("open a directory O_DIRECTORY", dir >= 0);
    check("open a file O_DIRECTORY: ENOTDIR", open("f", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
    check("open a directory for writing: EISDIR", open("sub", O_WRONLY) == -1 && errno == EISDIR);
    fd = openat(dir, "g", O_CREAT | O_RDWR, 0600);
    check("openat from the directory", fd >= 0 && write(fd, "abc", 3) == 3 && close(fd) == 0);
    check("... made sub/g", stat("sub/g", &st) == 0 && st.st_size == 3);
    check("openat from a file: ENOTDIR", openat(fd = open("f", O_RDONLY), "x", O_RDONLY) == -1 && errno == ENOTDIR);
    close(fd);
    check("openat from a closed descriptor: EBADF", openat(99, "x", O_RDONLY) == -1 && errno == EBADF);
    check("mkdirat", mkdirat(dir, "d", 0700) == 0 && fstatat(dir, "d", &st, 0) == 0 && S_ISDIR(st.st_mode));
    check("symlinkat", symlinkat("g", dir, "ln") == 0);
    check("readlinkat", readlinkat(dir, "ln", buf, sizeof buf) == 1 && buf[0] == 'g');
    check("readlink of a file: EINVAL", readlink("f", buf, sizeof buf) == -1 && errno == EINVAL);
    check("fstatat follows the link", fstatat(dir, "ln", &st, 0) == 0 && S_ISREG(st.st_mode) && st.st_size == 3);
    check("fstatat AT_SYMLINK_NOFOLLOW", fstatat(dir, "ln", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
    check("lstat", lstat("sub/ln", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1);
    check("fstatat AT_EMPTY_PATH: the directory itself",
          fstatat(dir, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode));
    check("fstatat of an empty name: ENOENT", fstatat(dir, "", &st, 0) == -1 && errno == ENOENT);
    check("linkat", linkat(dir, "g", AT_FDCWD, "g2", 0) == 0 && stat("g2", &st) == 0 && st.st_nlink == 2);
    check("renameat across two descriptors", renameat(AT_FDCWD, "g2", dir, "g3") == 0 &&
          access("sub/g3", F_OK) == 0 && access("g2", F_OK) == -1 && errno == ENOENT);
    check("renameat2 RENAME_NOREPLACE onto a name: EEXIST",
          syscall(SYS_renameat2, dir, "g3", dir, "g", 1) == -1 && errno == EEXIST);
    check("rename", rename("sub/g3", "sub/g4") == 0);
    list("sub holds", dir);
    check("fchmodat", fchmodat(dir, "g", 0604, 0) == 0 && fstatat(dir, "g", &st, 0) == 0 &&
          (st.st_mode & 0777) == 0604);
    check("fchownat to the same owner", fchownat(dir, "g", st.st_uid, st.st_gid, 0) == 0);
    struct timespec ts[2] = { { 1000000000, 5 }, { 1234567890, 0 } };
    check("utimensat", utimensat(dir, "g", ts, 0) == 0 && fstatat(dir, "g", &st, 0) == 0 &&
          st.st_mtim.tv_sec == 1234567890 && st.st_atim.tv_sec == 1000000000);
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_nsec = 2000000000;
    check("utimensat with a bad nsec: EINVAL", utimensat(dir, "g", ts, 0) == -1 && errno == EINVAL);
    fd = openat(dir, "g", O_RDONLY);
    check("fchmod", fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
    check("fchown to the same owner", fchown(fd, -1, st.st_gid) == 0);
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1] = (struct timespec){ 1500000000, 0 };
    check("futimens", futimens(fd, ts) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1500000000 &&
          st.st_atim.tv_sec == 1000000000);
    close(fd);
    fd = open(".", O_RDONLY | O_DIRECTORY);
    check("fchmod of a directory", fchmod(fd, 0751) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0751);
    close(fd);
    check("fchmod of a closed descriptor: EBADF", fchmod(99, 0600) == -1 && errno == EBADF);
    check("faccessat R_OK|W_OK", faccessat(dir, "g", R_OK | W_OK, 0) == 0);
    check("access X_OK of a file without x bits: EACCES", access("f", X_OK) == -1 && errno == EACCES);
    check("access of a directory X_OK", access("sub", X_OK) == 0);
    check("access with a bad mode: EINVAL", access("f", 8) == -1 && errno == EINVAL);
    check("access of a missing name: ENOENT", access("nope", F_OK) == -1 && errno == ENOENT);
    check("truncate to 2", truncate("f", 2) == 0 && stat("f", &st) == 0 && st.st_size == 2);
    check("truncate of a directory: EISDIR", truncate("sub", 0) == -1 && errno == EISDIR);
    check("stat through a file: ENOTDIR", stat("f/x", &st) == -1 && errno == ENOTDIR);
    check("fchdir", fchdir(dir) == 0 && getcwd(cwd, sizeof cwd) && strcmp(strrchr(cwd, '/'), "/sub") == 0);
    check("chdir ..", chdir("..") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, top) == 0);
    check("fchdir to a file: ENOTDIR", fchdir(fd = open("f", O_RDONLY)) == -1 && errno == ENOTDIR);
    close(fd);
    check("chdir to a file: ENOTDIR", chdir("f") == -1 && errno == ENOTDIR);
    check("unlinkat AT_REMOVEDIR of a non-empty one: ENOTEMPTY",
          unlinkat(AT_FDCWD, "sub", AT_REMOVEDIR) == -1 && errno == ENOTEMPTY);
    check("unlinkat of a directory without AT_REMOVEDIR: EISDIR",
          unlinkat(dir, "d", 0) == -1 && errno == EISDIR);
    check("unlinkat the names", unlinkat(dir, "d", AT_REMOVEDIR) == 0 && unlinkat(dir, "ln", 0) == 0 &&
          unlinkat(dir, "g", 0) == 0 && unlinkat(dir, "g4", 0) == 0);
    list("sub now holds", dir);
    close(dir);
    check("rmdir sub", rmdir("sub") == 0 && unlink("f") == 0);
    check("rmdir of the cwd's parent's child", chdir("/") == 0 && rmdir(top) == 0);
    check("getcwd at the root", getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0);
}

static void filesystems(void)
{
    struct statfs s;
    int fd;

    check("statfs /proc", statfs("/proc", &s) == 0);
    printf("statfs /proc: type %#lx\n", (unsigned long)s.f_type);
    check("statfs /dev", statfs("/dev", &s) == 0);
    printf("statfs /dev: type %#lx\n", (unsigned long)s.f_type);
    fd = open("/proc", O_RDONLY | O_DIRECTORY);
    check("fstatfs /proc", fstatfs(fd, &s) == 0 && s.f_type == 0x9fa0);
    close(fd);
    check("statfs of a missing path: ENOENT", statfs("/no/such", &s) == -1 && errno == ENOENT);
    check("sync", (sync(), 1));
}

int main(int argc, char **argv)
{
    char top[256];

    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir(argc > 1 ? argv[1] : "/tmp", 01777);    /* Tessera's root may be an empty tmpfs */
    snprintf(top, sizeof top, "%s/file_dir.%d", argc > 1 ? argv[1] : "/tmp", (int)getpid());
    tree(top);
    filesystems();
    printf("file_dir: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
