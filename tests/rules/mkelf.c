/*
 * mkelf.c - write one kernel ELF of the corpus: the base of elfcase.h with
 * the FIELD=VALUE changes given (a row of tests/rules/elf.txt), for
 * tests/rules/boot.sh to put on a disk image.
 *
 *   mkelf OUT FIELD=VALUE...
 */
#include <stddef.h>
#include <stdio.h>

#include "elfcase.h"

int main(int argc, char **argv)
{
    static struct elfcase_image img;
    size_t size = sizeof img;
    FILE *f;

    if (argc < 2) {
        fprintf(stderr, "usage: mkelf OUT [FIELD=VALUE]...\n");
        return 2;
    }
    elfcase_build(&img);
    for (int i = 2; i < argc; i++)
        if (elfcase_apply(&img, &size, argv[i]) != 0) {
            fprintf(stderr, "mkelf: unknown change %s\n", argv[i]);
            return 2;
        }
    f = fopen(argv[1], "wb");
    if (!f || fwrite(&img, 1, size, f) != size || fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
