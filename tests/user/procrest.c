/*
 * procrest.c - the rest of docs/processes.md's list, compared with Linux's
 * output (tests/user/diff.sh): `procrest exec` and `procrest maps`.
 *
 * exec: execve while other threads live. The leader execs while one thread
 * sleeps in a futex wait, one in a pipe read and one spins in ring 3; a
 * thread that is not the leader execs while the leader waits in
 * pthread_join; two threads exec at once (one program runs, once); a
 * child sharing its parent's table of files (clone with
 * CLONE_FILES) execs, and the close-on-exec closes and its new descriptor
 * stay its own. The new program (`procrest after ...`, run from argv[0])
 * says what it finds: the same pid, a tid equal to it, one thread
 * (/proc/self/status), the descriptors. Then ten more rounds of the three
 * thread cases, quiet, for the races between CPUs: each must end with 0.
 * Last, a relative path: a child changes to a folder in /tmp and runs
 * "./run.sh" (#! this program), which exec finds from the working directory.
 *
 * maps DIR: /proc/self/maps. Every line is rebuilt from its fields in
 * Linux's format (the name at column 73) and must read the same; the lines
 * of mappings made at fixed addresses (anonymous, split by mprotect, a
 * PROT_NONE page, a file's pages from an offset) are printed whole (a
 * file's device and inode compared with stat's); the program's text, the
 * stack and the heap are found by an address inside.
 *
 * fd DIR: /proc/self/fd and /proc/N/fd of a child: readlink of a pipe's
 * ends (pipe:[its st_ino]), of /dev/null, of a file and of a directory,
 * of a dup2'd descriptor; the listing; a closed one gone.
 *
 * statx DIR: statx (332) of a regular file, a directory, a pipe and the
 * cwd (AT_EMPTY_PATH), /dev/null, a symbolic link with and without
 * AT_SYMLINK_NOFOLLOW, a path from a dirfd, with mask 0 and with every
 * bit: the basic fields in stx_mask and each field equal to stat's; its
 * errors (a reserved mask bit, both sync flags, an unknown flag, "" without
 * AT_EMPTY_PATH, a bad fd, a missing name, a file as a directory, a bad
 * buffer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXEC_ROUNDS 10

static const char *self_path;
static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        failures++;
}

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

    nanosleep(&ts, NULL);
}

/* The Threads: line of /proc/self/status, or -1. */
static int threads_now(void)
{
    char line[128];
    int n = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(f);
    return n;
}

/* ---- the new program ---- */

/* procrest after KIND PID [A B]: what the program execve started finds. */
static int after(int argc, char **argv)
{
    int pid = getpid(), tid = (int)syscall(SYS_gettid), fd;

    printf("after %s: same pid %s, tid %s the pid, threads %d\n", argv[2],
           pid == atoi(argv[3]) ? "yes" : "no", tid == pid ? "is" : "is not", threads_now());
    if (strcmp(argv[2], "files") != 0 || argc < 6)
        return 0;
    printf("after files: close-on-exec fd %s, plain fd %s\n",
           fcntl(atoi(argv[4]), F_GETFD) < 0 && errno == EBADF ? "closed" : "OPEN",
           fcntl(atoi(argv[5]), F_GETFD) >= 0 ? "open" : "CLOSED");
    fflush(stdout);
    fd = open("/dev/null", O_RDONLY);
    return fd < 0 ? 100 : fcntl(fd, F_DUPFD, 50);      /* the parent looks for it in its own table */
}

static void run_after(const char *kind, const char *a, const char *b)
{
    char pid[16];
    char *argv[] = { (char *)self_path, "after", (char *)kind, pid, (char *)a, (char *)b, NULL };

    snprintf(pid, sizeof pid, "%d", getpid());
    fflush(stdout);
    execv(self_path, argv);
    printf("%s: execve: %s\n", kind, strerror(errno));
    fflush(stdout);
    _exit(1);
}

/* ---- threads to end ---- */

static int futex_word, pipe_fds[2];
static volatile int spinning, futex_entered, reading;

