/*
 * test_proc.c - in-kernel tests of processes (kernel/proc/, kernel/mm/uspace.c,
 * the SYSCALL entry): tiny programs assembled here by hand, loaded from
 * kernel memory (exec_file_memory), run in ring 3 and waited for; the
 * ELF checks against malformed headers; the user copies' fix-ups; the
 * frames a process leaves behind (none).
 * The programs are tiny_elf.h's.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "elf64.h"
#include "errno.h"
#include "mm/mm.h"
#include "mm/uspace.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "test/ktest.h"
#include "test/tiny_elf.h"

static const uint8_t prog_exit7[] = { MOV_EDI(7), MOV_EAX(60), SYSCALL };
static const uint8_t prog_null_write[] = { 0xC7, 0x04, 0x25, 0, 0, 0, 0, 1, 0, 0, 0, MOV_EDI(0), MOV_EAX(60), SYSCALL };
/* write(1, 0xffffffff80000000, 10), then exit with what it returned (-EFAULT & 0xFF = 242) */
static const uint8_t prog_write_kernel[] = { MOV_EDI(1), 0x48, 0xC7, 0xC6, 0x00, 0x00, 0x00, 0x80, 0xBA, 10, 0, 0, 0,
                                             MOV_EAX(1), SYSCALL, EXIT_WITH_EAX };
/* syscall 400 (none): exit with what it returned (-ENOSYS & 0xFF = 218) */
static const uint8_t prog_enosys[] = { MOV_EAX(400), SYSCALL, EXIT_WITH_EAX };
/* touch 64 pages of brk memory: brk(0), brk(+256 KiB), a write each page, exit(0) */
static const uint8_t prog_touch_brk[] = {
    0x31, 0xFF, MOV_EAX(12), SYSCALL,                       /* xor edi,edi; brk(0) */
    0x48, 0x89, 0xC3,                                       /* mov rbx, rax */
    0x48, 0x8D, 0xB8, 0x00, 0x00, 0x04, 0x00,               /* lea rdi, [rax + 0x40000] */
    MOV_EAX(12), SYSCALL,                                   /* brk(rdi) */
    0xB9, 64, 0, 0, 0,                                      /* mov ecx, 64 */
    0xC6, 0x03, 0x01,                                       /* 1: mov byte [rbx], 1 */
    0x48, 0x81, 0xC3, 0x00, 0x10, 0x00, 0x00,               /* add rbx, 4096 */
    0xE2, 0xF4,                                             /* loop 1b */
    MOV_EDI(0), MOV_EAX(60), SYSCALL,
};

static struct elf64_ehdr *ehdr(struct tiny *p)
{
    return (struct elf64_ehdr *)p->bytes;
}

static struct elf64_phdr *phdr(struct tiny *p)
{
    return (struct elf64_phdr *)(p->bytes + sizeof(struct elf64_ehdr));
}

static int run_code(const uint8_t *code, uint64_t n, const char *name)
{
    struct tiny p;

    tiny_build(&p, code, n);
    return tiny_run(&p, name);
}

void ktest_proc_exit_status(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, run_code(prog_exit7, sizeof prog_exit7, "exit7"), PROC_EXITED(7));
}

void ktest_proc_fault_kills(struct ktest *t)
{
    unsigned before = proc_count();

    KTEST_ASSERT_EQ(t, run_code(prog_null_write, sizeof prog_null_write, "nullwrite"), PROC_KILLED(PROC_SIGSEGV));
    KTEST_ASSERT_EQ(t, proc_count(), before);
}

void ktest_proc_syscall_efault(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, run_code(prog_write_kernel, sizeof prog_write_kernel, "efault"),
                    PROC_EXITED(-EFAULT & 0xFF));
}

void ktest_proc_syscall_enosys(struct ktest *t)
{
    KTEST_ASSERT_EQ(t, run_code(prog_enosys, sizeof prog_enosys, "enosys"), PROC_EXITED(-ENOSYS & 0xFF));
}

/* A process that touched 64 pages of brk and its stack leaves no frame behind. */
void ktest_proc_frames_freed(struct ktest *t)
{
    uint64_t before, after;

    KTEST_ASSERT_EQ(t, run_code(prog_touch_brk, sizeof prog_touch_brk, "touch"), 0);    /* warm the caches */
    before = mm_frames_free();
    KTEST_ASSERT_EQ(t, run_code(prog_touch_brk, sizeof prog_touch_brk, "touch"), 0);
    KTEST_ASSERT_EQ(t, run_code(prog_null_write, sizeof prog_null_write, "nullwrite"), PROC_KILLED(PROC_SIGSEGV));
    after = mm_frames_free();
    KTEST_ASSERT(t, after >= before);   /* another CPU may free a frame meanwhile, never keep one of ours */
}

