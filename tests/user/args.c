/*
 * args.c - prints what the kernel gave the process at its start: argc,
 * argv, envp, the auxv entries linux-subset.md lists, where the program
 * headers are, and a __thread variable's initial value (musl copies it
 * from PT_TLS, found through AT_PHDR, into the TLS block arch_prctl
 * points FS at). The same program on Linux prints the same lines but for
 * the addresses (tests/user/README.md says which lines differ).
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static __thread int tls_value = 42;

extern char **environ;

int main(int argc, char **argv)
{
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    int phnum = (int)getauxval(AT_PHNUM), loads = 0, zero = 1;

    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = environ; *e; e++)
        printf("env %s\n", *e);
    printf("AT_PAGESZ=%lu AT_PHENT=%lu AT_CLKTCK=%lu\n", getauxval(AT_PAGESZ), getauxval(AT_PHENT),
           getauxval(AT_CLKTCK));
    printf("AT_UID=%lu AT_EUID=%lu AT_GID=%lu AT_EGID=%lu AT_SECURE=%lu\n", getauxval(AT_UID),
           getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID), getauxval(AT_SECURE));
    for (int i = 0; i < phnum; i++)
        loads += ph[i].p_type == PT_LOAD;
    printf("AT_PHDR: %d program headers, %d PT_LOAD\n", phnum, loads);
    for (int i = 0; rnd && i < 16; i++)
        zero &= rnd[i] == 0;
    printf("AT_RANDOM: %s\n", rnd && !zero ? "16 bytes" : "missing");
    printf("AT_PLATFORM=%s AT_EXECFN=%s\n", (const char *)getauxval(AT_PLATFORM),
           (const char *)getauxval(AT_EXECFN));
    printf("AT_ENTRY is _start: %s\n", getauxval(AT_ENTRY) ? "yes" : "no");
    printf("tls_value=%d\n", tls_value);
    tls_value++;
    printf("tls_value after ++=%d\n", tls_value);
    return 0;
}