static void *in_futex(void *arg)
{
    (void)arg;
    futex_entered = 1;
    syscall(SYS_futex, &futex_word, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0);
    printf("futex thread: woke up after the execve\n");
    return NULL;
}

static void *in_read(void *arg)
{
    char c;

    (void)arg;
    reading = 1;
    if (read(pipe_fds[0], &c, 1) >= 0)
        printf("pipe thread: read returned after the execve\n");
    return NULL;
}

static void *in_loop(void *arg)
{
    (void)arg;
    for (;;)
        spinning++;
    return NULL;
}

static void start(void *(*fn)(void *))
{
    pthread_t t;

    if (pthread_create(&t, NULL, fn, NULL) != 0) {
        printf("pthread_create failed\n");
        _exit(2);
    }
}

/* The three kinds of thread running, then fn (in a child of its own, its output thrown away when
 * quiet); its exit status. */
static int in_child(void (*fn)(void), int quiet)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        if (quiet)
            dup2(open("/dev/null", O_WRONLY), 1);
        if (pipe(pipe_fds) != 0)
            _exit(2);
        start(in_futex);
        start(in_read);
        start(in_loop);
        while (!futex_entered || !reading || !spinning)
            nap_ms(1);
        nap_ms(20);                     /* into their waits */
        fn();
        _exit(3);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void leader_execs(void)
{
    printf("leader: threads before %d\n", threads_now());
    run_after("leader", NULL, NULL);
}

static void *nonleader(void *arg)
{
    (void)arg;
    printf("nonleader: threads before %d\n", threads_now());
    run_after("nonleader", NULL, NULL);
    return NULL;
}

static void other_execs(void)
{
    pthread_t t;

    if (pthread_create(&t, NULL, nonleader, NULL) == 0)
        pthread_join(t, NULL);
    printf("nonleader: pthread_join returned\n");
}

/* Two threads exec at once: one program runs, once (the other thread ends). */
static volatile int go;

static void *racer(void *arg)
{
    (void)arg;
    while (!go)
        ;
    run_after("race", NULL, NULL);
    return NULL;
}

static void two_exec(void)
{
    pthread_t a, b;

    if (pthread_create(&a, NULL, racer, NULL) != 0 || pthread_create(&b, NULL, racer, NULL) != 0)
        _exit(2);
    nap_ms(10);
    go = 1;
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("race: both threads came back\n");
}

/* ---- a relative path: exec finds it from the working directory ---- */

/* A child changes to a new folder in /tmp holding run.sh ("#!PROGRAM after") and runs "./run.sh":
 * exec must find the script from the working directory (the program itself is given by its full
 * path: on Tessera it is a boot module, not a file of a folder). */
static void relative_exec(void)
{
    char dir[] = "/tmp/procrest.XXXXXX", script[64], prog[PATH_MAX], pid[16];
    int status = -1, fd;
    pid_t child;

    mkdir("/tmp", 01777);                               /* Tessera's root here is an empty tmpfs */
    if (!realpath(self_path, prog))
        snprintf(prog, sizeof prog, "%s", self_path);
    snprintf(script, sizeof script, "%s/run.sh", mkdtemp(dir) ? dir : "/nonexistent");
    if ((fd = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0755)) < 0) {
        check(0, "relative: a script in /tmp");
        return;
    }
    dprintf(fd, "#!%s after\n", prog);
    close(fd);
    fflush(stdout);
    if ((child = fork()) == 0) {
        char *argv[] = { "./run.sh", pid, NULL };

        snprintf(pid, sizeof pid, "%d", getpid());
        if (chdir(dir) != 0)
            _exit(4);
        execv("./run.sh", argv);
        printf("relative: execve of ./run.sh: %s\n", strerror(errno));
        fflush(stdout);
        _exit(1);
    }
    check(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "relative: ./run.sh from its folder ran and exited 0");
    unlink(script);
    rmdir(dir);
}

/* ---- CLONE_FILES ---- */

static int cloexec_fd, plain_fd;