/* A malformed program: -ENOEXEC from spawning it, no process, no panic. */
static void expect_noexec(struct ktest *t, struct tiny *p, const char *what)
{
    int r = tiny_run(p, what);

    if (r != -ENOEXEC)
        ktest_fail(t, __FILE__, __LINE__, "%s: %d, not -ENOEXEC", what, r);
}

void ktest_proc_elf_rejects_bad(struct ktest *t)
{
    struct tiny p;

    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    p.bytes[0] = 0x7E;
    expect_noexec(t, &p, "bad magic");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    ehdr(&p)->e_machine = 3;
    expect_noexec(t, &p, "i386");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    ehdr(&p)->e_phnum = 0;
    expect_noexec(t, &p, "no program headers");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    ehdr(&p)->e_phnum = 1000;
    expect_noexec(t, &p, "too many program headers");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    ehdr(&p)->e_phoff = 0xFFFFFFFFFFFFFFF0ULL;
    expect_noexec(t, &p, "program headers past the end");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_filesz = 1 << 20;
    phdr(&p)->p_memsz = 1 << 20;
    expect_noexec(t, &p, "segment past the end of the file");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_memsz = 8;
    expect_noexec(t, &p, "filesz > memsz");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_vaddr = 0xFFFFFFFF80000000ULL;
    ehdr(&p)->e_entry = 0xFFFFFFFF80000000ULL + TINY_CODE;
    expect_noexec(t, &p, "a segment in the kernel half");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_vaddr = 0xFFFFFFFFFFFFF000ULL;
    phdr(&p)->p_memsz = 0x2000;
    expect_noexec(t, &p, "a segment wrapping round");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_vaddr = TINY_BASE + 8;
    expect_noexec(t, &p, "address and offset not congruent");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    ehdr(&p)->e_entry = 0x800000;
    expect_noexec(t, &p, "entry outside the segment");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_flags = PF_R | PF_W;
    expect_noexec(t, &p, "entry in a segment that is not executable");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    phdr(&p)->p_type = 3;
    expect_noexec(t, &p, "PT_INTERP");
    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    p.size = 40;
    expect_noexec(t, &p, "shorter than a header");
}

/* Two PT_LOADs on one page: refused (their VMAs would overlap), and nothing left mapped. */
void ktest_proc_elf_rejects_overlap(struct ktest *t)
{
    struct tiny p;
    struct elf64_phdr *ph;

    tiny_build(&p, prog_exit7, sizeof prog_exit7);
    ehdr(&p)->e_phnum = 2;
    memmove(p.bytes + TINY_CODE + sizeof *ph, p.bytes + TINY_CODE, sizeof prog_exit7);
    ehdr(&p)->e_entry += sizeof *ph;
    ph = phdr(&p);
    ph[0].p_filesz = ph[0].p_memsz = p.size + sizeof *ph;
    ph[1] = ph[0];
    ph[1].p_flags = PF_R | PF_W;
    ph[1].p_vaddr += 0x40;
    ph[1].p_offset = 0x40;
    ph[1].p_filesz = ph[1].p_memsz = 16;
    p.size += sizeof *ph;
    expect_noexec(t, &p, "two segments on one page");
}

/* The copies' fix-ups, from a kernel thread (no process): -EFAULT, never a kernel fault. */
void ktest_proc_usercopy_fixup(struct ktest *t)
{
    char buf[16];

    KTEST_ASSERT_EQ(t, copy_from_user(buf, 0x1000, sizeof buf), -EFAULT);
    KTEST_ASSERT_EQ(t, copy_to_user(0x7FFFFFFFE000ULL, buf, sizeof buf), -EFAULT);
    KTEST_ASSERT_EQ(t, strncpy_from_user(buf, 0x2000, sizeof buf), -EFAULT);
    KTEST_ASSERT_EQ(t, copy_from_user(buf, 0xFFFFFFFF80000000ULL, 1), -EFAULT);    /* range check */
    KTEST_ASSERT_EQ(t, copy_from_user(buf, 0x00007FFFFFFFFFF8ULL, 16), -EFAULT);   /* across the top */
}

