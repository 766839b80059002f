/*
 * exec_stack.c - the stack a process starts on (see exec.h), as the
 * System V x86-64 psABI (3.4.1, "Initial Stack and Register State") and
 * Linux's fs/binfmt_elf.c create_elf_tables lay it out, and as
 * ../shared/abi/linux-subset.md measured what static glibc and musl need:
 *
 *   USPACE_STACK_TOP   ->  8 zero bytes
 *                          the execfn string (AT_EXECFN)
 *                          the envp strings, the argv strings
 *                          "x86_64" (AT_PLATFORM)
 *                          16 random bytes (AT_RANDOM)
 *                          (padding to 16 bytes)
 *                          auxv: (type, value) pairs, AT_NULL last
 *                          NULL, envp[envc-1] .. envp[0]
 *                          NULL, argv[argc-1] .. argv[0]
 *   rsp (16-aligned)  ->   argc
 *
 * The stack VMA is USPACE_STACK_SIZE below USPACE_STACK_TOP, demand-zero;
 * below it USPACE_STACK_GAP is kept free (mmap never places there), so
 * running off the stack faults instead of writing into a mapping.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "errno.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/uspace.h"
#include "proc/exec.h"

/* Linux's auxv types (include/uapi/linux/auxvec.h, asm/auxvec.h). */
#define AT_NULL     0
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_HWCAP2   26
#define AT_EXECFN   31

#define AUXV_PAIRS      19
#define EXEC_ARGS_MAX   (128 * 1024)    /* bytes of strings, like Linux's MAX_ARG_STRLEN scale */
#define EXEC_ARGC_MAX   1024

static unsigned count(char *const v[])
{
    unsigned n = 0;

    while (v && v[n])
        n++;
    return n;
}

/*
 * 16 bytes for AT_RANDOM (glibc's stack protector and pointer guard, musl's
 * too). From the TSC mixed by splitmix64: varied, not secret; getrandom's
 * generator replaces it once it exists.
 */
static void random_bytes(uint8_t out[16])
{
    static uint64_t counter;
    uint64_t x = arch_rdtsc() ^ __atomic_add_fetch(&counter, 0x9E3779B97F4A7C15ULL, __ATOMIC_RELAXED);

    for (int i = 0; i < 2; i++) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        memcpy(out + 8 * i, &z, 8);
    }
}

/* Copy a string to user address *top - len, moving *top down; its address. */
static uint64_t push_string(struct uspace *us, uint64_t *top, const char *s, int *err)
{
    uint64_t len = strlen(s) + 1;

    *top -= len;
    if (!*err)
        *err = uspace_write(us, *top, s, len);
    return *top;
}

/* The auxv pairs into out; returns how many words. */
static unsigned auxv(uint64_t *out, const struct exec_image *img, uint64_t random, uint64_t platform,
                     uint64_t execfn)
{
    const uint64_t pairs[AUXV_PAIRS][2] = {
        { AT_PHDR, img->phdr }, { AT_PHENT, 56 }, { AT_PHNUM, img->phnum }, { AT_PAGESZ, 4096 },
        { AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry }, { AT_UID, 0 }, { AT_EUID, 0 },
        { AT_GID, 0 }, { AT_EGID, 0 }, { AT_PLATFORM, platform }, { AT_HWCAP, 0 }, { AT_CLKTCK, 100 },
        { AT_SECURE, 0 }, { AT_RANDOM, random }, { AT_HWCAP2, 0 }, { AT_EXECFN, execfn }, { AT_NULL, 0 },
    };

    memcpy(out, pairs, sizeof pairs);
    return 2 * AUXV_PAIRS;
}

/* The strings, top down; their user addresses into table (argv, NULL, envp, NULL). */
static int push_strings(struct uspace *us, uint64_t *top, char *const argv[], unsigned argc,
                        char *const envp[], unsigned envc, uint64_t *table)
{
    int err = 0;

    for (unsigned i = envc; i-- > 0;)
        table[argc + 1 + i] = push_string(us, top, envp[i], &err);
    for (unsigned i = argc; i-- > 0;)
        table[i] = push_string(us, top, argv[i], &err);
    table[argc] = table[argc + 1 + envc] = 0;
    return err;
}

static int check_size(char *const argv[], unsigned argc, char *const envp[], unsigned envc)
{
    uint64_t bytes = 0;

    if (argc + envc > EXEC_ARGC_MAX)
        return -E2BIG;
    for (unsigned i = 0; i < argc; i++)
        bytes += strlen(argv[i]) + 1;
    for (unsigned i = 0; i < envc; i++)
        bytes += strlen(envp[i]) + 1;
    return bytes > EXEC_ARGS_MAX ? -E2BIG : 0;
}

int exec_stack(struct uspace *us, const struct exec_image *img, char *const argv[], char *const envp[],
               const char *execfn, uint64_t *sp)
{
    unsigned argc = count(argv), envc = count(envp), words = 1 + argc + 1 + envc + 1 + 2 * AUXV_PAIRS;
    uint64_t top = USPACE_STACK_TOP - 8, execfn_at, platform, random, *table;
    uint8_t rnd[16];
    int err = check_size(argv, argc, envp, envc);

    if (err || (err = uspace_map(us, USPACE_STACK_TOP - USPACE_STACK_SIZE, USPACE_STACK_SIZE,
                                 USPACE_R | USPACE_W, USPACE_STACK)) != 0)
        return err;
    if (!(table = kcalloc(words, sizeof *table)))
        return -ENOMEM;
    table[0] = argc;
    execfn_at = push_string(us, &top, execfn, &err);
    if (!err)
        err = push_strings(us, &top, argv, argc, envp, envc, table + 1);
    platform = push_string(us, &top, "x86_64", &err);
    random_bytes(rnd);
    top = (top - sizeof rnd) & ~15ULL;
    random = top;
    if (!err)
        err = uspace_write(us, random, rnd, sizeof rnd);
    auxv(table + 1 + argc + 1 + envc + 1, img, random, platform, execfn_at);
    *sp = (top - words * 8) & ~15ULL;
    if (!err)
        err = uspace_write(us, *sp, table, words * 8);
    kfree(table);
    return err;
}

int exec_load(struct uspace *us, const struct exec_file *f, char *const argv[], char *const envp[],
              uint64_t *entry, uint64_t *sp, struct exec_segments *segs)
{
    struct exec_image img;
    struct vfs_stat st;
    int err = elf_load(us, f, &img);

    if (!err && f->file && vfs_fstat(f->file, &st) == 0) {
        img.segs.dev = st.dev;
        img.segs.ino = st.ino;
    }
    if (segs)
        *segs = img.segs;

    if (!err)
        err = uspace_brk_init(us, img.brk);
    if (!err)
        err = exec_stack(us, &img, argv, envp, f->path, sp);
    *entry = img.entry;
    return err;
}
