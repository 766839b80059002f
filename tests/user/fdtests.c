/*
 * fdtests.c - the files helper's test programs (file_fd.c, file_dir.c,
 * file_tty.c, pipe_one.c, pipe_two.c) as one binary: the loaders take 16
 * modules at most (common/bootrules.h, BOOTCFG_MODULES_MAX), and the proc
 * images carry every program of tests/user/ as a module. Each file is built
 * with its main renamed (tests/build.mk); the first argument picks one.
 *   fdtests NAME [ARGS...]
 */
#include <stdio.h>
#include <string.h>

int file_fd_main(int argc, char **argv);
int file_dir_main(int argc, char **argv);
int file_tty_main(int argc, char **argv);
int pipe_one_main(int argc, char **argv);
int pipe_two_main(int argc, char **argv);

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} progs[] = {
    { "file_fd", file_fd_main }, { "file_dir", file_dir_main }, { "file_tty", file_tty_main },
    { "pipe_one", pipe_one_main }, { "pipe_two", pipe_two_main },
};

int main(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof progs / sizeof progs[0]; i++)
        if (strcmp(argv[1], progs[i].name) == 0)
            return progs[i].main(argc - 1, argv + 1);
    fprintf(stderr, "usage: fdtests file_fd|file_dir|file_tty|pipe_one|pipe_two [ARGS...]\n");
    return 2;
}
