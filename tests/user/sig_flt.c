/*
 * sig_flt.c - faults from ring 3 as signals to a handler (docs/signals.md):
 * a write to address 0 is SIGSEGV with si_addr 0, SEGV_MAPERR and the
 * page fault's trap number, error code and CR2 in the ucontext, and the
 * handler leaves through siglongjmp (twice: the mask siglongjmp restores
 * lets the second fault in); a jump to a non-canonical address is SIGSEGV
 * with SI_KERNEL; ud2 is SIGILL with ILL_ILLOPN at its address, and the
 * handler steps over it by moving the ucontext's RIP (rt_sigreturn takes
 * the frame's registers); a division by zero is SIGFPE with FPE_INTDIV.
 * Compared with Linux's output (tests/user/diff.sh); without a handler the
 * process ends as before (the proc/bios-segv-HOW cases).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf back;
static volatile int sig_seen, code_seen;
static volatile uintptr_t addr_seen;
static volatile long trapno, err, cr2, rip_is_addr;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    sig_seen = sig;
    code_seen = si->si_code;
    addr_seen = (uintptr_t)si->si_addr;
    trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
    err = uc->uc_mcontext.gregs[REG_ERR];
    cr2 = uc->uc_mcontext.gregs[REG_CR2];
    rip_is_addr = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] == (uintptr_t)si->si_addr;
    if (sig == SIGILL) {
        uc->uc_mcontext.gregs[REG_RIP] += 2;    /* over the ud2 */
        return;
    }
    siglongjmp(back, 1);
}

static void catch(int sig)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static void report(const char *what)
{
    printf("%s: sig=%d code=%d addr=%#lx trapno=%ld err=%ld cr2=%#lx rip_is_addr=%ld\n", what, sig_seen,
           code_seen, (unsigned long)addr_seen, trapno, err, (unsigned long)cr2, rip_is_addr);
    sig_seen = code_seen = 0;
    addr_seen = 0;
    trapno = err = cr2 = rip_is_addr = 0;
}

int main(int argc, char **argv)
{
    volatile int zero = 0;
    (void)argv;

    catch(SIGSEGV);
    catch(SIGILL);
    catch(SIGFPE);
    for (int i = 0; i < 2; i++) {
        if (sigsetjmp(back, 1) == 0) {
            *(volatile int *)0 = 1;
            printf("null: no fault\n");
        }
        report("null write");
    }
    if (sigsetjmp(back, 1) == 0) {
        ((void (*)(void))0x0000800000000000ull)();
        printf("gp: no fault\n");
    }
    printf("gp: sig=%d code=%d addr=%#lx trapno=%ld\n", sig_seen, code_seen, (unsigned long)addr_seen, trapno);
    report("gp (again)");
    __asm__ volatile("ud2");
    printf("ud2: stepped over\n");
    report("ud2");
    if (sigsetjmp(back, 1) == 0)
        printf("div: %d\n", argc / zero);
    report("div");
    printf("sig_flt: all passed\n");
    return 0;
}