static int files_child(void *arg)
{
    char a[16], b[16];

    (void)arg;
    snprintf(a, sizeof a, "%d", cloexec_fd);
    snprintf(b, sizeof b, "%d", plain_fd);
    run_after("files", a, b);
    return 1;
}

static void shared_files(void)
{
    static char stack[64 * 1024];
    int status, newfd;
    pid_t pid;

    cloexec_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    plain_fd = open("/dev/null", O_RDONLY);
    pid = clone(files_child, stack + sizeof stack, CLONE_FILES | SIGCHLD, NULL);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        printf("files: clone or wait failed\n");
        failures++;
        return;
    }
    newfd = WEXITSTATUS(status);
    printf("files: the child's new fd is %d\n", newfd);
    check(fcntl(cloexec_fd, F_GETFD) == FD_CLOEXEC, "files: our close-on-exec fd is still open");
    check(fcntl(newfd, F_GETFD) < 0 && errno == EBADF, "files: the child's new fd is not in our table");
    close(cloexec_fd);
    close(plain_fd);
}

static int exec_tests(void)
{
    int status;

    status = in_child(leader_execs, 0);
    printf("leader: exit status %d\n", status);
    status = in_child(other_execs, 0);
    printf("nonleader: exit status %d\n", status);
    status = in_child(two_exec, 0);
    printf("race: exit status %d\n", status);
    status = 0;
    for (int i = 0; i < EXEC_ROUNDS; i++)
        status |= in_child(leader_execs, 1) | in_child(other_execs, 1) | in_child(two_exec, 1);
    check(status == 0, "10 more rounds of the three, all exit status 0");
    shared_files();
    relative_exec();
    return failures;
}

/* ---- /proc/self/maps ---- */

#define PAGE 4096UL
#define ANON_AT 0x200000000UL
#define FILE_AT 0x210000000UL

static char maps[64 * 1024];
static int initialized_data = 42;

static void read_maps(void)
{
    int fd = open("/proc/self/maps", O_RDONLY);
    ssize_t n, len = 0;

    while (fd >= 0 && (n = read(fd, maps + len, sizeof maps - 1 - len)) > 0)
        len += n;
    maps[len] = 0;
    if (fd >= 0)
        close(fd);
}

/* One line's fields; its name (or ""). 1 when the line parsed. */
struct map {
    unsigned long start, end, off, ino;
    unsigned major, minor;
    char perms[5];
    const char *name;
};

static int parse(const char *line, struct map *m)
{
    int used = 0;

    if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &m->start, &m->end, m->perms, &m->off, &m->major,
               &m->minor, &m->ino, &used) < 7 || !used)
        return 0;
    m->name = line + used;
    return 1;
}

/* The line Linux's show_map_vma would print for m. */
static void rebuild(const struct map *m, char *out, size_t size)
{
    int n = snprintf(out, size, "%08lx-%08lx %s %08lx %02x:%02x %lu ", m->start, m->end, m->perms, m->off,
                     m->major, m->minor, m->ino);

    if (*m->name)
        snprintf(out + n, size - n, "%*s%s", n < 73 ? 73 - n : 0, "", m->name);
}

/* Each line of the maps: rebuilt, the same? The line holding addr into *found. */
static int walk_maps(unsigned long addr, struct map *found, char *found_line)
{
    char line[512], again[512];
    char *c = maps, *nl;
    int bad = 0, hit = 0;

    for (; (nl = strchr(c, '\n')); c = nl + 1) {
        struct map m;
        size_t len = (size_t)(nl - c);

        if (len >= sizeof line)
            len = sizeof line - 1;
        memcpy(line, c, len);
        line[len] = 0;
        if (!parse(line, &m)) {
            printf("maps: a line out of format: [%s]\n", line);
            bad++;
            continue;
        }
        rebuild(&m, again, sizeof again);
        if (strcmp(line, again) != 0) {
            printf("maps: [%s] is not Linux's [%s]\n", line, again);
            bad++;
        }
        if (addr >= m.start && addr < m.end && !hit) {
            *found = m;
            strcpy(found_line, line);
            found->name = found_line + (m.name - line);
            hit = 1;
        }
    }
    return bad ? -bad : hit;
}