/* The user area's VMAs: map, refuse an overlap, split by an unmap, find a free range. */
void ktest_proc_uspace_vmas(struct ktest *t)
{
    uint64_t before = mm_frames_free(), a;
    struct uspace *us = uspace_create();
    char byte = 7;

    if (!KTEST_ASSERT(t, us != NULL))
        return;
    KTEST_ASSERT_EQ(t, uspace_map(us, 0x10000000, 0x10000, USPACE_R | USPACE_W, USPACE_MMAP), 0);
    KTEST_ASSERT_EQ(t, uspace_map(us, 0x1000F000, 0x2000, USPACE_R, USPACE_MMAP), -EEXIST);
    KTEST_ASSERT_EQ(t, uspace_map(us, 0x10000, 0, USPACE_R, USPACE_MMAP), -EINVAL);
    KTEST_ASSERT_EQ(t, uspace_map(us, USPACE_MMAP_TOP, 0x1000, USPACE_R, USPACE_MMAP), -ENOMEM);   /* the gap */
    KTEST_ASSERT_EQ(t, uspace_write(us, 0x10000000, &byte, 1), 0);
    KTEST_ASSERT_EQ(t, uspace_write(us, 0x10008000, &byte, 1), 0);
    KTEST_ASSERT_EQ(t, uspace_unmap(us, 0x10004000, 0x2000), 0);                     /* a split */
    KTEST_ASSERT_EQ(t, uspace_write(us, 0x10004000, &byte, 1), -EFAULT);
    KTEST_ASSERT_EQ(t, uspace_write(us, 0x1000A000, &byte, 1), 0);
    a = uspace_find_free(us, 0x4000);
    KTEST_ASSERT_EQ(t, a, USPACE_MMAP_TOP - 0x4000);
    KTEST_ASSERT_EQ(t, uspace_brk_init(us, 0x20000000), 0);
    KTEST_ASSERT_EQ(t, uspace_brk(us, 0x20003000), 0x20003000);
    KTEST_ASSERT_EQ(t, uspace_brk(us, 0x1FFFF000), 0x20003000);                       /* below its start */
    KTEST_ASSERT_EQ(t, uspace_map(us, 0x20004000, 0x1000, USPACE_R, USPACE_MMAP), 0);
    KTEST_ASSERT_EQ(t, uspace_brk(us, 0x20008000), 0x20003000);                       /* a mapping in the way */
    uspace_destroy(us);
    KTEST_ASSERT_EQ(t, mm_frames_free(), before);
}

/*
 * The FS base is each thread's own: three processes point FS at a word of
 * their own stack (at different depths, so no two share the address),
 * spin long enough to be preempted by one another, then read the word
 * through FS. A switch that did not load the incoming thread's FS base
 * would leave another process's address there, where this process's
 * stack holds zero.
 */
#define IMM32(v)    (v) & 0xFF, ((v) >> 8) & 0xFF, ((v) >> 16) & 0xFF, ((v) >> 24) & 0xFF
#define FS_PROG(off, x) { \
    0x48, 0x89, 0xE6,                       /* mov rsi, rsp */ \
    0x48, 0x81, 0xEE, IMM32(off),           /* sub rsi, off */ \
    0x48, 0xC7, 0x06, IMM32(x),             /* mov qword [rsi], x */ \
    MOV_EDI(0x1002), MOV_EAX(158), SYSCALL, /* arch_prctl(ARCH_SET_FS, rsi) */ \
    0xBB, IMM32(0x1000000),                 /* mov ebx, 16M */ \
    0xFF, 0xCB, 0x75, 0xFC,                 /* 1: dec ebx; jnz 1b */ \
    0x64, 0x48, 0x8B, 0x04, 0x25, 0, 0, 0, 0, /* mov rax, fs:[0] */ \
    0x48, 0x3D, IMM32(x),                   /* cmp rax, x */ \
    0x75, 0x0C,                             /* jne the exit(1) */ \
    MOV_EDI(0), MOV_EAX(60), SYSCALL, MOV_EDI(1), MOV_EAX(60), SYSCALL }

void ktest_proc_fs_base_per_thread(struct ktest *t)
{
    static const uint8_t a[] = FS_PROG(0x100, 0x1111), b[] = FS_PROG(0x200, 0x2222), c[] = FS_PROG(0x300, 0x3333);
    static const uint8_t *const code[] = { a, b, c };
    static char *const argv[] = { "fs", NULL }, *const envp[] = { NULL };
    struct tiny p[3];
    struct proc *pr[3];
    struct exec_file f;

    for (int i = 0; i < 3; i++) {
        tiny_build(&p[i], code[i], sizeof a);
        exec_file_memory("fsbase", p[i].bytes, p[i].size, &f);
        if (!KTEST_ASSERT_EQ(t, proc_spawn_file(&f, argv, envp, NULL, &pr[i]), 0))
            return;
    }
    for (int i = 0; i < 3; i++)
        KTEST_ASSERT_EQ(t, proc_wait(pr[i]), 0);
}
