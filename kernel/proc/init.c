/*
 * init.c - the first process: `init=PATH` on the command line names its
 * program, the words after " -- " are its arguments (argv[0] is PATH),
 * and with `initexit` the kernel leaves QEMU through isa-debug-exit when
 * it ends: 33 for exit status 0, 35 for any other end (tests use this).
 * Its files 0, 1 and 2 are the first serial port's terminal, ttyS0, so
 * what it prints reaches the serial log.
 *
 * Without init= nothing is started yet (issue 13's /sbin/init will be the
 * default). Runs at the end of kmain, after the root file system is
 * mounted; kmain waits for the process to end.
 */
#include <stddef.h>
#include <string.h>

#include "boot/bootinfo_view.h"
#include "cmdline.h"
#include "mm/heap.h"
#include "printk.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "qemu/debug_exit.h"

#define INIT_ARGS_MAX   32
#define INIT_TTY        "ttyS0"

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

/* Load path and start it, saying so first: its first line comes after ours. */
static int create(const char *path, char *argv[], struct proc **p)
{
    struct exec_file f;
    int err = exec_file_open(path, &f);

    if (err)
        return err;
    err = proc_create(&f, argv, init_envp, INIT_TTY, p);
    exec_file_close(&f);
    if (err)
        return err;
    printk(LOG_INFO, "[proc] init=%s started as pid %d\n", path, (*p)->pid);
    return proc_start(*p);
}

/* Start init= and wait for it; with initexit, leave QEMU with its result. */
void proc_run_init(void)
{
    size_t len;
    const char *cmdline = bootinfo_cmdline(&len);
    int initexit = cmdline_has_word(cmdline, len, "initexit"), err, status;
    char *path = kmalloc(256), *buf = kmalloc(len + 1), *argv[INIT_ARGS_MAX];
    struct proc *p;

    if (!path || !buf || !word_value(cmdline, len, "init=", path, 256)) {
        kfree(path);
        kfree(buf);
        return;
    }
    argv[0] = path;
    split_args(cmdline, len, buf, argv, INIT_ARGS_MAX);
    if ((err = create(path, argv, &p)) != 0) {
        printk(LOG_WARN, "[proc] init=%s: cannot start it: error %d\n", path, err);
        status = -1;
    } else {
        status = proc_wait(p);
        printk(LOG_INFO, "[proc] init=%s ended: %s %d\n", path, status & 0x7F ? "killed by signal" : "exit status",
               status & 0x7F ? status & 0x7F : (status >> 8) & 0xFF);
    }
    if (initexit)
        debug_exit(status == 0 ? DEBUG_EXIT_PASS : DEBUG_EXIT_FAIL);
    kfree(path);
    kfree(buf);
}