/* The line holding addr, printed with what is the same on both systems. */
static void show_at(const char *what, unsigned long addr, const char *exe)
{
    static char line[512];
    struct map m;
    int r = walk_maps(addr, &m, line);

    if (r <= 0) {
        printf("%s: no line holds it\n", what);
        failures++;
        return;
    }
    if (exe && strcmp(m.name, exe) == 0)
        printf("%s: %s %08lx, named after /proc/self/exe\n", what, m.perms, m.off);
    else
        printf("%s: %s %08lx %02x:%02x %lu %s\n", what, m.perms, m.off, m.major, m.minor, m.ino, m.name);
}

/* The lines from lo to hi (fixed addresses: the same on both systems), a file's device and inode checked. */
static void show_range(unsigned long lo, unsigned long hi, const struct stat *st)
{
    char line[512], *c = maps, *nl;

    for (; (nl = strchr(c, '\n')); c = nl + 1) {
        struct map m;
        size_t len = (size_t)(nl - c) < sizeof line ? (size_t)(nl - c) : sizeof line - 1;

        memcpy(line, c, len);
        line[len] = 0;
        if (!parse(line, &m) || m.start < lo || m.start >= hi)
            continue;
        if (st && m.ino) {
            check(m.major == major(st->st_dev) && m.minor == minor(st->st_dev) && m.ino == st->st_ino,
                  "maps: the file's device and inode are stat's");
            printf("%08lx-%08lx %s %08lx DEV INODE %s\n", m.start, m.end, m.perms, m.off, m.name);
        } else {
            printf("%s\n", line);
        }
    }
}

static int maps_tests(const char *dir)
{
    char path[256], exe[256], page[PAGE];
    unsigned long brk0, local = 0;
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    int fd;

    exe[n > 0 ? n : 0] = 0;
    mkdir(dir, 01777);                  /* Tessera's root may be an empty tmpfs */
    snprintf(path, sizeof path, "%s/procrest-map", dir);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < 3; i++) {
        memset(page, 'a' + i, sizeof page);
        if (fd < 0 || write(fd, page, sizeof page) != (ssize_t)sizeof page)
            printf("maps: cannot write %s\n", path);
    }
    if (mmap((void *)ANON_AT, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
             -1, 0) != (void *)ANON_AT ||
        mprotect((void *)(ANON_AT + PAGE), PAGE, PROT_READ) != 0 ||
        mmap((void *)(ANON_AT + 16 * PAGE), PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
             0) != (void *)(ANON_AT + 16 * PAGE) ||
        mmap((void *)FILE_AT, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, PAGE) != (void *)FILE_AT) {
        printf("maps: a mapping failed: %s\n", strerror(errno));
        return 1;
    }
    brk0 = (unsigned long)syscall(SYS_brk, 0);
    syscall(SYS_brk, brk0 + 3 * PAGE);
    *(volatile char *)brk0 = 1;
    fstat(fd, &st);
    read_maps();
    check(walk_maps(0, &(struct map){ 0 }, page) >= 0, "maps: every line in Linux's format");
    show_range(ANON_AT, ANON_AT + 32 * PAGE, NULL);
    show_range(FILE_AT, FILE_AT + 16 * PAGE, &st);
    show_at("text", (unsigned long)&maps_tests, exe);
    show_at("data", (unsigned long)&initialized_data, exe);
    show_at("stack", (unsigned long)&local, NULL);
    show_at("heap", brk0, NULL);
    munmap((void *)(ANON_AT + PAGE), PAGE);
    read_maps();
    printf("after munmap of the middle page:\n");
    show_range(ANON_AT, ANON_AT + 32 * PAGE, NULL);
    close(fd);
    unlink(path);
    return failures;
}

/* ---- /proc/N/fd ---- */

