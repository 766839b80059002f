/*
 * misc_pwr.c - reboot(2). With no argument, only what is safe on the host:
 * wrong magic numbers and an unknown command give EINVAL (the host runs
 * this as root: a right command would restart it). With "off", "restart"
 * or "halt" it asks Tessera for that; the kernel's log lines and QEMU's
 * end are the test (tests/qemu/power.sh), nothing is printed after.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAGIC1      0xfee1deadu
#define MAGIC2      672274793u
#define CMD_RESTART 0x01234567u
#define CMD_HALT    0xCDEF0123u
#define CMD_OFF     0x4321FEDCu

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        unsigned cmd = strcmp(argv[1], "off") == 0 ? CMD_OFF : strcmp(argv[1], "halt") == 0 ? CMD_HALT : CMD_RESTART;

        printf("misc_pwr: reboot(%s)\n", argv[1]);
        fflush(stdout);
        result("reboot", syscall(SYS_reboot, MAGIC1, MAGIC2, cmd, NULL));
        return 1;                       /* it came back: the test fails */
    }
    result("reboot with magic1 0", syscall(SYS_reboot, 0, MAGIC2, CMD_OFF, NULL));
    result("reboot with magic2 0", syscall(SYS_reboot, MAGIC1, 0, CMD_OFF, NULL));
    result("reboot with command 0x12345678", syscall(SYS_reboot, MAGIC1, MAGIC2, 0x12345678u, NULL));
    printf("misc_pwr: all passed\n");
    return 0;
}
