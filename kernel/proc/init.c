/*
 * init.c - the first process: `init=PATH` on the command line names its
 * program, the words after " -- " are its arguments (argv[0] is PATH),
 * and with `initexit` the kernel leaves QEMU through isa-debug-exit when
 * it ends: 33 for exit status 0, 35 for any other end (tests use this).
 * Its files 0, 1 and 2 are the first serial port's terminal, ttyS0, so
 * what it prints reaches the serial log.
 *
 * proc_run_init runs at the end of kmain, after the root file system is
 * mounted and the command line's tests; kmain waits for the process to end.
 *
 * Without init= the first process is /sbin/init (user/init/, docs/userland.md),
 * except in a boot that runs the kernel's own tests or tools, which keep the
 * machine to themselves as they always did: a command line with a word
 * test, test=..., bench=..., ttyecho, ttyburst=..., monitor or keylog starts
 * nothing unless it names init=. `init=none` starts nothing. kmain starts
 * the default last of all (proc_default_init_wanted, proc_run_default_init),
 * after its memory report, and waits for it. A /sbin/init that is missing or
 * cannot run is said in one line (why, and that init=PATH names another) and
 * the kernel goes on to its halting line: no panic.
 */
#include <stddef.h>
#include <string.h>

#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "errno.h"
#include "fs/vfs.h"
#include "format.h"
#include "mm/heap.h"
#include "printk.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "qemu/debug_exit.h"

#define INIT_ARGS_MAX   32
#define INIT_TTY        "ttyS0"
#define INIT_DEFAULT    "/sbin/init"
#define INIT_PATH_MAX   256

static char *const init_envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin", NULL };

/* The value of the word "key=..." in cmdline[0..len), copied into out; 1 if found. */
static int word_value(const char *cmdline, size_t len, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);

    for (size_t i = 0; i + klen <= len; i++) {
        size_t n = 0;
        if ((i && cmdline[i - 1] != ' ' && cmdline[i - 1] != '\t') || strncmp(cmdline + i, key, klen) != 0)
            continue;
        for (i += klen; i < len && cmdline[i] && cmdline[i] != ' ' && cmdline[i] != '\t' && n + 1 < size; i++)
            out[n++] = cmdline[i];
        out[n] = 0;
        return n > 0;
    }
    return 0;
}

/* Split the words after " -- " into argv[1..]; buf holds their copies. */
static void split_args(const char *cmdline, size_t len, char *buf, char *argv[], unsigned max)
{
    const char *sep = NULL;
    unsigned n = 1;

    for (size_t i = 0; i + 4 <= len; i++)
        if (memcmp(cmdline + i, " -- ", 4) == 0) {
            sep = cmdline + i + 4;
            break;
        }
    for (size_t i = sep ? (size_t)(sep - cmdline) : len, b = 0; i < len && cmdline[i] && n + 1 < max;) {
        while (i < len && (cmdline[i] == ' ' || cmdline[i] == '\t'))
            i++;
        if (i >= len || !cmdline[i])
            break;
        argv[n++] = buf + b;
        while (i < len && cmdline[i] && cmdline[i] != ' ' && cmdline[i] != '\t')
            buf[b++] = cmdline[i++];
        buf[b++] = 0;
    }
    argv[n] = NULL;
}

/* A file of the VFS with no execute bit: -EACCES, as execve would say (a module has no mode). */
static int check_executable(const struct exec_file *f)
{
    struct vfs_stat st;

    if (f->file && vfs_fstat(f->file, &st) == 0 && !(st.mode & 0111))
        return -EACCES;
    return 0;
}

/* Load path and start it, saying so first (as label): its first line comes after ours. */
static int create(const char *label, const char *path, char *argv[], struct proc **p)
{
    struct exec_file f;
    int err = exec_file_open(path, &f);

    if (err)
        return err;
    if ((err = check_executable(&f)) == 0)
        err = proc_create(&f, argv, init_envp, INIT_TTY, p);
    exec_file_close(&f);
    if (err)
        return err;
    printk(LOG_INFO, "[proc] %s started as pid %d\n", label, (*p)->pid);
    return proc_start(*p);
}

/* Why a first process could not start, in words. */
static const char *start_error(int err)
{
    switch (err) {
    case -ENOENT:  return "no such file";
    case -ENOTDIR: return "a folder on its path is a file";
    case -EACCES:  return "not an executable file (no execute permission, or not a regular file)";
    case -ENOEXEC: return "not an x86_64 ELF program";
    case -ENOMEM:  return "out of memory";
    default:       return "it could not be loaded";
    }
}

/*
 * A boot that runs the kernel's own tests or tools (kernel/test/dispatch.c,
 * the monitor, keylog): those keep QEMU and the terminals, so no default
 * first process there.
 */
static int kernel_tool_boot(const char *cmdline, size_t len)
{
    static const char *const words[] = { "test", "ttyecho", "monitor", "keylog" };
    static const char *const keys[] = { "test=", "bench=", "ttyburst=" };
    char value[32];

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (cmdline_has_word(cmdline, len, words[i]))
            return 1;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (word_value(cmdline, len, keys[i], value, sizeof value))
            return 1;
    return 0;
}

/* The line that says the first process could not start. */
static void say_not_started(const char *path, int named, int err)
{
    if (named)
        printk(LOG_WARN, "[proc] init=%s: cannot start it: error %d\n", path, err);
    else
        printk(LOG_ERR, "[proc] %s: cannot start it: %s (error %d); no first process, the kernel goes on "
               "without one (init=PATH on the command line names another program)\n", path, start_error(err), err);
}

/* Start path (named: by init=) and wait for it; with initexit, leave QEMU with its result. */
static void run_first(const char *path, int named)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    int initexit = cmdline_has_word(cmdline, len, "initexit"), err, status;
    char *label = kmalloc(INIT_PATH_MAX + 8), *buf = kmalloc(len + 1), *argv[INIT_ARGS_MAX];
    struct proc *p;

    if (!label || !buf) {
        printk(LOG_ERR, "[proc] %s: no memory to start it\n", path);
        kfree(label);
        kfree(buf);
        return;
    }
    format_snprintf(label, INIT_PATH_MAX + 8, named ? "init=%s" : "%s", path);
    argv[0] = (char *)path;
    split_args(cmdline, len, buf, argv, INIT_ARGS_MAX);
    if ((err = create(label, path, argv, &p)) != 0) {
        say_not_started(path, named, err);
        status = -1;
    } else {
        status = proc_wait(p);
        printk(named ? LOG_INFO : LOG_ERR, "[proc] %s ended: %s %d\n", label,
               status & 0x7F ? "killed by signal" : "exit status", status & 0x7F ? status & 0x7F : (status >> 8) & 0xFF);
    }
    if (initexit)
        debug_exit(status == 0 ? DEBUG_EXIT_PASS : DEBUG_EXIT_FAIL);
    kfree(label);
    kfree(buf);
}

void proc_run_init(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    char *path = kmalloc(INIT_PATH_MAX);

    if (path && word_value(cmdline, len, "init=", path, INIT_PATH_MAX)) {
        if (strcmp(path, "none") == 0)
            printk(LOG_INFO, "[proc] init=none: no first process\n");
        else
            run_first(path, 1);
    }
    kfree(path);
}

int proc_default_init_wanted(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    char value[8];

    return !word_value(cmdline, len, "init=", value, sizeof value) && !kernel_tool_boot(cmdline, len);
}

void proc_run_default_init(void)
{
    run_first(INIT_DEFAULT, 0);
}