static void show_link(const char *what, const char *link, const char *want)
{
    char got[256];
    ssize_t n = readlink(link, got, sizeof got - 1);

    if (n < 0) {
        printf("%s: readlink: %s\n", what, strerror(errno));
        if (want)
            failures++;
        return;
    }
    got[n] = 0;
    if (want)
        check(strcmp(got, want) == 0, what);
    else
        printf("%s: %s\n", what, got);
}

static int listed(int fd)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int found = 0;

    while (d && (e = readdir(d)))
        if (atoi(e->d_name) == fd && e->d_name[0] != '.')
            found = 1;
    if (d)
        closedir(d);
    return found;
}

static int fd_tests(const char *dir)
{
    char link[64], want[256], path[256];
    int p[2], nul, file, root, status, sync[2];
    struct stat st;
    pid_t child;

    mkdir(dir, 01777);
    snprintf(path, sizeof path, "%s/procrest-fd", dir);
    if (pipe(p) != 0 || pipe(sync) != 0 || (nul = open("/dev/null", O_WRONLY)) < 0 ||
        (file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 || (root = open("/", O_RDONLY)) < 0) {
        printf("fd: setting up: %s\n", strerror(errno));
        return 1;
    }
    fstat(p[0], &st);
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    show_link("fd: the pipe's read end is pipe:[its inode]", link, want);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[1]);
    show_link("fd: its write end is the same pipe", link, want);
    snprintf(link, sizeof link, "/proc/self/fd/%d", nul);
    show_link("fd: /dev/null", link, "/dev/null");
    snprintf(link, sizeof link, "/proc/self/fd/%d", file);
    show_link("fd: a file", link, path);
    snprintf(link, sizeof link, "/proc/self/fd/%d", root);
    show_link("fd: the root directory", link, "/");
    dup2(file, 40);
    show_link("fd: dup2's copy at 40", "/proc/self/fd/40", path);
    check(listed(40) && listed(p[0]) && listed(root), "fd: the listing holds 40, the pipe and the directory");
    close(40);
    check(!listed(40), "fd: 40 closed: no longer listed");
    show_link("fd: readlink of closed 40", "/proc/self/fd/40", NULL);
    child = fork();
    if (child == 0) {
        char c;
        int keep = dup2(nul, 77);

        close(sync[0]);
        if (write(sync[1], &keep, 1) != 1 || read(p[0], &c, 1) < 0)
            _exit(1);
        _exit(0);
    }
    close(sync[1]);
    read(sync[0], want, 1);
    snprintf(link, sizeof link, "/proc/%d/fd/77", child);
    show_link("fd: a child's 77, through /proc/N/fd", link, "/dev/null");
    snprintf(link, sizeof link, "/proc/%d/fd/%d", child, sync[0]);
    show_link("fd: a descriptor the child closed", link, NULL);
    write(p[1], "x", 1);
    waitpid(child, &status, 0);
    snprintf(link, sizeof link, "/proc/self/fd/%d", nul);
    lstat(link, &st);
    printf("fd: a link's type: %s, write-only: %o\n", S_ISLNK(st.st_mode) ? "symbolic link" : "OTHER",
           (unsigned)st.st_mode & 0777);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    lstat(link, &st);
    printf("fd: read-only: %o\n", (unsigned)st.st_mode & 0777);
    snprintf(link, sizeof link, "/proc/self/fd/%d", file);
    lstat(link, &st);
    printf("fd: read and write: %o\n", (unsigned)st.st_mode & 0777);
    unlink(path);
    return failures;
}

/* ---- statx ---- */

struct sx_time {
    long long sec;
    unsigned nsec;
    int reserved;
};

struct sx {                             /* Linux's struct statx */
    unsigned mask, blksize;
    unsigned long long attributes;
    unsigned nlink, uid, gid;
    unsigned short mode, spare0;
    unsigned long long ino, size, blocks, attributes_mask;
    struct sx_time atime, btime, ctime, mtime;
    unsigned rdev_major, rdev_minor, dev_major, dev_minor;
    unsigned long long spare[14];
};

#define SX_BASIC    0x7ffu
#define SX_ALL      0xfffu
#define SX_RESERVED 0x80000000u
#define SX_MTIME_CTIME 0xc0u            /* reported only when asked for (Linux 6.13's multigrain times) */

