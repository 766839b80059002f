/*
 * memtests.c - the mm helper's test programs (mem_prot.c, mem_file.c,
 * mem_fork.c) as one binary: the loaders take 16 modules at most
 * (common/bootrules.h, BOOTCFG_MODULES_MAX), and the proc images carry
 * every program of tests/user/ as a module. Each file is built with its
 * main renamed (tests/build.mk); the first argument picks one.
 *   memtests NAME [ARGS...]
 */
#include <stdio.h>
#include <string.h>

int mem_prot_main(int argc, char **argv);
int mem_file_main(int argc, char **argv);
int mem_fork_main(int argc, char **argv);

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} progs[] = {
    { "mem_prot", mem_prot_main }, { "mem_file", mem_file_main }, { "mem_fork", mem_fork_main },
};

int main(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof progs / sizeof progs[0]; i++)
        if (strcmp(argv[1], progs[i].name) == 0)
            return progs[i].main(argc - 1, argv + 1);
    fprintf(stderr, "usage: memtests mem_prot|mem_file|mem_fork\n");
    return 2;
}