static long sx_call(int dirfd, const char *path, int flags, unsigned mask, void *buf)
{
    return syscall(332, dirfd, path, flags, mask, buf);
}

static const char *type_of(unsigned mode)
{
    return S_ISREG(mode) ? "file" : S_ISDIR(mode) ? "directory" : S_ISFIFO(mode) ? "fifo" : S_ISCHR(mode) ? "character device"
         : S_ISLNK(mode) ? "symbolic link" : "other";
}

/* statx against the stat of the same thing: every field the same? */
static void sx_compare(const char *what, int dirfd, const char *path, int flags, unsigned mask, const struct stat *st)
{
    struct sx x;
    char bad[256] = "";

    memset(&x, 0xEE, sizeof x);
    if (sx_call(dirfd, path, flags, mask, &x) != 0) {
        printf("statx %s: %s\n", what, strerror(errno));
        failures++;
        return;
    }
#define SAME(f, v) if ((unsigned long long)(x.f) != (unsigned long long)(v)) strcat(bad, " " #f)
    SAME(mode, st->st_mode);
    SAME(nlink, st->st_nlink);
    SAME(uid, st->st_uid);
    SAME(gid, st->st_gid);
    SAME(ino, st->st_ino);
    SAME(size, st->st_size);
    SAME(blocks, st->st_blocks);
    SAME(blksize, st->st_blksize);
    SAME(atime.sec, st->st_atim.tv_sec);
    SAME(atime.nsec, st->st_atim.tv_nsec);
    if (x.mask & SX_MTIME_CTIME) {
        SAME(mtime.sec, st->st_mtim.tv_sec);
        SAME(mtime.nsec, st->st_mtim.tv_nsec);
        SAME(ctime.sec, st->st_ctim.tv_sec);
        SAME(ctime.nsec, st->st_ctim.tv_nsec);
    } else {                            /* left out, as zeros */
        SAME(mtime.sec, 0);
        SAME(mtime.nsec, 0);
        SAME(ctime.sec, 0);
        SAME(ctime.nsec, 0);
    }
    SAME(dev_major, major(st->st_dev));
    SAME(dev_minor, minor(st->st_dev));
    SAME(rdev_major, major(st->st_rdev));
    SAME(rdev_minor, minor(st->st_rdev));
#undef SAME
    printf("statx %s: a %s, mask %#x of the basic 0x7ff, as stat's: %s%s\n", what, type_of(x.mode),
           x.mask & SX_BASIC, bad[0] ? "NO:" : "yes", bad);
    if (bad[0] || (x.mask & (SX_BASIC & ~SX_MTIME_CTIME)) != (SX_BASIC & ~SX_MTIME_CTIME))
        failures++;
}

static void sx_error(const char *what, int dirfd, const char *path, int flags, unsigned mask, void *buf, int want)
{
    long r = sx_call(dirfd, path, flags, mask, buf);

    printf("statx %s: %s\n", what, r == 0 ? "0" : strerror(errno));
    if (r == 0 || errno != want)
        failures++;
}

static int statx_tests(const char *dir)
{
    char file[256], link[256], data[5000];
    int fd, p[2], dfd;
    struct stat st;
    struct sx x;

    umask(022);
    mkdir(dir, 01777);
    snprintf(file, sizeof file, "%s/procrest-statx", dir);
    snprintf(link, sizeof link, "%s/procrest-statx-link", dir);
    unlink(link);
    memset(data, 'x', sizeof data);
    if ((fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0 || write(fd, data, sizeof data) != sizeof data ||
        symlink(file, link) != 0 || pipe(p) != 0 || (dfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0) {
        printf("statx: setting up: %s\n", strerror(errno));
        return 1;
    }
    stat(file, &st);
    printf("a file: mode %o, size %lld, nlink %u\n", (unsigned)st.st_mode, (long long)st.st_size, (unsigned)st.st_nlink);
    sx_compare("of a file, mask 0", AT_FDCWD, file, 0, 0, &st);
    sx_compare("of a file, every bit", AT_FDCWD, file, 0, SX_ALL, &st);
    sx_compare("of a file, STATX_MTIME", AT_FDCWD, file, 0, 0x40, &st);
    sx_compare("of a file, AT_STATX_FORCE_SYNC", AT_FDCWD, file, 0x2000, SX_BASIC, &st);
    sx_compare("of a file's fd, AT_EMPTY_PATH", fd, "", AT_EMPTY_PATH, SX_BASIC, &st);
    sx_compare("of a name from a dirfd", dfd, "procrest-statx", 0, SX_BASIC, &st);
    sx_compare("of a link, followed", AT_FDCWD, link, 0, SX_BASIC, &st);
    lstat(link, &st);
    sx_compare("of a link, AT_SYMLINK_NOFOLLOW", AT_FDCWD, link, AT_SYMLINK_NOFOLLOW, SX_BASIC, &st);
    printf("the link: size %lld (its target's length)\n", (long long)st.st_size);
    stat(dir, &st);
    sx_compare("of a directory", AT_FDCWD, dir, 0, SX_BASIC, &st);
    sx_compare("of a directory's fd, AT_EMPTY_PATH", dfd, "", AT_EMPTY_PATH, SX_BASIC, &st);
    fstat(p[0], &st);
    printf("a pipe: mode %o, size %lld, nlink %u\n", (unsigned)st.st_mode, (long long)st.st_size, (unsigned)st.st_nlink);
    sx_compare("of a pipe, AT_EMPTY_PATH", p[0], "", AT_EMPTY_PATH, SX_BASIC, &st);
    stat("/dev/null", &st);
    sx_compare("of /dev/null", AT_FDCWD, "/dev/null", 0, SX_BASIC, &st);
    stat(".", &st);
    sx_compare("of the cwd, AT_FDCWD and AT_EMPTY_PATH", AT_FDCWD, "", AT_EMPTY_PATH, SX_BASIC, &st);
    sx_error("with a reserved mask bit", AT_FDCWD, file, 0, SX_RESERVED, &x, EINVAL);
    sx_error("with both sync flags", AT_FDCWD, file, 0x6000, SX_BASIC, &x, EINVAL);
    sx_error("with an unknown flag", AT_FDCWD, file, 0x1, SX_BASIC, &x, EINVAL);
    sx_error("of \"\" without AT_EMPTY_PATH", fd, "", 0, SX_BASIC, &x, ENOENT);
    sx_error("of a bad fd, AT_EMPTY_PATH", 999, "", AT_EMPTY_PATH, SX_BASIC, &x, EBADF);
    sx_error("of a missing name", AT_FDCWD, "/no-such-file-here", 0, SX_BASIC, &x, ENOENT);
    sx_error("through a file", fd, "x", 0, SX_BASIC, &x, ENOTDIR);
    sx_error("into a bad buffer", AT_FDCWD, file, 0, SX_BASIC, (void *)16, EFAULT);
    close(fd);
    close(dfd);
    unlink(link);
    unlink(file);
    return failures;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_path = argv[0];
    if (argc >= 4 && strcmp(argv[1], "after") == 0)
        return after(argc, argv);
    if (argc == 2 && strcmp(argv[1], "exec") == 0) {
        int f = exec_tests();
        printf(f ? "procrest exec: %d FAILED\n" : "procrest exec: all passed\n", f);
        return f != 0;
    }
    if (argc == 3 && (!strcmp(argv[1], "maps") || !strcmp(argv[1], "fd") || !strcmp(argv[1], "statx"))) {
        int f = argv[1][0] == 'm' ? maps_tests(argv[2]) : argv[1][0] == 'f' ? fd_tests(argv[2]) : statx_tests(argv[2]);
        printf(f ? "procrest %s: %d FAILED\n" : "procrest %s: all passed\n", argv[1], f);
        return f != 0;
    }
    printf("usage: procrest exec | maps DIR | fd DIR | statx DIR\n");
    return 2;
}
